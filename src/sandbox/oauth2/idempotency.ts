import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendApiProblem } from './problems';

const WRITES = new Set(['PUT', 'POST', 'PATCH']);

interface KeyRow {
  fingerprint: string;
  state: 'in_flight' | 'done';
  status: number | null;
  content_type: string | null;
  body: string | null;
  expires_at: string;
}

/**
 * `Idempotency-Key` on Bearer writes: the same key with the same request (method, path, query,
 * body) replays the first 2xx answer; with a different request it is 400; while the first is
 * still running, 409. A failed first attempt leaves no record, so it can be retried. Keys live
 * for the configured time (5 minutes) per app and tenant. OAuth 1.0a calls pass by.
 * This half claims the key before the latency fault, so a slow first request holds it; the
 * answer is recorded by `recordIdempotentAnswer`, inside the after-commit faults.
 * @see PROTOCOL.md §4.8
 */
export function claimIdempotencyKey(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  const forget = deps.db.prepare("DELETE FROM oauth2_idempotency_keys WHERE client_id = ? AND tenant_id = ? AND key = ? AND state = 'in_flight'");
  return async (c, next) => {
    const auth = c.get('auth');
    const key = c.req.header('idempotency-key');
    if (!auth.oauth2 || !WRITES.has(c.req.method) || key === undefined || key === '') return next();
    if (key.length > 128) return sendApiProblem(c, 400, 'Bad Request', 'The Idempotency-Key header must be at most 128 characters.');
    const url = new URL(c.req.url);
    // The body's bytes, not its text: two files that differ only where they are not UTF-8 are two requests.
    const fingerprint = createHash('sha256').update(`${c.req.method}\n${url.pathname}\n${url.search}\n`).update(new Uint8Array(await c.req.arrayBuffer())).digest('hex');
    const ids = [auth.consumerKey, auth.organisationId, key] as const;
    const now = deps.clock.now();
    const claimed = deps.db.transaction((): KeyRow | 'claimed' => {
      const row = deps.db.prepare('SELECT * FROM oauth2_idempotency_keys WHERE client_id = ? AND tenant_id = ? AND key = ?').get(...ids) as KeyRow | undefined;
      if (row && Date.parse(row.expires_at) > now.getTime()) return row;
      const expiresAt = new Date(now.getTime() + deps.oauth2.settings.idempotencyKeySeconds * 1000).toISOString();
      deps.db
        .prepare("INSERT INTO oauth2_idempotency_keys (client_id, tenant_id, key, fingerprint, state, expires_at) VALUES (?, ?, ?, ?, 'in_flight', ?) ON CONFLICT DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_flight', status = NULL, content_type = NULL, body = NULL, expires_at = excluded.expires_at")
        .run(...ids, fingerprint, expiresAt);
      return 'claimed';
    }).immediate();
    if (claimed !== 'claimed') {
      if (claimed.fingerprint !== fingerprint) return sendApiProblem(c, 400, 'Bad Request', `The Idempotency-Key ${key} was already used with a different request.`);
      if (claimed.state === 'in_flight') return sendApiProblem(c, 409, 'Conflict', `A request with the Idempotency-Key ${key} is still being processed.`);
      c.set('problem', 'idempotent replay');
      return c.body(claimed.body ?? '', claimed.status as 200, { 'Content-Type': claimed.content_type ?? 'text/plain', 'Idempotent-Replayed': 'true' });
    }
    c.set('idempotencyKey', ids);
    try {
      await next();
    } finally {
      // Unless the answer was recorded, the key is free again for a retry.
      forget.run(...ids);
    }
  };
}

/** Records the 2xx answer of a request that claimed an Idempotency-Key, for later replays. */
export function recordIdempotentAnswer(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  const record = deps.db.prepare("UPDATE oauth2_idempotency_keys SET state = 'done', status = ?, content_type = ?, body = ? WHERE client_id = ? AND tenant_id = ? AND key = ?");
  return async (c, next) => {
    await next();
    const ids = c.get('idempotencyKey');
    if (!ids || c.res.status < 200 || c.res.status >= 300) return;
    record.run(c.res.status, c.res.headers.get('content-type'), await c.res.clone().text(), ...ids);
  };
}
