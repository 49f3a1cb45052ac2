import type { HttpBindings } from '@hono/node-server';
import type { Logger } from '../lib/logger';
import type { Db } from '../store/db';
import type { SandboxClock } from './clock';
import type { FaultState } from './control/faults';
import type { RateLimiter } from './limits';

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
  /** Uniform random numbers in [0, 1); injected so fault tests can be deterministic. */
  random: () => number;
}

/** Who is calling, established by the OAuth 1.0a verifier for every API request. */
export interface AuthContext {
  consumerKey: string;
  appType: 'private' | 'public' | 'partner';
  organisationId: string;
  token: string;
}

/** Hono's environment for sandbox routes. */
export type SandboxEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: {
    auth: AuthContext;
    /** Set by handlers that committed a write, so the drop-after-commit fault knows when to act. */
    committedWrite: boolean;
    /** An oauth_problem or error code for the request log. */
    problem: string;
  };
};
