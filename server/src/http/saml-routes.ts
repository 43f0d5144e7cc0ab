import express, { type Request, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { SAML_FLOW_COOKIE, SAML_FLOW_SECONDS, SAML_SESSION_COOKIE, type SamlSignIn } from '../auth/saml.js';
import type { SamlConfig } from '../config.js';
import type { SsoRouteOptions } from './sso-routes.js';
import { completeSsoSignIn, refuseSso, sameSitePath } from './sso-sign-in.js';

const SAML_COOKIE_PATH = '/api/auth/saml';

function cookieOf(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[name] : undefined;
}

/**
 * SAML 2.0 single sign-on: `GET /auth/saml/metadata` (Passerelle's service provider metadata, to
 * register with the federation), `GET /auth/saml/start`, `POST /auth/saml/acs` (the assertion
 * consumer), `GET /auth/saml/end-session` (the provider's single logout) and `/auth/saml/logout`
 * (where the provider comes back). Browser navigations: refusals land on `/login?sso=<reason>`.
 */
export function mountSamlRoutes(router: express.Router, options: SsoRouteOptions, saml: { signIn: SamlSignIn; config: SamlConfig }): void {
  const secure = (request: Request) => options.secureCookies || request.secure;

  router.get('/auth/saml/metadata', async (request, response) => {
    response.type('application/samlmetadata+xml').send(await saml.signIn.metadata(options.linkBase(request)));
  });

  router.get('/auth/saml/start', async (request, response) => {
    let attempt: { url: string; cookie: string };
    try {
      attempt = await saml.signIn.start(options.linkBase(request), sameSitePath(request.query.returnTo));
    } catch {
      refuseSso(response, 'unavailable');
      return;
    }
    response.cookie(SAML_FLOW_COOKIE, attempt.cookie, {
      httpOnly: true,
      // The answer comes back as a POST from the provider's site, which only a SameSite=None cookie
      // follows; browsers accept that on Secure cookies only, so plain HTTP (a laptop) keeps Lax.
      sameSite: secure(request) ? 'none' : 'lax',
      secure: secure(request),
      path: SAML_COOKIE_PATH,
      maxAge: SAML_FLOW_SECONDS * 1000,
    });
    response.redirect(303, attempt.url);
  });

  router.post('/auth/saml/acs', express.urlencoded({ extended: false, limit: options.maxBodyBytes }), async (request, response) => {
    const cookie = cookieOf(request, SAML_FLOW_COOKIE);
    // One attempt, one answer: the cookie goes whatever the outcome.
    response.clearCookie(SAML_FLOW_COOKIE, { path: SAML_COOKIE_PATH });
    const body = (request.body ?? {}) as Record<string, unknown>;
    const samlResponse = typeof body.SAMLResponse === 'string' ? body.SAMLResponse : undefined;
    const outcome = await saml.signIn.finish(options.linkBase(request), samlResponse, cookie);
    if ('refused' in outcome) {
      await options.audit.record(request, 'login_failed', { actor: null, details: { method: 'saml', reason: outcome.refused } });
      refuseSso(response, outcome.refused);
      return;
    }
    const signedIn = await completeSsoSignIn(request, response, options, { method: 'saml', rules: saml.config, identity: outcome.identity });
    if ('refused' in signedIn) {
      refuseSso(response, signedIn.refused);
      return;
    }
    response.cookie(SAML_SESSION_COOKIE, outcome.session, { httpOnly: true, sameSite: 'lax', secure: secure(request), path: SAML_COOKIE_PATH });
    response.redirect(303, outcome.returnTo);
  });

  router.get('/auth/saml/end-session', async (request, response) => {
    let url: string | null = null;
    try {
      url = await saml.signIn.endSessionUrl(options.linkBase(request), cookieOf(request, SAML_SESSION_COOKIE));
    } catch {
      url = null;
    }
    response.clearCookie(SAML_SESSION_COOKIE, { path: SAML_COOKIE_PATH });
    response.redirect(303, url ?? '/login');
  });

  // The provider's answer to a sign-out, by redirect or by post: the Passerelle session is over already.
  const backFromLogout = (_request: Request, response: Response) => response.redirect(303, '/login');
  router.get('/auth/saml/logout', backFromLogout);
  router.post('/auth/saml/logout', backFromLogout);
}
