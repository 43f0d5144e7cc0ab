import type { Partner } from '@passerelle/shared';

/** What a partner is found by when searched or filtered: its names, place, notes, identifiers, specialties and contacts. */
export function partnerWords(partner: Partner): (string | null)[] {
  return [
    partner.name,
    partner.localName,
    partner.city,
    partner.country,
    partner.notes,
    partner.erasmusCode,
    partner.pic,
    partner.schac,
    partner.oid,
    ...partner.specialties,
    ...partner.contacts.map((contact) => `${contact.name} ${contact.role} ${contact.email}`),
  ];
}
