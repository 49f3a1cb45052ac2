import type { HttpBindings } from '@hono/node-server';
import type { Logger } from '../lib/logger';
import type { Db } from '../store/db';
import type { SandboxClock } from './clock';
import type { FaultState } from './control/faults';
import type { RateLimiter } from './limits';
import type { OAuth2State } from './oauth2/state';

/** Per-organisation limits the sandbox imposes, as Xero does. */
export interface SandboxLimits {
  perMinute: number;
  perDay: number;
  concurrency: number;
}

export interface SandboxSettings {
  limits: SandboxLimits;
  /** 503 (OAuth 1.0a era) or 429 (today) for a rate-limit answer. */
  rateLimitStatus: 429 | 503;
  /** How far oauth_timestamp may stray from the sandbox clock. */
  timestampWindowSeconds: number;
  /**
   * How long the window of `limits.perMinute` lasts, 60,000 unless time is scaled: a benchmark
   * makes Xero's minute last a second or two (and paces the proxy alike) to run in seconds.
   */
  minuteMs?: number;
}

/** Everything the sandbox's routes need, built once by `createSandbox`. */
export interface SandboxDeps {
  db: Db;
  clock: SandboxClock;
  settings: SandboxSettings;
  logger: Logger;
  faults: FaultState;
  limiter: RateLimiter;
  /** OAuth 2.0's app-wide limiter and its adjustable settings. */
  oauth2: OAuth2State;
  /** Uniform random numbers in [0, 1); injected so fault tests can be deterministic. */
  random: () => number;
}

/** Who is calling, established by the OAuth 1.0a verifier or the OAuth 2.0 bearer check for every API request. */
export interface AuthContext {
  /** The OAuth 1.0a consumer key, or the OAuth 2.0 client id. */
  consumerKey: string;
  appType: 'private' | 'public' | 'partner' | 'oauth2';
  organisationId: string;
  token: string;
  /** Set for a Bearer call only. */
  oauth2?: { grantId: string; scopes: ReadonlySet<string> };
}

/** Hono's environment for sandbox routes. */
export type SandboxEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: {
    auth: AuthContext;
    /** Set by handlers that committed a write, so the drop-after-commit fault knows when to act. */
    committedWrite: boolean;
    /** The (client, tenant, key) an OAuth 2.0 write claimed with its Idempotency-Key. */
    idempotencyKey: readonly [string, string, string];
    /** An oauth_problem or error code for the request log. */
    problem: string;
  };
};
