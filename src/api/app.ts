import { Hono } from 'hono';
import { AppError } from '../lib/errors';
import type { XeroCalls } from '../services/xero-calls';
import type { XeroDeps } from '../services/xero-app';
import { replyError } from './respond';
import { pairingRoutes } from './routes/pairing';
import { documentRoutes } from './routes/documents';
import { jobRoutes } from './routes/jobs';
import { openApiRoutes } from './routes/openapi';
import { passThroughRoutes } from './routes/pass-through';
import { referenceRoutes } from './routes/reference';
import { organisationRoutes } from './routes/organisation';
import { statusRoutes } from './routes/status';

/** The device API under `/api/v1`: JSON or XML, device keys, one error table. */
export function deviceApi(deps: XeroDeps, calls: XeroCalls): Hono {
  const api = new Hono();
  api.route('/', pairingRoutes(deps));
  api.route('/', statusRoutes(deps));
  api.route('/', organisationRoutes(deps, calls));
  api.route('/', jobRoutes(deps));
  api.route('/', documentRoutes(deps));
  api.route('/', openApiRoutes(deps));
  api.route('/', passThroughRoutes(deps, calls));
  api.route('/', referenceRoutes(deps, calls));
  api.notFound((c) => replyError(c, new AppError('not_found', `There is no API endpoint ${c.req.method} ${c.req.path}.`)));
  api.onError((error, c) => {
    const response = replyError(c, error);
    if (response.status >= 500) deps.logger.error('device API request failed', { path: c.req.path, error });
    return response;
  });
  return api;
}
