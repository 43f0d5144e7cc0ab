import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { pickLocale, translate, type ApiErrorBody, type ApiErrorCode, type Locale, type MessageKey } from '@passerelle/shared';

const STATUS: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_credentials: 401,
  payload_too_large: 413,
  email_taken: 409,
  setup_not_available: 410,
  too_many_attempts: 429,
  search_busy: 429,
  invitation_expired: 410,
  version_limit: 409,
  reset_link_invalid: 410,
  mail_not_configured: 409,
  sso_required: 403,
  workflow_refused: 409,
  webhook_address_refused: 400,
  internal: 500,
};

/** An error meant for the API client, rendered as `{ error: { code, message } }` in their language. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly details?: { path: string; message: string }[],
  ) {
    super(code);
    this.name = 'ApiError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** The language of a request: the person's saved choice, else their browser's. */
export function requestLocale(request: Request): Locale {
  const principal = request.principal;
  const saved = principal?.kind === 'member' ? principal.user.locale : (principal?.guest.locale ?? null);
  return saved ?? pickLocale(request.headers['accept-language'], 'en');
}

/** Validates a request body with a zod schema; a mismatch is a 400 listing each faulty field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ApiError(
      'invalid_request',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return parsed.data;
}

/** Turns every failure of the JSON API into the one error shape; unexpected ones are logged. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (isBodyParserError(error, 'entity.too.large')) apiError = new ApiError('payload_too_large');
    else if (isBodyParserError(error, 'entity.parse.failed')) {
      apiError = new ApiError('invalid_request', [{ path: '', message: 'body is not valid JSON' }]);
    } else if (error instanceof URIError) {
      // The router could not decode a path parameter (a malformed percent-escape): the client's
      // mistake, or a probe, and nothing the server must be woken for.
      logger.debug({ method: request.method, path: request.originalUrl.split('?')[0] }, 'malformed percent-escape in the path');
      apiError = new ApiError('invalid_request', [{ path: '', message: 'the path has a malformed percent-escape' }]);
    } else {
      logger.error({ err: error, method: request.method, url: request.originalUrl }, 'request failed');
      apiError = new ApiError('internal');
    }
    const body: ApiErrorBody = {
      error: {
        code: apiError.code,
        message: translate(requestLocale(request), `error.${apiError.code}` as MessageKey),
        ...(apiError.details ? { details: apiError.details } : {}),
      },
    };
    response.status(apiError.status).json(body);
  };
}

function isBodyParserError(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}
