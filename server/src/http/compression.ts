import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/**
 * Whether an answer may be compressed. Pages and API answers carry what only the signed-in person
 * may read next to what a request put there (a search, a board's name). Compressed, the size of
 * such an answer tells a network observer whether a guess matches a secret when another site can
 * make the browser send the request with its cookie, as many times as it likes (BREACH). So an
 * answer is compressed only when no other site can have caused its request:
 * - a browser says where the request comes from (`Sec-Fetch-Site`): compressed when it is this
 *   site itself or the person (an address typed, a bookmark), not for another site's page;
 * - a request with no cookie (a token in `Authorization`, a calendar's feed address, a
 *   healthcheck) carries nothing another site could make the browser add;
 * - a request with a cookie and no `Sec-Fetch-Site` (a browser too old to say) is not compressed.
 * The build's scripts and stylesheets come precompressed as they are and are left alone here.
 */
export function mayCompress(request: Request): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  return request.headers.cookie === undefined;
}

/** Compresses (brotli or gzip, as the browser accepts) what `mayCompress` allows, of compressible types. */
export function compressAnswers(): RequestHandler {
  return compression({
    filter: (request: Request, response: Response) => mayCompress(request) && compression.filter(request, response),
  });
}
