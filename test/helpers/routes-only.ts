import { Hono } from 'hono';
import { ManualClock } from '../../src/lib/clock';
import { toAppError } from '../../src/lib/errors';
import { silentLogger } from '../../src/lib/logger';
import { SandboxClock } from '../../src/sandbox/clock';
import { FaultState } from '../../src/sandbox/control/faults';
import type { SandboxDeps, SandboxEnv, SandboxLimits } from '../../src/sandbox/deps';
import { RateLimiter } from '../../src/sandbox/limits';
import { OAuth2State } from '../../src/sandbox/oauth2/state';
import { SANDBOX_MIGRATIONS } from '../../src/sandbox/store/migrations';
import { startServer } from '../../src/server/listen';
import { openDatabase, type Db } from '../../src/store/db';

export interface RoutesOnlyOptions {
  /** Mounts the routes under test, e.g. `(app, deps) => app.route('/api.xro/2.0', accountingRoutes(deps))`. */
  mount(app: Hono<SandboxEnv>, deps: SandboxDeps): void;
  /** Fills the fresh database: the organisations and the demo data the routes need. */
  seed(db: Db, clock: SandboxClock): void;
  /** Where the manual clock starts, e.g. '2026-03-02T09:30:00Z'. */
  start: string;
  /** The organisation requests act for until `actAs` changes it. */
  organisationId: string;
}

export interface RoutesOnlyServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  deps: SandboxDeps;
  /** The clock under the sandbox clock; move it to test If-Modified-Since and UpdatedDateUTC. */
  clock: ManualClock;
  /** Per request served, in order: whether the handler reported a committed write (`committedWrite`). */
  committed: boolean[];
  /** Which organisation later requests act for (one request may name another in `x-test-organisation`). */
  actAs(organisationId: string): void;
  stop(): Promise<void>;
}

// Generous limits, so no test trips the rate limiter by accident.
const LIMITS: SandboxLimits = { perMinute: 1000, perDay: 100_000, concurrency: 50 };

/**
 * Serves only the given sandbox routes on a real socket, over a fresh in-memory sandbox
 * database, behind a stand-in for the OAuth 1.0a verifier that sets `auth` for a demo
 * organisation, so route tests depend on neither OAuth nor the other API.
 * @example await startRoutesOnly({ start: '2026-01-15T00:00:00Z', organisationId, seed: seedDemo, mount: (app, deps) => app.route('/payroll.xro/1.0', payrollRoutes(deps)) })
 */
export async function startRoutesOnly(options: RoutesOnlyOptions): Promise<RoutesOnlyServer> {
  const clock = new ManualClock(options.start);
  const db = openDatabase(':memory:', { migrations: SANDBOX_MIGRATIONS });
  const sandboxClock = new SandboxClock(db, clock);
  const deps: SandboxDeps = {
    db,
    clock: sandboxClock,
    settings: { limits: { ...LIMITS }, rateLimitStatus: 503, timestampWindowSeconds: 300 },
    logger: silentLogger,
    faults: new FaultState(db),
    limiter: new RateLimiter(sandboxClock, { ...LIMITS }),
    oauth2: new OAuth2State(sandboxClock),
    random: () => 0.5,
  };
  options.seed(db, sandboxClock);

  let organisationId = options.organisationId;
  const committed: boolean[] = [];
  const app = new Hono<SandboxEnv>();
  app.use('*', async (c, next) => {
    c.set('auth', { consumerKey: c.req.header('x-test-app') ?? 'test', appType: 'private', organisationId: c.req.header('x-test-organisation') ?? organisationId, token: 'test' });
    await next();
    committed.push(c.get('committedWrite') === true);
  });
  options.mount(app, deps);
  app.notFound((c) => c.text("The resource you're looking for cannot be found", 404));
  // Routes without their own error handler fall back to the whole sandbox's rule; anything else is a bug to show.
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.code === 'invalid') return c.text(appError.message, 400);
    return c.text(`unexpected: ${appError.message}`, 500);
  });

  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    deps,
    clock,
    committed,
    actAs: (id) => {
      organisationId = id;
    },
    stop: async () => {
      await server.close(1000);
      db.close();
    },
  };
}
