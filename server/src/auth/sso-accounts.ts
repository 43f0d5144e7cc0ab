import { newId, type Department } from '@passerelle/shared';
import type { GroupGrant } from '../config.js';
import { EmailTakenError, type PeopleStore, type UserRecord } from '../store/account-store.js';

/**
 * Why a single sign-on attempt was refused; the web app shows `sso.refused.<code>` in the person's
 * language. `state`: missing, expired, forged or already used (OpenID Connect state, SAML
 * InResponseTo); `failed`: the provider's answer did not verify (code, PKCE, ID token, nonce; SAML
 * signature, audience, validity); `unavailable`: the provider could not be reached;
 * `account_linked`: the address's account belongs to another identity at the provider.
 */
export type SsoRefusal = 'state' | 'failed' | 'unavailable' | 'no_email' | 'no_group' | 'deactivated' | 'account_linked';

/** Who the provider says signed in, reduced to what Passerelle uses. */
export interface SsoIdentity {
  /** The provider that vouches for the person (the ID token's `iss`, the SAML assertion's issuer); with `subject`, their stable identifier. */
  issuer: string;
  /**
   * The provider's identifier of the person (`sub`, eduPersonPrincipalName or a persistent NameID),
   * which never changes nor passes to someone else; null when the provider gives none that lasts (a
   * transient NameID), and the person is then found by address only.
   */
  subject: string | null;
  email: string;
  name: string;
  groups: string[];
}

/** How a provider's groups decide access: the same rules for OpenID Connect and SAML. */
export interface SsoAccountRules {
  /** From a provider group to what it grants; null: accounts are created with no department and never changed by sign-in. */
  groupMap: ReadonlyMap<string, GroupGrant> | null;
  /** Refuse a person none of whose groups is in the map. */
  requireKnownGroup: boolean;
}

/** What a person's groups grant together; null when none of them is in the map. */
export function grantOf(groupMap: ReadonlyMap<string, GroupGrant>, groups: readonly string[]): GroupGrant | null {
  const departments = new Set<Department>();
  let isAdmin = false;
  let known = false;
  for (const group of groups) {
    const grant = groupMap.get(group);
    if (!grant) continue;
    known = true;
    isAdmin ||= grant.isAdmin;
    for (const department of grant.departments) departments.add(department);
  }
  return known ? { departments: [...departments].sort(), isAdmin } : null;
}

/**
 * The account of a person who signed in through the provider: the one linked to their identity there
 * (issuer and subject), else the one with their address, which is then linked to it, else a new one.
 * An address can change or pass to someone else; the subject does neither, so an account linked to
 * one subject never opens for another. With a group map, departments and administrator flag are set
 * to what the groups grant now. The break-glass administrator's account is never changed by the
 * provider, so that it cannot be locked out by it.
 */
export async function provisionAccount(
  people: PeopleStore,
  config: SsoAccountRules,
  identity: SsoIdentity,
  options: { breakGlassEmail: string | null },
): Promise<{ user: UserRecord; created: boolean } | { refused: SsoRefusal }> {
  const grant = config.groupMap ? grantOf(config.groupMap, identity.groups) : null;
  const subject = identity.subject;
  const linked = subject === null ? null : await people.findUserByExternalId(identity.issuer, subject);
  const existing = linked ?? (await people.findUserByEmail(identity.email));
  if (existing?.deactivatedAt) return { refused: 'deactivated' };
  const breakGlass = (existing?.email ?? identity.email) === options.breakGlassEmail;
  if (config.requireKnownGroup && !grant && !breakGlass) return { refused: 'no_group' };
  if (existing) {
    if (subject !== null && !linked && !(await people.linkExternalId(existing.id, identity.issuer, subject))) return { refused: 'account_linked' };
    if (!config.groupMap || breakGlass) return { user: existing, created: false };
    const next = grant ?? { departments: [], isAdmin: false };
    const unchanged = existing.isAdmin === next.isAdmin && [...existing.departments].sort().join() === [...next.departments].sort().join();
    if (unchanged) return { user: existing, created: false };
    const updated = await people.updateUser(existing.id, { departments: next.departments, isAdmin: next.isAdmin });
    return { user: updated ?? existing, created: false };
  }
  const user: UserRecord = {
    id: newId(),
    email: identity.email,
    name: identity.name,
    // No password: the argon2 check cannot succeed against an empty hash, so this account signs in through the provider only.
    passwordHash: '',
    isAdmin: grant?.isAdmin ?? false,
    managesAgreements: false,
    locale: null,
    departments: grant?.departments ?? [],
    createdAt: new Date().toISOString(),
    deactivatedAt: null,
  };
  try {
    await people.createUser(user);
  } catch (error) {
    // Two first sign-ins at once: the other one created it; sign in to that account.
    if (!(error instanceof EmailTakenError)) throw error;
    return provisionAccount(people, config, identity, options);
  }
  // Of two first sign-ins of one identity under two addresses at once, the second account stays unlinked and is refused.
  if (subject !== null && !(await people.linkExternalId(user.id, identity.issuer, subject))) return { refused: 'account_linked' };
  return { user, created: true };
}
