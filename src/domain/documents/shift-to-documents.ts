import { dayOf, toXeroDate } from './dates';
import { invoiceDefaults, shiftLines } from './shift-lines';
import { issuesError } from './issues';
import { lookUp, missingMappingsError, shellQuote, type MissingMapping } from './mappings';
import type { PosShift } from './pos-shift';
import { shiftIssues, shiftTotals } from './shift-balance';
import type { XeroInvoice, XeroPayment } from './xero-types';

/** Where a till's takings go in Xero; made with `xero-proxy map set …`. */
export interface ShiftMappings {
  /** Sales category (as the till names it) → income account and tax type. */
  categories: Readonly<Record<string, { accountCode: string; taxType: string }>>;
  /** Tender type → the account the money goes into (bank, cash drawer, or a clearing account with payments enabled). */
  tenders: Readonly<Record<string, { accountCode: string }>>;
  roundingAccountCode?: string;
  discrepancyAccountCode?: string;
  /** The tax type that carries no tax (AU `BASEXCLUDED`, NZ `NONE`), for rounding and discrepancy lines. */
  noTaxType?: string;
  /** For fees that name no account. Fees take the account's default tax type. */
  feeAccountCode?: string;
  /** The summary invoice's contact when the shift names none; default "POS Sales". */
  contactName?: string;
  /** Default DEFAULT_ROUNDING_TOLERANCE (0.05). */
  roundingTolerance?: number;
  /** Put before the shiftId to make the invoice number; default "POS-". */
  invoiceNumberPrefix?: string;
  /** The Xero tracking categories the shift's tracking options belong to; default Location and Department. */
  trackingCategories?: { location?: string; department?: string };
}

/** The documents one shift becomes in Xero. */
export interface ShiftDocuments {
  invoice: XeroInvoice;
  payments: XeroPayment[];
}

/**
 * Turns a till's shift into one AUTHORISED summary sales invoice (tax-inclusive: a line per
 * sales category, then fees, the stated discrepancy and any rounding, each tracked alike) and a
 * payment per tender into the tender's account, which together pay the invoice in full. Refuses
 * an unbalanced shift, and lists every missing mapping with the command that makes it.
 */
export function shiftToDocuments(shift: PosShift, mappings: ShiftMappings): ShiftDocuments {
  const planned = planShiftDocuments(shift, mappings);
  if ('missing' in planned) throw missingMappingsError(planned.missing);
  return planned.documents;
}

/** The tenders that become payments (a zero amount pays nothing), in the order the payments are made. */
export const paidTenders = (shift: PosShift) => shift.tenders.filter((tender) => tender.amount !== 0);

/**
 * Like `shiftToDocuments`, but the missing mappings are returned rather than thrown, so the shift
 * can wait for them; an unbalanced shift is still refused, since no mapping would mend it.
 */
export function planShiftDocuments(shift: PosShift, mappings: ShiftMappings): { documents: ShiftDocuments } | { missing: MissingMapping[] } {
  const broken = shiftIssues(shift, mappings.roundingTolerance);
  if (broken.length > 0) throw issuesError('PosShift', broken);
  const totals = shiftTotals(shift);
  const missing: MissingMapping[] = [];
  const lines = shiftLines(shift, totals, mappings, missing);
  const tenders = shift.tenders.flatMap((tender, index) => {
    if (tender.amount === 0) return [];
    const mapped = lookUp(mappings.tenders, tender.type);
    if (!mapped) {
      missing.push({ kind: 'tender', name: tender.type, field: `tenders[${index}].type`, message: `has no account mapped for tender "${tender.type}"`, command: `xero-proxy map set tender ${shellQuote(tender.type)} --account <code>` });
      return [];
    }
    return [{ tender, accountCode: mapped.accountCode }];
  });
  if (missing.length > 0) return { missing };

  const date = toXeroDate(shift.tradingDate ?? dayOf(shift.closedAt));
  const invoice: XeroInvoice = { ...invoiceDefaults(shift, mappings, date), LineItems: lines };
  const payments = tenders.map(({ tender, accountCode }): XeroPayment => ({
    Invoice: { InvoiceNumber: invoice.InvoiceNumber! },
    Account: { Code: accountCode },
    Date: date,
    Amount: tender.amount,
    Reference: `${tender.type} takings, shift ${shift.shiftId}`.slice(0, 200),
  }));
  return { documents: { invoice, payments } };
}
