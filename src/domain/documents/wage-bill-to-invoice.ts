import { dayOf, toXeroDate } from './dates';
import { lookUp, missingMappingsError, type MissingMapping } from './mappings';
import type { WageBill } from './wage-bill';
import type { XeroInvoice, XeroLineItem } from './xero-types';

/** Where wages are booked; made with `xero-proxy map set wages …`. */
export interface WageMappings {
  /** The wages expense account for lines that name none. */
  wagesAccountCode?: string;
  /** Earnings type → its own expense account (e.g. superannuation apart from wages). */
  earningsAccounts?: Readonly<Record<string, string>>;
  /** The supplier contact when the bill names none; default "Wages payable". */
  contactName?: string;
}

/**
 * A wage bill as Xero takes it: an ACCPAY invoice dated on the last day of the period, NoTax
 * (wages carry no GST), DRAFT unless the app said AUTHORISED. The app's reference becomes the
 * InvoiceNumber, which is what Xero shows as a bill's reference (Xero reads `Reference` on
 * sales invoices only). Each line's account: its own, else its earnings type's, else the wages account.
 */
export function wageBillToInvoice(bill: WageBill, mappings: WageMappings): XeroInvoice {
  const planned = planWageBill(bill, mappings);
  if ('missing' in planned) throw missingMappingsError(planned.missing);
  return planned.invoice;
}

/** Like `wageBillToInvoice`, but the missing mappings are returned rather than thrown. */
export function planWageBill(bill: WageBill, mappings: WageMappings): { invoice: XeroInvoice } | { missing: MissingMapping[] } {
  const missing: MissingMapping[] = [];
  const lines = bill.lines.map((line, index): XeroLineItem => {
    const accountCode = line.accountCode ?? (line.earningsType === undefined ? undefined : lookUp(mappings.earningsAccounts ?? {}, line.earningsType)) ?? mappings.wagesAccountCode;
    if (accountCode === undefined) missing.push({ kind: 'wages', field: `lines[${index}].accountCode`, message: 'is not given and no wages account is mapped', command: 'xero-proxy map set wages --account <code>' });
    return { Description: line.description, Quantity: 1, UnitAmount: line.amount, AccountCode: accountCode ?? '' };
  });
  if (missing.length > 0) return { missing };
  const invoice: XeroInvoice = {
    Type: 'ACCPAY',
    Contact: { Name: bill.contact ?? mappings.contactName ?? 'Wages payable' },
    Date: toXeroDate(bill.periodEnd),
    DueDate: toXeroDate(bill.dueDate ?? bill.periodEnd),
    LineAmountTypes: 'NoTax',
    InvoiceNumber: bill.reference ?? `Wages ${dayOf(bill.periodStart)} to ${dayOf(bill.periodEnd)}`,
    ...(bill.currency === undefined ? {} : { CurrencyCode: bill.currency }),
    Status: bill.status ?? 'DRAFT',
    LineItems: lines,
  };
  return { invoice };
}
