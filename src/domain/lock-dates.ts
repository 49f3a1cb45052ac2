import type { Classified } from './attention/classify';

/** An organisation's lock dates as the proxy last read them from Xero (`YYYY-MM-DD`, null when none). */
export interface LockDates {
  periodLockDate: string | null;
  endOfYearLockDate: string | null;
}

/** The kinds of document the lock dates concern, with what they carry. */
export interface LedgerDocument {
  kind: string;
  payload: Record<string, unknown>;
}

/**
 * Whether the document posts to the ledger when Xero takes it: an approved invoice or credit
 * note, and every payment. Drafts and documents submitted for approval post nothing, and Xero
 * takes them whatever their date; timesheets are payroll's, which lock dates do not touch.
 */
export function postsToLedger(document: LedgerDocument): boolean {
  if (document.kind === 'payment' || document.kind === 'allocation') return true;
  if (document.kind === 'invoice' || document.kind === 'credit_note') return document.payload['Status'] === 'AUTHORISED';
  return false;
}

/**
 * The lock date a document is dated on or before (Xero locks "on and before"), as the cause it
 * is held with, or undefined when its date is open. The end-of-year date locks every user and is
 * checked first. The period date spares the organisation's advisers, but the proxy cannot know
 * whether the person who linked it is one, so it holds the document rather than spend a call
 * on a refusal; an adviser can move the date, and **Retry all** sends it.
 * @see https://help.xero.com/Settings_LockDate; MARKET-2026.md §5 ("pre-check before sending")
 */
export function lockDateHold(lockDates: LockDates, document: LedgerDocument): Classified | undefined {
  if (!postsToLedger(document)) return undefined;
  const raw = document.payload['Date'];
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(raw)) return undefined;
  const date = raw.slice(0, 10);
  const { endOfYearLockDate, periodLockDate } = lockDates;
  if (endOfYearLockDate && date <= endOfYearLockDate) return { cause: 'lock_date', detail: { date, lockDate: endOfYearLockDate, lockKind: 'end of year' } };
  if (periodLockDate && date <= periodLockDate) return { cause: 'lock_date', detail: { date, lockDate: periodLockDate, lockKind: 'period' } };
  return undefined;
}

/** Why a document is held for a lock date, in words for the jobs API and its history. */
export function lockDateReason(hold: Classified): string {
  const { date, lockDate, lockKind } = hold.detail as { date: string; lockDate: string; lockKind: string };
  return `Not sent: the document is dated ${date}, on or before the organisation's ${lockKind} lock date (${lockDate}), and Xero refuses documents there. Send it again with a later date, or have the organisation's adviser move the lock date in Xero, then retry it.`;
}
