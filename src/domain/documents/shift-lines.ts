import { lookUp, shellQuote, type MissingMapping } from './mappings';
import { formatMoney } from './money';
import type { PosShift } from './pos-shift';
import type { ShiftTotals } from './shift-balance';
import type { ShiftMappings } from './shift-to-documents';
import type { XeroInvoice, XeroLineItem, XeroTracking } from './xero-types';

const NO_TAX_COMMAND = 'xero-proxy map set no-tax --tax <tax type>';

/**
 * The summary invoice's lines, in the order a bookkeeper reads a till report: a line per sales
 * category (gross, with the till's tax), fees, the stated discrepancy, then rounding. Every line
 * has quantity 1, because the amounts are totals; the items sold go into the description.
 * Missing mappings are added to `missing` rather than thrown, so all are reported together.
 */
export function shiftLines(shift: PosShift, totals: ShiftTotals, mappings: ShiftMappings, missing: MissingMapping[]): XeroLineItem[] {
  const tracking = trackingOf(shift, mappings);
  const lines: XeroLineItem[] = [];
  // A fresh Tracking list per line: no two lines share state that a later edit could change.
  const add = (line: XeroLineItem) => lines.push(tracking.length === 0 ? line : { ...line, Tracking: tracking.map((entry) => ({ ...entry })) });
  shift.sales.forEach((sale, index) => {
    const mapped = lookUp(mappings.categories, sale.category);
    if (!mapped) {
      missing.push({ kind: 'category', name: sale.category, field: `sales[${index}].category`, message: `has no account mapped for sales category "${sale.category}"`, command: `xero-proxy map set category ${shellQuote(sale.category)} --account <code> --tax <tax type>` });
      return;
    }
    const description = sale.quantity === undefined ? sale.category : `${sale.category} (${sale.quantity} sold)`;
    add({ Description: description, Quantity: 1, UnitAmount: sale.gross, AccountCode: mapped.accountCode, TaxType: mapped.taxType, TaxAmount: sale.tax });
  });
  (shift.fees ?? []).forEach((fee, index) => {
    const accountCode = fee.accountCode ?? mappings.feeAccountCode;
    if (accountCode === undefined) {
      missing.push({ kind: 'fees', field: `fees[${index}].accountCode`, message: 'is not given and no fee account is mapped', command: 'xero-proxy map set fees --account <code>' });
      return;
    }
    add({ Description: fee.description, Quantity: 1, UnitAmount: fee.amount, AccountCode: accountCode });
  });
  const untaxed = (field: string, description: string, amount: number, account: { code: string | undefined; kind: 'discrepancy' | 'rounding'; name: string; command: string }) => {
    if (amount === 0) return;
    const accountCode = account.code;
    if (accountCode === undefined) missing.push({ kind: account.kind, field, message: `needs the ${account.name} account for ${formatMoney(amount)}, and none is mapped`, command: account.command });
    if (mappings.noTaxType === undefined) missing.push({ kind: 'no-tax', field, message: 'needs a tax type without tax, and none is mapped', command: NO_TAX_COMMAND });
    if (accountCode === undefined || mappings.noTaxType === undefined) return;
    add({ Description: description, Quantity: 1, UnitAmount: amount, AccountCode: accountCode, TaxType: mappings.noTaxType });
  };
  const over = totals.discrepancy > 0;
  untaxed('discrepancy', over ? 'Till over' : 'Till short', totals.discrepancy, { code: mappings.discrepancyAccountCode, kind: 'discrepancy', name: 'discrepancy', command: 'xero-proxy map set discrepancy --account <code>' });
  untaxed('tenders', 'Rounding', totals.rounding, { code: mappings.roundingAccountCode, kind: 'rounding', name: 'rounding', command: 'xero-proxy map set rounding --account <code>' });
  return lines;
}

/** The summary invoice without its lines. */
export function invoiceDefaults(shift: PosShift, mappings: ShiftMappings, date: string): Omit<XeroInvoice, 'LineItems'> {
  const labels = [shift.location, shift.department].filter((label) => label !== undefined).join(', ');
  return {
    Type: 'ACCREC',
    Contact: { Name: shift.contact ?? mappings.contactName ?? 'POS Sales' },
    Date: date,
    // Takings are paid at the till: the invoice is due the day it is dated.
    DueDate: date,
    LineAmountTypes: 'Inclusive',
    InvoiceNumber: `${mappings.invoiceNumberPrefix ?? 'POS-'}${shift.shiftId}`,
    Reference: `POS shift ${shift.shiftId}${labels ? ` (${labels})` : ''}`.slice(0, 200),
    ...(shift.currency === undefined ? {} : { CurrencyCode: shift.currency }),
    // Payments can only be applied to AUTHORISED invoices.
    Status: 'AUTHORISED',
  };
}

function trackingOf(shift: PosShift, mappings: ShiftMappings): XeroTracking[] {
  const categories = { location: 'Location', department: 'Department', ...mappings.trackingCategories };
  const tracking: XeroTracking[] = [];
  if (shift.tracking?.location !== undefined) tracking.push({ Name: categories.location, Option: shift.tracking.location });
  if (shift.tracking?.department !== undefined) tracking.push({ Name: categories.department, Option: shift.tracking.department });
  return tracking;
}
