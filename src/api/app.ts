import { Hono, type NotFoundHandler } from 'hono';
import { cors } from 'hono/cors';
import { MAX_BODY_BYTES } from '../domain/documents';
import { MAX_ATTACHMENT_BYTES } from '../domain/documents/attachment';
import { bodyScanner, multipartScanner, SCANNED_FORMATS } from '../lib/body-scan/body-scanner';
import { ATTACHMENT_SCAN_LIMITS, DEVICE_SCAN_LIMITS } from '../lib/body-scan/limits';
import { AppError } from '../lib/errors';
import { limitBodies, type BodyBudget, type BodyLimit } from '../server/body-limit';
import type { XeroCalls } from '../services/xero-calls';
import type { XeroDeps } from '../services/xero-app';
import { allowedMethods } from './method-not-allowed';
import { replyError } from './respond';
import { pairingRoutes } from './routes/pairing';
import { attachmentRoutes } from './routes/attachments';
import { documentRoutes } from './routes/documents';
import { jobRoutes } from './routes/jobs';
import { openApiRoutes } from './routes/openapi';
import { passThroughRoutes } from './routes/pass-through';
import { referenceRoutes } from './routes/reference';
import { organisationRoutes } from './routes/organisation';
import { statusRoutes } from './routes/status';

/** Pairing bodies are a device id and a name, well under 1 KiB; no key is needed to send one. */
export const PAIRING_BODY_BYTES = 16 * 1024;
/** Xero's own limit for a request to its APIs. */
export const PASS_THROUGH_BODY_BYTES = 3_500_000;
/** A file of Xero's 10 MB in base64 (a third larger) and the JSON around it. */
export const ATTACHMENT_JSON_BYTES = Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 64 * 1024;
/** A file of Xero's 10 MB as it is, and the form's other parts. */
export const ATTACHMENT_FORM_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024;

/**
 * The most each endpoint reads, and the scan its JSON or XML body gets while it arrives;
 * everything not named is a document endpoint (the limits and why are in `body-scan/limits`).
 * A pass-through body is not scanned: the proxy never parses it, and Xero judges what it is sent.
 */
export function apiBodyLimit(path: string, contentType = '', contentTypeHeader = contentType): BodyLimit {
  if (path.startsWith('/api/v1/xero/')) return { bytes: PASS_THROUGH_BODY_BYTES, advice: 'Xero takes no larger request' };
  const limits = path === '/api/v1/attachments' ? ATTACHMENT_SCAN_LIMITS : DEVICE_SCAN_LIMITS;
  const scanner = contentType === 'multipart/form-data' ? multipartScanner(contentTypeHeader, limits) : bodyScanner(SCANNED_FORMATS[contentType], limits);
  if (path.startsWith('/api/v1/pair')) return { bytes: PAIRING_BODY_BYTES, advice: 'a pairing request is a device id and a name', scanner };
  // A form carries the file as it is, so an 11 MB file is refused by its Content-Length alone.
  if (path === '/api/v1/attachments') return { bytes: contentType === 'multipart/form-data' ? ATTACHMENT_FORM_BYTES : ATTACHMENT_JSON_BYTES, advice: 'Xero takes files of at most 10 MB', scanner };
  return { bytes: MAX_BODY_BYTES, advice: 'send fewer documents per request', scanner };
}

/** The device API under `/api/v1`: JSON or XML, device keys, one error table. */
export function deviceApi(deps: XeroDeps, calls: XeroCalls, budget: BodyBudget): Hono {
  const api = new Hono();
  // Web and tablet tills on a named origin may call the API from a browser; the key travels in
  // the Authorization header, never a cookie, so no credentials are allowed and never "*".
  const origins = deps.config.api.corsOrigins;
  if (origins.length > 0) {
    api.use(
      '*',
      cors({
        origin: (origin) => (origins.includes(origin) ? origin : null),
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        allowHeaders: ['Authorization', 'Content-Type', 'Accept', 'Idempotency-Key'],
        exposeHeaders: ['Location', 'Retry-After', 'WWW-Authenticate'],
        maxAge: 600,
        credentials: false,
      }),
    );
  }
  // Before any route, key check or parser: a body is bounded before anything pays for it.
  api.use('*', limitBodies(budget, apiBodyLimit));
  api.route('/', pairingRoutes(deps));
  api.route('/', statusRoutes(deps, calls.pacer));
  api.route('/', organisationRoutes(deps, calls));
  api.route('/', jobRoutes(deps));
  api.route('/', documentRoutes(deps));
  api.route('/', attachmentRoutes(deps));
  api.route('/', openApiRoutes(deps));
  api.route('/', passThroughRoutes(deps, calls));
  api.route('/', referenceRoutes(deps, calls));
  api.onError((error, c) => {
    const response = replyError(c, error);
    if (response.status >= 500) deps.logger.error('device API request failed', { path: c.req.path, error });
    return response;
  });
  return api;
}

/**
 * The answer to a request no route takes, for the app the API is mounted in (Hono asks the
 * top-level app, not the mounted one): under `/api/v1`, 405 `method_not_allowed` with `Allow`
 * when the path exists with other methods, else 404 `not_found`, in the API's JSON or XML.
 */
export function apiNotFound(api: Hono<any>, mountedAt = '/api/v1'): NotFoundHandler {
  const allowed = allowedMethods(api);
  return (c) => {
    const path = c.req.path;
    if (path !== mountedAt && !path.startsWith(mountedAt + '/')) return c.text('Not Found', 404);
    const methods = allowed(path.slice(mountedAt.length) || '/');
    if (methods.length === 0) return replyError(c, new AppError('not_found', `There is no API endpoint ${c.req.method} ${path}.`));
    c.header('Allow', methods.join(', '));
    return replyError(c, new AppError('method_not_allowed', `${path} does not take ${c.req.method}; it takes ${methods.join(', ')}.`));
  };
}
