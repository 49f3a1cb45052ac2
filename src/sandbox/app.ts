import { bodyScanner, SCANNED_FORMATS } from '../lib/body-scan/body-scanner';
import { XERO_REQUEST_SCAN_LIMITS } from '../lib/body-scan/limits';
import { limitBodies, BodyBudget, type BodyLimit } from '../server/body-limit';
import { MAX_BODY_BYTES } from './http/format';
import { Hono } from 'hono';
import type { Clock } from '../lib/clock';
import { AppError, toAppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { openDatabase, type Db } from '../store/db';
import { accountingRoutes } from './accounting/routes';
import { MAX_ATTACHMENT_BYTES } from './accounting/attachments';
import { seedAccountingDemo } from './accounting/demo-data';
import { SandboxClock } from './clock';
import { controlRoutes } from './control/routes';
import { FaultState } from './control/faults';
import type { SandboxDeps, SandboxEnv, SandboxSettings } from './deps';
import { errorFaults, latencyFault, organisationOffline, rateLimit, requestLog } from './http/pipeline';
import { RateLimiter } from './limits';
import { oauth1Authenticate } from './oauth1/authenticate';
import { oauth1Routes } from './oauth1/routes';
import { ensureDemoOAuth2App } from './oauth2/apps';
import { bearerAuthenticate, eitherAuthentication } from './oauth2/bearer';
import { connectionsRoutes } from './oauth2/connections-routes';
import { claimIdempotencyKey, recordIdempotentAnswer } from './oauth2/idempotency';
import { identityRoutes } from './oauth2/identity-routes';
import { bearerRateLimit } from './oauth2/rate-limit';
import { sandboxOAuth2Routes } from './oauth2/sandbox-routes';
import { KNOWN_SCOPES } from './oauth2/scopes';
import { OAuth2State } from './oauth2/state';
import { DEMO_ORGANISATIONS, insertOrganisation, listOrganisations } from './organisations';
import { payrollRoutes } from './payroll/routes';
import { seedPayrollDemo } from './payroll/demo-data';
import { payroll2Routes } from './payroll2/routes';
import { SANDBOX_MIGRATIONS } from './store/migrations';

export interface SandboxOptions {
  /** A file path, or ":memory:". */
  database: string;
  settings: SandboxSettings;
  logger: Logger;
  clock: Clock;
  random?: () => number;
}

/** A running sandbox's parts: its Hono app and what tests may want to reach. */
export interface Sandbox {
  app: Hono<SandboxEnv>;
  deps: SandboxDeps;
  close(): void;
}

/**
 * Builds the offline Xero: opens its database, seeds the demo organisations on first start,
 * and wires the OAuth 1.0a provider, the OAuth 2.0 identity server, the Accounting and Payroll AU
 * APIs (either scheme) and the control API.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const db = openDatabase(options.database, { migrations: SANDBOX_MIGRATIONS });
  const clock = new SandboxClock(db, options.clock);
  const deps: SandboxDeps = {
    db,
    clock,
    settings: options.settings,
    logger: options.logger,
    faults: new FaultState(db),
    limiter: new RateLimiter(clock, options.settings.limits, { minuteMs: options.settings.minuteMs }),
    oauth2: new OAuth2State(clock),
    random: options.random ?? Math.random,
  };
  seedDemo(db, clock);
  ensureDemoOAuth2App(db, clock, KNOWN_SCOPES);
  return { app: buildApp(deps), deps, close: () => db.close() };
}

/** Seeds the demo organisations and their data once, on a fresh database. */
export function seedDemo(db: Db, clock: Clock): void {
  if (listOrganisations(db).length > 0) return;
  db.transaction(() => {
    for (const org of DEMO_ORGANISATIONS) {
      insertOrganisation(db, org, clock);
      seedAccountingDemo(db, org, clock);
      seedPayrollDemo(db, org, clock);
    }
  }).immediate();
}

/** What the sandbox reads of a request, as Xero does: 3.5 MB, or 10 MB for a file. */
function sandboxBodyLimit(path: string, contentType: string): BodyLimit {
  if (/\/Attachments\//.test(path)) return { bytes: MAX_ATTACHMENT_BYTES, advice: 'Xero takes files of up to 10 MB' };
  const format = SCANNED_FORMATS[contentType] ?? (contentType === '' ? 'xml' : undefined);
  return { bytes: MAX_BODY_BYTES, advice: 'Xero takes no larger request', scanner: bodyScanner(format, XERO_REQUEST_SCAN_LIMITS) };
}

function buildApp(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  // Xero's own limit for any request, enforced while the body is read (before the request log
  // reads it), as the proxy does.
  // A file for a document may be larger: Xero takes up to 10 MB there.
  // JSON and XML bodies are scanned as they arrive (a body with no type is read as XML, as Xero
  // does), so a hostile one is refused with 400 before it is parsed or logged.
  app.use('*', limitBodies(new BodyBudget(), sandboxBodyLimit));
  app.use('*', requestLog(deps));
  app.route('/', oauth1Routes(deps));
  app.route('/', identityRoutes(deps));
  app.route('/', connectionsRoutes(deps));
  app.route('/sandbox/oauth2', sandboxOAuth2Routes(deps));
  app.route('/sandbox', controlRoutes(deps));

  const api = new Hono<SandboxEnv>();
  // Latency sits inside the limiter so that slow calls hold their concurrency slot, as at Xero.
  // An Idempotency-Key is claimed before the latency (a slow first call holds it) and its answer
  // recorded inside the error faults, so that a write dropped after commit is still remembered.
  const authenticate = eitherAuthentication(bearerAuthenticate(deps), oauth1Authenticate(deps));
  api.use('*', authenticate, organisationOffline(deps), rateLimit(deps), bearerRateLimit(deps), claimIdempotencyKey(deps), latencyFault(deps), errorFaults(deps), recordIdempotentAnswer(deps));
  api.route('/api.xro/2.0', accountingRoutes(deps));
  api.route('/payroll.xro/1.0', payrollRoutes(deps));
  api.route('/payroll.xro/2.0', payroll2Routes(deps));
  app.route('/', api);

  app.notFound((c) => c.text("The resource you're looking for cannot be found", 404));
  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') deps.logger.error('sandbox request failed', { path: c.req.path, error });
    c.set('problem', appError.message);
    if (c.req.path.startsWith('/sandbox/')) {
      // The control API is ours, not Xero's: it answers JSON errors naming the field.
      const status = appError.code === 'invalid' ? 400 : appError.code === 'not_found' ? 404 : appError.code === 'conflict' ? 409 : appError.code === 'too_large' ? 413 : 500;
      return c.json({ error: { code: appError.code, message: appError.message, field: appError.field } }, status);
    }
    if (appError.code === 'invalid') return c.text(appError.message, 400);
    if (appError.code === 'too_large') return c.text('Request Entity Too Large', 413);
    return c.text('An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.', 500);
  });
  return app;
}

export { AppError };
