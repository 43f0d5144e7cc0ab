import type { Profile } from '@node-saml/node-saml';
import type { SsoIdentity } from './sso-accounts.js';

/**
 * Attribute names of the eduPerson and inetOrgPerson schemas as Shibboleth identity providers
 * (RENATER, eduGAIN) release them: SAML 2.0 names are `urn:oid:` URIs, the friendly names only a hint.
 */
export const EDU_PERSON_ATTRIBUTES: Readonly<Record<string, string>> = {
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  givenName: 'urn:oid:2.5.4.42',
  sn: 'urn:oid:2.5.4.4',
  cn: 'urn:oid:2.5.4.3',
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  eduPersonAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.1',
  eduPersonScopedAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
  eduPersonPrimaryAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.5',
  eduPersonEntitlement: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7',
  isMemberOf: 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
  // French higher education's SUPANN schema: the person's structures (departments, labs).
  supannEntiteAffectation: 'urn:oid:1.3.6.1.4.1.7135.1.2.1.8',
};

/** Claim URIs of Entra ID and ADFS, which some schools put in front of their directory. */
const CLAIMS = {
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
};

/** An attribute's name as it arrives: a known friendly name becomes its `urn:oid:`, anything else is kept. */
export function attributeName(name: string): string {
  return EDU_PERSON_ATTRIBUTES[name] ?? name;
}

/** The string values of an attribute, whether it came with one value or several. */
function valuesOf(attributes: Record<string, unknown>, name: string): string[] {
  const raw = attributes[name];
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.filter((value): value is string => typeof value === 'string').map((value) => value.trim()).filter(Boolean);
}

function first(attributes: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const [value] = valuesOf(attributes, name);
    if (value) return value;
  }
  return null;
}

/**
 * Who a verified assertion says signed in: the e-mail address from `mail` (accounts are matched by
 * address, and an eduPersonPrincipalName looks like one without being a mailbox), the name from
 * `displayName`, else given name and surname, else `cn`; the groups are the values of
 * `groupsAttributes`. Null without an e-mail address.
 */
export function samlIdentityOf(profile: Profile, groupsAttributes: readonly string[], issuer: string): SsoIdentity | null {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const email = (first(attributes, EDU_PERSON_ATTRIBUTES.mail!, 'mail', 'email', CLAIMS.email) ?? '').toLowerCase();
  if (!email.includes('@') || /\s/.test(email)) return null;
  const given = first(attributes, EDU_PERSON_ATTRIBUTES.givenName!, CLAIMS.givenName);
  const surname = first(attributes, EDU_PERSON_ATTRIBUTES.sn!, CLAIMS.surname);
  const name =
    first(attributes, EDU_PERSON_ATTRIBUTES.displayName!, 'displayName', CLAIMS.displayName) ??
    (given && surname ? `${given} ${surname}` : null) ??
    first(attributes, EDU_PERSON_ATTRIBUTES.cn!, CLAIMS.name) ??
    email.split('@')[0]!;
  const groups = [...new Set(groupsAttributes.flatMap((attribute) => valuesOf(attributes, attributeName(attribute))))];
  // eduPersonPrincipalName is stable across a person's name changes; a transient NameID changes at
  // every sign-in, so without a principal name or a persistent NameID the person is found by address.
  const persistent = profile.nameIDFormat === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' ? profile.nameID : null;
  const subject = first(attributes, EDU_PERSON_ATTRIBUTES.eduPersonPrincipalName!) ?? persistent ?? null;
  return { issuer, subject, email, name: name.slice(0, 80), groups };
}
