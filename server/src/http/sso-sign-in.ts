import type { Request, Response } from 'express';
import { provisionAccount, type SsoAccountRules, type SsoIdentity, type SsoRefusal } from '../auth/sso-accounts.js';
import type { SsoRouteOptions } from './sso-routes.js';

/** Only same-site paths: `returnTo=https://elsewhere` must not turn sign-in into a redirect service. */
export function sameSitePath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

/** Sends a refused single sign-on back to the sign-in page, which says why in the person's language. */
export function refuseSso(response: Response, reason: SsoRefusal): void {
  response.redirect(303, `/login?sso=${reason}`);
}

/**
 * Ends a verified single sign-on, whatever the protocol: the account is created or brought in line
 * with the provider's groups, the attempt is audited, and the session opens; else the refusal.
 */
export async function completeSsoSignIn(
  request: Request,
  response: Response,
  options: SsoRouteOptions,
  sso: { method: 'sso' | 'saml'; rules: SsoAccountRules; identity: SsoIdentity },
): Promise<{ signedIn: true } | { refused: SsoRefusal }> {
  const account = await provisionAccount(options.people, sso.rules, sso.identity, {
    breakGlassEmail: options.requireSso?.breakGlassEmail ?? null,
  });
  if ('refused' in account) {
    await options.audit.record(request, 'login_failed', { actor: null, target: sso.identity.email, details: { method: sso.method, reason: account.refused } });
    return account;
  }
  const { user, created } = account;
  await options.audit.record(request, 'login_succeeded', {
    actor: user,
    target: user.email,
    details: { method: sso.method, created, departments: user.departments.join(','), admin: user.isAdmin },
  });
  await options.signIn(request, response, user.id);
  return { signedIn: true };
}
