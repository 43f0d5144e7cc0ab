import type { RequestHandler } from 'express';
import { isSameOrigin } from '../auth/auth-service.js';
import { ApiError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Paths under `/api` that a SAML identity provider's page posts to from its own site. */
const IDENTITY_PROVIDER_POSTS = new Set(['/auth/saml/acs', '/auth/saml/logout']);

/**
 * Cross-site request forgery guard for everything a cookie could authorise. Session cookies are
 * SameSite=Lax already; on top of that a state-changing request must not come from another site:
 * its Origin (sent by browsers on every such request) must be ours, and a browser's
 * `Sec-Fetch-Site` must say same-origin (or none: typed by the person). Requests with an
 * `Authorization` header carry a token a foreign page cannot read, and are let through, and so are
 * the SAML identity provider's posts back, which carry a signed answer bound to this browser's cookie.
 */
export const rejectCrossSiteRequests: RequestHandler = (request, _response, next) => {
  if (SAFE_METHODS.has(request.method) || request.headers.authorization || IDENTITY_PROVIDER_POSTS.has(request.path)) {
    next();
    return;
  }
  const fetchSite = request.headers['sec-fetch-site'];
  const crossSite = (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') || !isSameOrigin(request);
  next(crossSite ? new ApiError('forbidden') : undefined);
};
