import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../lib/errors';

/** The one table from error codes to HTTP statuses, for the device API and the pages alike. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  document_changed: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  internal: 500,
};
