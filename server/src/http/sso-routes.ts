import type express from 'express';
import type { Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { SignInMethods } from '@passerelle/shared';
import { SSO_FLOW_COOKIE, SSO_FLOW_SECONDS, type OidcSignIn } from '../auth/oidc.js';
import type { SamlSignIn } from '../auth/saml.js';
import type { OidcConfig, SamlConfig } from '../config.js';
import type { PeopleStore } from '../store/account-store.js';
import type { Audit } from './audit.js';
import { mountSamlRoutes } from './saml-routes.js';
import { completeSsoSignIn, refuseSso, sameSitePath } from './sso-sign-in.js';

/** What the single sign-on routes need from the API router. */
export interface SsoRouteOptions {
  oidc: { signIn: OidcSignIn; config: OidcConfig } | null;
  saml: { signIn: SamlSignIn; config: SamlConfig } | null;
  /** Largest form body accepted (the SAML answer, posted by the browser). */
  maxBodyBytes: number;
  requireSso: { breakGlassEmail: string } | null;
  people: PeopleStore;
  audit: Audit;
  secureCookies: boolean;
  /** The public base URL (`PUBLIC_URL`), else the request's own origin. */
  linkBase: (request: Request) => string;
  /** Opens a Passerelle session for the account and sets its cookie. */
  signIn: (request: Request, response: Response, userId: string) => Promise<void>;
}

const FLOW_COOKIE_PATH = '/api/auth/sso';

/**
 * `GET /auth/methods` (how one may sign in) and, with OpenID Connect configured, `/auth/sso/start`,
 * `/auth/sso/callback` and `/auth/sso/end-session`. These are browser navigations, not fetches:
 * refusals land on the sign-in page with `?sso=<reason>`, which says why in the person's language.
 */
export function mountSsoRoutes(router: express.Router, options: SsoRouteOptions): void {
  const { oidc, saml } = options;

  router.get('/auth/methods', async (_request, response) => {
    const methods: SignInMethods = {
      sso: oidc ? { displayName: oidc.signIn.displayName, endSession: await oidc.signIn.offersEndSession() } : null,
      saml: saml ? { displayName: saml.signIn.displayName, endSession: await saml.signIn.offersEndSession() } : null,
      passwordRequiresSso: options.requireSso !== null,
    };
    response.json(methods);
  });

  if (saml) mountSamlRoutes(router, options, saml);
  if (!oidc) return;
  const redirectUri = (request: Request) => `${options.linkBase(request)}/api/auth/sso/callback`;

  router.get('/auth/sso/start', async (request, response) => {
    let attempt: { url: string; cookie: string };
    try {
      attempt = await oidc.signIn.start(redirectUri(request), sameSitePath(request.query.returnTo));
    } catch {
      refuseSso(response, 'unavailable');
      return;
    }
    response.cookie(SSO_FLOW_COOKIE, attempt.cookie, {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
      sameSite: 'lax',
      secure: options.secureCookies || request.secure,
      path: FLOW_COOKIE_PATH,
      maxAge: SSO_FLOW_SECONDS * 1000,
    });
    response.redirect(303, attempt.url);
  });

  router.get('/auth/sso/callback', async (request, response) => {
    const header = request.headers.cookie;
    const cookie = header ? parseCookie(header)[SSO_FLOW_COOKIE] : undefined;
    // One attempt, one callback: the cookie goes whatever the outcome.
    response.clearCookie(SSO_FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
    const callbackUrl = new URL(request.originalUrl, 'http://callback');
    const outcome = await oidc.signIn.finish(callbackUrl, cookie, redirectUri(request));
    if ('refused' in outcome) {
      await options.audit.record(request, 'login_failed', { actor: null, details: { method: 'sso', reason: outcome.refused } });
      refuseSso(response, outcome.refused);
      return;
    }
    const signedIn = await completeSsoSignIn(request, response, options, { method: 'sso', rules: oidc.config, identity: outcome.identity });
    if ('refused' in signedIn) {
      refuseSso(response, signedIn.refused);
      return;
    }
    response.redirect(303, outcome.returnTo);
  });

  router.get('/auth/sso/end-session', async (request, response) => {
    let url: string | null = null;
    try {
      url = await oidc.signIn.endSessionUrl(`${options.linkBase(request)}/login`);
    } catch {
      url = null;
    }
    response.redirect(303, url ?? '/login');
  });
}
