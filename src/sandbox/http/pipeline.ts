import type { MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';

const PLAIN_500 = 'An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.';
const PLAIN_503 = 'The Xero API is temporarily unavailable. Please try again later.';
const RATE_LIMIT_BODY = 'oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait%20before%20retrying%20the%20xero%20api';
const HEADER_PROBLEM = { minute: 'Minute', day: 'Daily', concurrent: 'Concurrent' } as const;

const isWrite = (method: string) => method === 'PUT' || method === 'POST' || method === 'DELETE';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Adds the configured latency to every API call, and says so in `X-Sandbox-Latency-Ms` (Xero
 * sends no such header; it is there only while the fault is set) so a test can see the delay
 * was served without timing it.
 */
export function latencyFault(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const { latencyMs, latencyJitterMs } = deps.faults.current;
    const delay = latencyMs + Math.floor(deps.random() * latencyJitterMs);
    if (delay > 0) await sleep(delay);
    await next();
    if (delay > 0) c.header('X-Sandbox-Latency-Ms', String(delay));
  };
}

/** "Organisation offline" (503, form-encoded oauth_problem) for organisations set offline. */
export function organisationOffline(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    if (deps.faults.current.offlineOrganisations.includes(c.get('auth').organisationId)) {
      c.set('problem', 'organisation offline');
      return c.body('oauth_problem=organisation%20offline&oauth_problem_advice=the%20organisation%20is%20temporarily%20offline', 503, {
        'Content-Type': 'text/html; charset=utf-8',
      });
    }
    await next();
  };
}

/**
 * Xero's per-organisation limits. OAuth 1.0a era answer: 503 (or 429 when configured) with the
 * form-encoded `rate limit exceeded` problem, `X-Rate-Limit-Problem` and `Retry-After`.
 */
export function rateLimit(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    // Bearer calls meet OAuth 2.0's limits instead (oauth2/rate-limit.ts).
    if (c.get('auth').oauth2) return next();
    const admission = deps.limiter.admit(c.get('auth').organisationId);
    if (!admission.ok) {
      c.set('problem', `rate limit exceeded (${admission.problem})`);
      return c.body(RATE_LIMIT_BODY, deps.settings.rateLimitStatus, {
        'Content-Type': 'text/html; charset=utf-8',
        'X-Rate-Limit-Problem': HEADER_PROBLEM[admission.problem],
        'Retry-After': String(admission.retryAfterSeconds),
      });
    }
    try {
      await next();
      c.header('X-MinLimit-Remaining', String(admission.remaining.minute));
      c.header('X-DayLimit-Remaining', String(admission.remaining.day));
    } finally {
      admission.release();
    }
  };
}

/**
 * Injected failures: an error status before anything happens, and after a committed write
 * either a 500 or a dropped connection, so clients face "did my invoice get created?".
 */
export function errorFaults(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const faults = deps.faults.current;
    const eligible = !faults.writesOnly || isWrite(c.req.method);
    if (eligible) {
      let roll = deps.random();
      for (const [status, rate] of Object.entries(faults.errorRates)) {
        if (roll < rate) {
          c.set('problem', `injected ${status}`);
          return c.text(status === '500' ? PLAIN_500 : PLAIN_503, Number(status) as 500 | 502 | 503 | 504);
        }
        roll -= rate;
      }
    }
    await next();
    if (!c.get('committedWrite')) return;
    if (deps.random() < faults.dropAfterCommitRate) {
      c.set('problem', 'injected drop after commit');
      const socket = c.env?.incoming?.socket;
      if (socket) {
        socket.destroy();
        return;
      }
    }
    if (deps.random() < faults.errorAfterCommitRate) {
      c.set('problem', 'injected 500 after commit');
      c.res = new Response(PLAIN_500, { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  };
}

/** Records every call in the request log the control API serves (bodies of writes included). */
export function requestLog(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  const insert = deps.db.prepare(
    'INSERT INTO request_log (at, method, path, query, status, organisation_id, consumer_key, content_type, request_body, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const prune = deps.db.prepare('DELETE FROM request_log WHERE id <= (SELECT MAX(id) FROM request_log) - 5000');
  let count = 0;
  return async (c, next) => {
    const at = deps.clock.now().toISOString();
    const url = new URL(c.req.url);
    let body: string | null = null;
    // A file's bytes (an attachment) are not text and are not kept in the log.
    if (isWrite(c.req.method) && /xml|json|form-urlencoded|^text\/|^$/i.test(c.req.header('content-type') ?? '')) {
      body = await c.req.text().catch(() => null);
      if (body !== null && body.length > 65_536) body = body.slice(0, 65_536);
    }
    try {
      await next();
    } finally {
      const auth = c.get('auth') as SandboxEnv['Variables']['auth'] | undefined;
      insert.run(at, c.req.method, url.pathname, url.search, c.res.status, auth?.organisationId ?? null, auth?.consumerKey ?? null, c.req.header('content-type') ?? null, body, c.get('problem') ?? null);
      if (++count % 500 === 0) prune.run();
    }
  };
}
