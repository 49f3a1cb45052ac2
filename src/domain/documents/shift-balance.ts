import type { Issue } from './issues';
import { formatMoney, fromCents, toCents } from './money';
import type { PosShift } from './pos-shift';

/** The largest difference between tenders and sales that becomes a rounding line by default. */
export const DEFAULT_ROUNDING_TOLERANCE = 0.05;

/**
 * A shift's totals; `other` is tips and gift cards sold less gift cards redeemed, and `rounding`
 * what is left after sales, refunds, fees, those and the stated discrepancy.
 */
export interface ShiftTotals {
  sales: number;
  refunds: number;
  fees: number;
  other: number;
  discrepancy: number;
  tenders: number;
  rounding: number;
}

/** Adds up a shift in whole cents. */
export function shiftTotals(shift: PosShift): ShiftTotals {
  const cents = (amounts: number[]) => amounts.reduce((sum, amount) => sum + toCents(amount), 0);
  const sales = cents(shift.sales.map((sale) => sale.gross));
  const refunds = cents((shift.refunds ?? []).map((refund) => refund.gross));
  const fees = cents((shift.fees ?? []).map((fee) => fee.amount));
  const other = cents([shift.tips ?? 0, shift.giftCards?.sold ?? 0]) - toCents(shift.giftCards?.redeemed ?? 0);
  const discrepancy = toCents(shift.discrepancy ?? 0);
  const tenders = cents(shift.tenders.map((tender) => tender.amount));
  const rounding = tenders - sales + refunds - fees - other - discrepancy;
  return { sales: fromCents(sales), refunds: fromCents(refunds), fees: fromCents(fees), other: fromCents(other), discrepancy: fromCents(discrepancy), tenders: fromCents(tenders), rounding: fromCents(rounding) };
}

/**
 * The balance rule: tenders must equal sales − refunds + fees + tips + gift cards sold − gift
 * cards redeemed + discrepancy. A difference no larger than
 * `tolerance` is cash rounding and becomes a rounding line; a larger one is refused with the
 * numbers, because booking it silently as rounding would hide a till that is out. A till that
 * knows it is over or short says so in `discrepancy`. Also: tax never exceeds its gross.
 */
export function shiftIssues(shift: PosShift, tolerance = DEFAULT_ROUNDING_TOLERANCE): Issue[] {
  const issues: Issue[] = [];
  shift.sales.forEach((sale, index) => {
    const sameSign = sale.tax === 0 || Math.sign(sale.tax) === Math.sign(sale.gross);
    if (!sameSign || Math.abs(toCents(sale.tax)) > Math.abs(toCents(sale.gross))) {
      issues.push({ path: ['sales', index, 'tax'], message: `must be part of gross (${formatMoney(sale.gross)}): tax-inclusive amounts hold their tax` });
    }
  });
  (shift.refunds ?? []).forEach((refund, index) => {
    if (toCents(refund.tax) > toCents(refund.gross)) issues.push({ path: ['refunds', index, 'tax'], message: `must be part of gross (${formatMoney(refund.gross)}): tax-inclusive amounts hold their tax` });
  });
  const totals = shiftTotals(shift);
  if (Math.abs(toCents(totals.rounding)) > toCents(tolerance)) {
    // The shorter wording when a shift has none of the newer parts keeps the message tills already know.
    const more = totals.refunds !== 0 || totals.other !== 0 ? ` − refunds (${formatMoney(totals.refunds)}) + tips and gift cards (${formatMoney(totals.other)})` : '';
    issues.push({
      path: ['tenders'],
      message:
        `add up to ${formatMoney(totals.tenders)}, but sales (${formatMoney(totals.sales)})${more} + fees (${formatMoney(totals.fees)}) + discrepancy (${formatMoney(totals.discrepancy)}) ` +
        `come to ${formatMoney(totals.tenders - totals.rounding)}, a difference of ${formatMoney(totals.rounding)}, more than the rounding tolerance of ${formatMoney(tolerance)} ` +
        `(send the till's over/short as "discrepancy", or correct the amounts)`,
    });
  }
  return issues;
}
