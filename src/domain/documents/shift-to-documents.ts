import { dayOf, toXeroDate } from './dates';
import { invoiceDefaults, movesMoney, shiftLines, type ShiftDirection } from './shift-lines';
import { issuesError } from './issues';
import { lookUp, missingMappingsError, shellQuote, type MissingMapping } from './mappings';
import type { PosShift } from './pos-shift';
import { shiftIssues, shiftTotals } from './shift-balance';
import type { XeroCreditNote, XeroInvoice, XeroPayment } from './xero-types';

/** Where a till's takings go in Xero; made with `xero-proxy map set …`. */
export interface ShiftMappings {
  /** Sales category (as the till names it) → income account and tax type. */
  categories: Readonly<Record<string, { accountCode: string; taxType: string }>>;
  /** Tender type → the account the money goes into (bank, cash drawer, or a clearing account with payments enabled). */
  tenders: Readonly<Record<string, { accountCode: string }>>;
  /** Third-party payer (a tender's `payer`) → the clearing account its payments go into, instead of the tender's account. */
  payers?: Readonly<Record<string, { accountCode: string }>>;
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
  /** The accounts of the untaxed lines newer than rounding and discrepancy: suspense (cash-back), tips, gift cards sold and redeemed. */
  settingAccounts?: Partial<Record<'suspense' | 'tips' | 'gift-cards' | 'gift-card-redemptions', string>>;
  /** Put before the shiftId to make the invoice number; default "POS-". */
  invoiceNumberPrefix?: string;
  /** The Xero tracking categories the shift's tracking options belong to; default Location and Department. */
  trackingCategories?: { location?: string; department?: string };
}

/**
 * The documents one shift becomes in Xero: a summary invoice with a payment per tender that
 * took money, or (on a day whose tenders add up to less than zero) a credit note with a refund
 * per tender that paid money out.
 */
export type ShiftDocuments =
  | { invoice: XeroInvoice; creditNote?: undefined; payments: XeroPayment[] }
  | { invoice?: undefined; creditNote: XeroCreditNote; payments: XeroPayment[] };

/**
 * Turns a till's shift into one AUTHORISED summary document (tax-inclusive: a line per sales
 * category and per category refunded, then fees, tips, gift cards, the stated discrepancy, any
 * rounding and suspense lines, each tracked alike) and the payments that settle it in full.
 * Refuses an unbalanced shift, and lists every missing mapping with the command that makes it.
 */
export function shiftToDocuments(shift: PosShift, mappings: ShiftMappings): ShiftDocuments {
  const planned = planShiftDocuments(shift, mappings);
  if ('missing' in planned) throw missingMappingsError(planned.missing);
  return planned.documents;
}

/** Which document the shift becomes: a credit note when its tenders add up to less than zero. */
export const shiftDirection = (shift: PosShift): ShiftDirection => (shiftTotals(shift).tenders < 0 ? 'credit_note' : 'invoice');

/** The tenders that become payments (or refunds), in the order they are made; a zero amount moves nothing. */
export const paidTenders = (shift: PosShift) => shift.tenders.filter((tender) => movesMoney(tender.amount, shiftDirection(shift)));

/**
 * Like `shiftToDocuments`, but the missing mappings are returned rather than thrown, so the shift
 * can wait for them; an unbalanced shift is still refused, since no mapping would mend it.
 */
export function planShiftDocuments(shift: PosShift, mappings: ShiftMappings): { documents: ShiftDocuments } | { missing: MissingMapping[] } {
  const broken = shiftIssues(shift, mappings.roundingTolerance);
  if (broken.length > 0) throw issuesError('PosShift', broken);
  const totals = shiftTotals(shift);
  const direction = shiftDirection(shift);
  const missing: MissingMapping[] = [];
  const lines = shiftLines(shift, totals, mappings, missing, direction);
  const tenders = shift.tenders.flatMap((tender, index) => {
    if (!movesMoney(tender.amount, direction)) return [];
    if (tender.payer !== undefined) {
      // A payer's money goes to the payer's clearing account: the tender's own account is not needed.
      const payer = lookUp(mappings.payers ?? {}, tender.payer);
      if (payer) return [{ tender, accountCode: payer.accountCode }];
      missing.push({ kind: 'payer', name: tender.payer, field: `tenders[${index}].payer`, message: `has no clearing account mapped for payer "${tender.payer}"`, command: `xero-proxy map set payer ${shellQuote(tender.payer)} --account <code>` });
      return [];
    }
    const mapped = lookUp(mappings.tenders, tender.type);
    if (!mapped) {
      missing.push({ kind: 'tender', name: tender.type, field: `tenders[${index}].type`, message: `has no account mapped for tender "${tender.type}"`, command: `xero-proxy map set tender ${shellQuote(tender.type)} --account <code>` });
      return [];
    }
    return [{ tender, accountCode: mapped.accountCode }];
  });
  if (missing.length > 0) return { missing };

  const date = toXeroDate(shift.tradingDate ?? dayOf(shift.closedAt));
  const defaults = invoiceDefaults(shift, mappings, date);
  if (direction === 'invoice') {
    const invoice: XeroInvoice = { ...defaults, LineItems: lines };
    const payments = tenders.map(({ tender, accountCode }): XeroPayment => ({
      Invoice: { InvoiceNumber: invoice.InvoiceNumber! },
      Account: { Code: accountCode },
      Date: date,
      Amount: tender.amount,
      Reference: `${tender.type} takings, shift ${shift.shiftId}`.slice(0, 200),
    }));
    return { documents: { invoice, payments } };
  }
  // A credit note's lines are the invoice's with their signs turned: refunds are its credit.
  const { Type: _type, InvoiceNumber, DueDate: _due, ...rest } = defaults;
  const creditNote: XeroCreditNote = {
    ...rest,
    Type: 'ACCRECCREDIT',
    CreditNoteNumber: InvoiceNumber!,
    LineItems: lines.map((line) => ({ ...line, UnitAmount: -(line.UnitAmount ?? 0), ...(line.TaxAmount === undefined ? {} : { TaxAmount: -line.TaxAmount }) })),
  };
  // The delivery loop names the credit note by its id once Xero has it.
  const refunds = tenders.map(({ tender, accountCode }): XeroPayment => ({
    CreditNote: {},
    Account: { Code: accountCode },
    Date: date,
    Amount: -tender.amount,
    Reference: `${tender.type} refunds, shift ${shift.shiftId}`.slice(0, 200),
  }));
  return { documents: { creditNote, payments: refunds } };
}
