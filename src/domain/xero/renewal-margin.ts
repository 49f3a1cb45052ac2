/**
 * How long before its end a token is renewed. A fixed margin suits only the life it was chosen
 * for: five minutes ahead of a 20-second token renews before every call, and ahead of Xero's
 * 30-minute tokens it already gives up a sixth of each. So the margin is a share of the life the
 * token was given, never more than a ceiling.
 */

/** A call renews its token at most this long before the token ends. */
export const CALL_MARGIN_MS = 5 * 60_000;
/** The background sweep renews at most this long ahead, before any call would need to. */
export const SWEEP_MARGIN_MS = 10 * 60_000;

/** The share of a token's life a call may renew early: a quarter (Xero's 30 minutes leave 5). */
const CALL_SHARE = 1 / 4;
/** The sweep's share: a half, so it still comes before the call's quarter. */
const SWEEP_SHARE = 1 / 2;

/** When a token was issued and when it ends (ISO 8601), as a token set stores them. */
export interface TokenLife {
  issuedAt: string | null;
  expiresAt: string | null;
}

/** The margin for a call: the smaller of 5 minutes and a quarter of the token's life. */
export function callMarginMs(life: TokenLife): number {
  return marginMs(life, CALL_MARGIN_MS, CALL_SHARE);
}

/** The margin for the sweep: the smaller of 10 minutes and half the token's life. */
export function sweepMarginMs(life: TokenLife): number {
  return marginMs(life, SWEEP_MARGIN_MS, SWEEP_SHARE);
}

/**
 * The smaller of `ceilingMs` and `share` of the life the token was given (its end less its
 * issue). A life that cannot be known (no issue time, or times that do not make a positive
 * span) keeps the ceiling: renewing early is safe, renewing too late fails a call.
 */
export function marginMs(life: TokenLife, ceilingMs: number, share: number): number {
  if (life.issuedAt === null || life.expiresAt === null) return ceilingMs;
  const lifeMs = Date.parse(life.expiresAt) - Date.parse(life.issuedAt);
  if (!Number.isFinite(lifeMs) || lifeMs <= 0) return ceilingMs;
  return Math.min(ceilingMs, lifeMs * share);
}
