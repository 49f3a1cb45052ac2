import { Hono } from 'hono';
import { ManualClock } from '../../src/lib/clock';
import { toAppError } from '../../src/lib/errors';
import { silentLogger } from '../../src/lib/logger';
import { seedDemo } from '../../src/sandbox/app';
import { SandboxClock } from '../../src/sandbox/clock';
import { FaultState } from '../../src/sandbox/control/faults';
import type { SandboxDeps, SandboxEnv } from '../../src/sandbox/deps';
import { RateLimiter } from '../../src/sandbox/limits';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { payrollRoutes } from '../../src/sandbox/payroll/routes';
import { SANDBOX_MIGRATIONS } from '../../src/sandbox/store/migrations';
import { startServer } from '../../src/server/listen';
import { openDatabase } from '../../src/store/db';

/** The first demo organisation (AU), whose payroll the helper serves by default. */
export const PAYROLL_ORG = DEMO_ORGANISATIONS[0]!;

export interface PayrollOnlySandbox {
  /** e.g. http://127.0.0.1:41234/payroll.xro/1.0 */
  base: string;
  deps: SandboxDeps;
  clock: ManualClock;
  /** Fetch under `base` as `organisationId` (default: the helper's organisation). */
  call(path: string, init?: RequestInit & { organisationId?: string }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Serves only the Payroll AU routes on a real socket, over a fresh in-memory sandbox database
 * seeded with the demo organisations, with a stand-in for the OAuth 1.0a verifier that marks
 * every request as coming from `organisationId` (or from the `x-test-organisation` header).
 * The clock is manual and starts at 2026-01-15T00:00:00Z.
 */
export async function startPayrollOnly(options: { organisationId?: string } = {}): Promise<PayrollOnlySandbox> {
  const clock = new ManualClock('2026-01-15T00:00:00Z');
  const db = openDatabase(':memory:', { migrations: SANDBOX_MIGRATIONS });
  const sandboxClock = new SandboxClock(db, clock);
  const deps: SandboxDeps = {
    db,
    clock: sandboxClock,
    settings: { limits: { perMinute: 1000, perDay: 100_000, concurrency: 50 }, rateLimitStatus: 503, timestampWindowSeconds: 300 },
    logger: silentLogger,
    faults: new FaultState(db),
    limiter: new RateLimiter(sandboxClock, { perMinute: 1000, perDay: 100_000, concurrency: 50 }),
    random: () => 0.5,
  };
  seedDemo(db, sandboxClock);

  const organisationId = options.organisationId ?? PAYROLL_ORG.id;
  const app = new Hono<SandboxEnv>();
  app.use('*', async (c, next) => {
    c.set('auth', { consumerKey: 'test', appType: 'private', organisationId: c.req.header('x-test-organisation') ?? organisationId, token: 'test' });
    await next();
  });
  app.route('/payroll.xro/1.0', payrollRoutes(deps));
  app.notFound((c) => c.text("The resource you're looking for cannot be found", 404));
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.code === 'invalid') return c.text(appError.message, 400);
    return c.text(`unexpected: ${appError.message}`, 500);
  });

  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 });
  const base = `${server.url}/payroll.xro/1.0`;
  return {
    base,
    deps,
    clock,
    call: (path, init = {}) => {
      const { organisationId: asOrg, headers, ...rest } = init;
      return fetch(`${base}${path}`, { ...rest, headers: { ...(headers as Record<string, string> | undefined), ...(asOrg ? { 'x-test-organisation': asOrg } : {}) } });
    },
    stop: async () => {
      await server.close(1000);
      db.close();
    },
  };
}
