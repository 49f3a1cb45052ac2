import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimitProblem } from '../control/faults';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendApiProblem } from './problems';

/**
 * Xero's OAuth 2.0 limits on Bearer calls: per (app, tenant) 60 a minute, 5,000 a day and 5 in
 * flight (the sandbox's configured limits), and per app 10,000 a minute. Every answer carries
 * the remaining counts; over a limit is 429 with `X-Rate-Limit-Problem` and, except for the
 * concurrency limit, `Retry-After`. A refused call does not count. OAuth 1.0a calls pass by.
 * @see PROTOCOL.md §3.2
 */
export function bearerRateLimit(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (!auth.oauth2) return next();
    const clientId = auth.consumerKey;
    if (deps.faults.takeForcedRateLimit()) return tooMany(c, deps.faults.current.rateLimitProblem, 60);
    const app = deps.oauth2.appMinute(clientId);
    if (app.remaining <= 0) return tooMany(c, 'appminute', app.retryAfterSeconds);
    const admission = deps.limiter.admit(`${clientId}/${auth.organisationId}`);
    if (!admission.ok) return tooMany(c, admission.problem, admission.retryAfterSeconds);
    const appRemaining = deps.oauth2.countAppCall(clientId);
    try {
      await next();
      c.header('X-MinLimit-Remaining', String(admission.remaining.minute));
      c.header('X-DayLimit-Remaining', String(admission.remaining.day));
      c.header('X-AppMinLimit-Remaining', String(appRemaining));
    } finally {
      admission.release();
    }
  };
}

/**
 * Counts a tenantless call (`/connections`) against the app-wide minute only, as Xero does;
 * it answers 429 `appminute` when that is spent and otherwise sets `X-AppMinLimit-Remaining`.
 */
export function countTenantlessCall(deps: SandboxDeps, c: Context<SandboxEnv>, clientId: string): Response | undefined {
  const app = deps.oauth2.appMinute(clientId);
  if (app.remaining <= 0) return tooMany(c, 'appminute', app.retryAfterSeconds);
  c.header('X-AppMinLimit-Remaining', String(deps.oauth2.countAppCall(clientId)));
  return undefined;
}

function tooMany(c: Context<SandboxEnv>, problem: RateLimitProblem, retryAfterSeconds: number): Response {
  const headers: Record<string, string> = { 'X-Rate-Limit-Problem': problem };
  if (problem !== 'concurrent') headers['Retry-After'] = String(retryAfterSeconds);
  return sendApiProblem(c, 429, 'Too Many Requests', `Rate limit exceeded: ${problem}`, headers);
}
