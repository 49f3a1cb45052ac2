import type { Invoice, LineAmountTypes, LineItem } from './model';
import { round } from './values';

/**
 * Xero's arithmetic for a line: LineAmount = Quantity × UnitAmount × (1 − DiscountRate/100),
 * rounded to 2 places; the tax from the rate's EffectiveRate (per cent):
 * Exclusive → LineAmount × rate, Inclusive → LineAmount − LineAmount / (1 + rate), NoTax → 0.
 * @see https://developer.xero.com/documentation/api/accounting/invoices (LineAmountTypes)
 */
export function lineTotals(quantity: number, unitAmount: number, discountRate: number | undefined, effectiveRate: number, types: LineAmountTypes): { LineAmount: number; TaxAmount: number } {
  const gross = quantity * unitAmount;
  const lineAmount = round(discountRate ? gross * (1 - discountRate / 100) : gross, 2);
  const rate = effectiveRate / 100;
  let tax = 0;
  if (types === 'Exclusive') tax = round(lineAmount * rate, 2);
  else if (types === 'Inclusive') tax = round(lineAmount - lineAmount / (1 + rate), 2);
  return { LineAmount: lineAmount, TaxAmount: tax };
}

/** An invoice's totals from its lines and what has been paid or credited. */
export function invoiceTotals(
  lines: readonly LineItem[],
  types: LineAmountTypes,
  paid: number,
  credited: number,
): Pick<Invoice, 'SubTotal' | 'TotalTax' | 'Total' | 'AmountDue' | 'AmountPaid' | 'AmountCredited' | 'TotalDiscount'> {
  let lineSum = 0;
  let tax = 0;
  let discount = 0;
  for (const line of lines) {
    lineSum += line.LineAmount;
    tax += line.TaxAmount;
    if (line.DiscountRate) discount += line.Quantity * line.UnitAmount - line.LineAmount;
  }
  const subTotal = round(types === 'Inclusive' ? lineSum - tax : lineSum, 2);
  const totalTax = round(tax, 2);
  const total = round(subTotal + totalTax, 2);
  return {
    SubTotal: subTotal,
    TotalTax: totalTax,
    Total: total,
    ...(discount ? { TotalDiscount: round(discount, 2) } : {}),
    AmountDue: round(total - paid - credited, 2),
    AmountPaid: round(paid, 2),
    AmountCredited: round(credited, 2),
  };
}
