import { secondsUntil } from '../lib/retry-after';
import { deleteLoginAttempts, deleteLoginAttemptsUpTo, insertLoginAttempts, loginAttemptsAfter } from '../store/login-attempts';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

/** At most `max` sign-in attempts in any `windowMs`. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/** Per address: 5 in 15 minutes is plenty for a person who mistypes, and stops a guesser at one computer. */
export const ADDRESS_LIMIT: AttemptLimit = { max: 5, windowMs: 15 * 60_000 };

/**
 * Per account, from every address together: 20 in 15 minutes. Four people mistyping at once
 * still get in, while any number of computers together guess at most 80 times an hour (about
 * 700,000 a year), hopeless against a password of 12 characters or more. Few computers can also
 * keep the administrator out this way, so setting the password again ends the pause.
 */
export const ACCOUNT_LIMIT: AttemptLimit = { max: 20, windowMs: 15 * 60_000 };

/** The administrator an installation from before named administrators had, and the demo's. */
export const ADMIN_ACCOUNT = 'admin';

const addressKey = (address: string) => `address:${address}`;
// Names compare without regard to case, so "Alice" and "alice" share one count.
const accountKey = (account: string) => `account:${account.toLowerCase()}`;

/** What one sign-in attempt may do: go ahead (with tries left), or wait because a limit is used up. */
export type LoginAttemptDecision = { allowed: true; remaining: number } | { allowed: false; limit: 'address' | 'account'; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt (a password, or a code at the second step) before any password is
 * hashed or code checked, under the address and the administrator's name. Refused, and not recorded, while the
 * address or the account has used its window (the later of the two says when to retry);
 * otherwise recorded under both. `remaining` is the tries left before the nearer limit.
 */
export function takeLoginAttempt(deps: Deps, attempt: { address: string; account: string }): LoginAttemptDecision {
  const now = deps.clock.now();
  const limits = [
    { limit: 'address', key: addressKey(attempt.address), ...ADDRESS_LIMIT },
    { limit: 'account', key: accountKey(attempt.account), ...ACCOUNT_LIMIT },
  ] as const;
  return deps.db.transaction((): LoginAttemptDecision => {
    deleteLoginAttemptsUpTo(deps.db, new Date(now.getTime() - Math.max(...limits.map((l) => l.windowMs))).toISOString());
    let refused: Extract<LoginAttemptDecision, { allowed: false }> | undefined;
    let remaining = Infinity;
    for (const { limit, key, max, windowMs } of limits) {
      const used = loginAttemptsAfter(deps.db, key, new Date(now.getTime() - windowMs).toISOString());
      remaining = Math.min(remaining, max - used.count - 1);
      if (used.count < max) continue;
      const retryAfterSeconds = secondsUntil(now, new Date(Date.parse(used.firstAt!) + windowMs));
      if (!refused || retryAfterSeconds >= refused.retryAfterSeconds) refused = { allowed: false, limit, retryAfterSeconds };
    }
    if (refused) return refused;
    insertLoginAttempts(deps.db, limits.map((l) => l.key), now.toISOString());
    return { allowed: true, remaining };
  }).immediate();
}

/** After a complete sign-in: the address starts afresh (the account's count stays, as other addresses made it). */
export function loginSucceeded(deps: Deps, address: string): void {
  deleteLoginAttempts(deps.db, addressKey(address));
}

/** A new password makes earlier guesses at the account moot: its count starts afresh. */
export function forgetAccountAttempts(deps: Deps, account: string): void {
  deleteLoginAttempts(deps.db, accountKey(account));
}
