/**
 * Money arithmetic in whole cents, so sums of validated 2-decimal amounts are exact
 * (0.1 + 0.2 is 0.30000000000000004 in binary floating point; 10 + 20 cents is 30).
 */

/** The whole number of cents in an amount of at most 2 decimal places. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** An amount from whole cents. */
export function fromCents(cents: number): number {
  return cents / 100 || 0;
}

/** The exact sum of amounts of at most 2 decimal places. */
export function sumMoney(amounts: Iterable<number>): number {
  let cents = 0;
  for (const amount of amounts) cents += toCents(amount);
  return fromCents(cents);
}

/** An amount as it is written in messages: always two decimals, no grouping. */
export function formatMoney(amount: number): string {
  return fromCents(toCents(amount)).toFixed(2);
}
