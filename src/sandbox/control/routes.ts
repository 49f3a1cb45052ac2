import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { listOrganisations } from '../organisations';
import { archiveRoutes } from './archive-routes';
import { documentRoutes } from './document-routes';
import { organisationSettingsRoutes } from './organisation-routes';
import { payrollApiRoutes } from './payroll-api-routes';
import { payrollArchiveRoutes } from './payroll-archive-routes';

/**
 * The control API integrators and tests use to steer the sandbox (documented in the README).
 * App registration and scripted authorisation live beside the OAuth provider.
 */
export function controlRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/organisations', (c) => c.json({ organisations: listOrganisations(deps.db) }));
  app.route('/organisations', organisationSettingsRoutes(deps));
  app.route('/organisations', archiveRoutes(deps));
  app.route('/organisations', documentRoutes(deps));
  app.route('/organisations', payrollApiRoutes(deps));
  app.route('/organisations', payrollArchiveRoutes(deps));

  app.get('/clock', (c) => c.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetMs / 1000 }));
  app.post('/clock', async (c) => {
    const body = await jsonBody(c.req);
    const seconds = body['advanceSeconds'];
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new AppError('invalid', 'advanceSeconds: must be a number of seconds, zero or more (the clock never goes back).', { field: 'advanceSeconds' });
    }
    deps.clock.advance(seconds * 1000);
    return c.json({ now: deps.clock.now().toISOString(), offsetSeconds: deps.clock.offsetMs / 1000 });
  });

  app.get('/faults', (c) => c.json(deps.faults.current));
  app.put('/faults', async (c) => c.json(deps.faults.set(await jsonBody(c.req))));
  app.delete('/faults', (c) => c.json(deps.faults.clear()));

  app.get('/limits', (c) => c.json(deps.limiter.current));
  app.put('/limits', async (c) => {
    const body = await jsonBody(c.req);
    const next = { ...deps.limiter.current };
    for (const key of ['perMinute', 'perDay', 'concurrency'] as const) {
      if (body[key] === undefined) continue;
      const value = body[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new AppError('invalid', `${key}: must be a whole number of at least 1.`, { field: key });
      next[key] = value;
    }
    deps.limiter.setLimits(next);
    deps.limiter.reset();
    return c.json(next);
  });

  app.get('/ledger', (c) => {
    const organisationId = c.req.query('organisationId');
    const type = c.req.query('type');
    const since = Number(c.req.query('afterSeq') ?? '0');
    const rows = deps.db
      .prepare(
        `SELECT seq, organisation_id AS organisationId, type, id, number, reference, created_at AS createdAt, updated_at AS updatedAt, body
         FROM documents WHERE seq > ? AND (? IS NULL OR organisation_id = ?) AND (? IS NULL OR type = ?) ORDER BY seq LIMIT 10000`,
      )
      .all(since, organisationId ?? null, organisationId ?? null, type ?? null, type ?? null) as Array<Record<string, unknown>>;
    return c.json({ documents: rows.map((row) => ({ ...row, body: JSON.parse(String(row['body'])) })) });
  });

  app.get('/requests', (c) => {
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? '100') || 100, 1), 5000);
    const rows = deps.db
      .prepare(
        `SELECT id, at, method, path, query, status, organisation_id AS organisationId, consumer_key AS consumerKey, content_type AS contentType, request_body AS requestBody, problem
         FROM request_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit);
    return c.json({ requests: rows });
  });

  return app;
}

async function jsonBody(request: { text(): Promise<string> }): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new AppError('invalid', 'The body must be a JSON object.');
  }
}
