import { lookUp, shellQuote, type MissingMapping } from './mappings';
import { formatMoney } from './money';
import type { PosShift } from './pos-shift';
import type { ShiftTotals } from './shift-balance';
import type { ShiftMappings } from './shift-to-documents';
import type { XeroInvoice, XeroLineItem, XeroTracking } from './xero-types';

const NO_TAX_COMMAND = 'xero-proxy map set no-tax --tax <tax type>';

/** Which document a shift becomes: an invoice, or (its tenders adding up to less than zero) a credit note. */
export type ShiftDirection = 'invoice' | 'credit_note';

/** The tenders that move money the document's way, and so become its payments (or refunds). */
export const movesMoney = (amount: number, direction: ShiftDirection): boolean => (direction === 'invoice' ? amount > 0 : amount < 0);

/**
 * The summary document's lines, signed as an invoice's, in the order a bookkeeper reads a till
 * report: a line per sales category (gross, with the till's tax), a negative line per category
 * refunded, fees, tips, gift cards sold and redeemed, the stated discrepancy, rounding, and last
 * a suspense line for each tender that moved money against the document (cash-back on a sales
 * day, money taken on a refund day), since Xero takes no negative payment. Every line has
 * quantity 1, because the amounts are totals. Missing mappings are added to `missing` rather
 * than thrown, so all are reported together.
 */
export function shiftLines(shift: PosShift, totals: ShiftTotals, mappings: ShiftMappings, missing: MissingMapping[], direction: ShiftDirection = 'invoice'): XeroLineItem[] {
  const tracking = trackingOf(shift, mappings);
  const lines: XeroLineItem[] = [];
  // A fresh Tracking list per line: no two lines share state that a later edit could change.
  const add = (line: XeroLineItem) => lines.push(tracking.length === 0 ? line : { ...line, Tracking: tracking.map((entry) => ({ ...entry })) });
  const category = (name: string, field: string) => {
    const mapped = lookUp(mappings.categories, name);
    if (!mapped) missing.push({ kind: 'category', name, field, message: `has no account mapped for sales category "${name}"`, command: `xero-proxy map set category ${shellQuote(name)} --account <code> --tax <tax type>` });
    return mapped;
  };
  shift.sales.forEach((sale, index) => {
    const mapped = category(sale.category, `sales[${index}].category`);
    if (!mapped) return;
    const description = sale.quantity === undefined ? sale.category : `${sale.category} (${sale.quantity} sold)`;
    add({ Description: description, Quantity: 1, UnitAmount: sale.gross, AccountCode: mapped.accountCode, TaxType: mapped.taxType, TaxAmount: sale.tax });
  });
  (shift.refunds ?? []).forEach((refund, index) => {
    const mapped = category(refund.category, `refunds[${index}].category`);
    if (!mapped) return;
    const description = refund.quantity === undefined ? `${refund.category} refunds` : `${refund.category} refunds (${refund.quantity} returned)`;
    add({ Description: description, Quantity: 1, UnitAmount: -refund.gross, AccountCode: mapped.accountCode, TaxType: mapped.taxType, TaxAmount: -refund.tax });
  });
  (shift.fees ?? []).forEach((fee, index) => {
    const accountCode = fee.accountCode ?? mappings.feeAccountCode;
    if (accountCode === undefined) {
      missing.push({ kind: 'fees', field: `fees[${index}].accountCode`, message: 'is not given and no fee account is mapped', command: 'xero-proxy map set fees --account <code>' });
      return;
    }
    add({ Description: fee.description, Quantity: 1, UnitAmount: fee.amount, AccountCode: accountCode });
  });
  const untaxed = (field: string, description: string, amount: number, kind: UntaxedKind) => {
    if (amount === 0) return;
    const accountCode = ACCOUNT_OF[kind](mappings);
    const name = UNTAXED_NAMES[kind];
    if (accountCode === undefined) missing.push({ kind, field, message: `needs the ${name} account for ${formatMoney(amount)}, and none is mapped`, command: `xero-proxy map set ${kind} --account <code>` });
    if (mappings.noTaxType === undefined) missing.push({ kind: 'no-tax', field, message: 'needs a tax type without tax, and none is mapped', command: NO_TAX_COMMAND });
    if (accountCode === undefined || mappings.noTaxType === undefined) return;
    add({ Description: description, Quantity: 1, UnitAmount: amount, AccountCode: accountCode, TaxType: mappings.noTaxType });
  };
  untaxed('tips', 'Tips', shift.tips ?? 0, 'tips');
  untaxed('giftCards.sold', 'Gift cards sold', shift.giftCards?.sold ?? 0, 'gift-cards');
  untaxed('giftCards.redeemed', 'Gift cards redeemed', -(shift.giftCards?.redeemed ?? 0), 'gift-card-redemptions');
  untaxed('discrepancy', totals.discrepancy > 0 ? 'Till over' : 'Till short', totals.discrepancy, 'discrepancy');
  untaxed('tenders', 'Rounding', totals.rounding, 'rounding');
  shift.tenders.forEach((tender, index) => {
    if (tender.amount === 0 || movesMoney(tender.amount, direction)) return;
    const description = direction === 'invoice' ? `Paid out through ${tender.type} (cash-back), to clear with a Spend Money entry` : `Taken through ${tender.type} on a refund day, to clear with a Receive Money entry`;
    untaxed(`tenders[${index}].amount`, description, -tender.amount, 'suspense');
  });
  return lines;
}

type UntaxedKind = 'discrepancy' | 'rounding' | 'suspense' | 'tips' | 'gift-cards' | 'gift-card-redemptions';
const UNTAXED_NAMES: Record<UntaxedKind, string> = { discrepancy: 'discrepancy', rounding: 'rounding', suspense: 'suspense', tips: 'tips', 'gift-cards': 'gift card', 'gift-card-redemptions': 'gift card redemption' };
// The two accounts shifts had first keep their own fields in ShiftMappings.
const ACCOUNT_OF: Record<UntaxedKind, (mappings: ShiftMappings) => string | undefined> = {
  discrepancy: (mappings) => mappings.discrepancyAccountCode,
  rounding: (mappings) => mappings.roundingAccountCode,
  suspense: (mappings) => mappings.settingAccounts?.suspense,
  tips: (mappings) => mappings.settingAccounts?.tips,
  'gift-cards': (mappings) => mappings.settingAccounts?.['gift-cards'],
  'gift-card-redemptions': (mappings) => mappings.settingAccounts?.['gift-card-redemptions'],
};

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
