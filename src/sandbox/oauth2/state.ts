import { AppError } from '../../lib/errors';
import type { Clock } from '../../lib/clock';

/** OAuth 2.0 settings the control API can change while the sandbox runs. */
export interface OAuth2Settings {
  /** Xero's app-wide limit across all tenants: 10,000 calls per minute. @see PROTOCOL.md §3.2 */
  appPerMinute: number;
  /** How long an Idempotency-Key is remembered (Xero's retention is unconfirmed; minutes). */
  idempotencyKeySeconds: number;
  /** The life of each access token issued from now on: Xero's 1800 seconds, shorter to test renewal. */
  accessTokenSeconds: number;
}

export const DEFAULT_OAUTH2_SETTINGS: OAuth2Settings = { appPerMinute: 10_000, idempotencyKeySeconds: 300, accessTokenSeconds: 1800 };

/**
 * The app-wide per-minute count (fixed windows of the sandbox clock, per client id) and the
 * settings above. Per-tenant limits reuse the OAuth 1.0a `RateLimiter`, keyed by app and tenant.
 */
export class OAuth2State {
  readonly #minutes = new Map<string, { window: number; count: number }>();
  #settings: OAuth2Settings = DEFAULT_OAUTH2_SETTINGS;
  constructor(private readonly clock: Clock) {}

  get settings(): OAuth2Settings {
    return this.#settings;
  }

  /** Validates and applies a partial change; the app-wide counts start again. */
  update(body: Record<string, unknown>): OAuth2Settings {
    const next = { ...this.#settings };
    for (const key of ['appPerMinute', 'idempotencyKeySeconds', 'accessTokenSeconds'] as const) {
      const value = body[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new AppError('invalid', `${key}: must be a whole number of at least 1.`, { field: key });
      next[key] = value;
    }
    this.#settings = next;
    this.#minutes.clear();
    return next;
  }

  /** The calls `clientId` has left this minute, and seconds until the window resets. */
  appMinute(clientId: string): { remaining: number; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / 60_000);
    const usage = this.#minutes.get(clientId);
    const count = usage && usage.window === window ? usage.count : 0;
    return { remaining: this.#settings.appPerMinute - count, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)) };
  }

  /** Counts one admitted call against `clientId`'s minute; returns what is left. */
  countAppCall(clientId: string): number {
    const window = Math.floor(this.clock.now().getTime() / 60_000);
    const usage = this.#minutes.get(clientId);
    const next = usage && usage.window === window ? { window, count: usage.count + 1 } : { window, count: 1 };
    this.#minutes.set(clientId, next);
    return this.#settings.appPerMinute - next.count;
  }
}
