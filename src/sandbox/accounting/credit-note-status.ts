import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import { storeCreditNote } from './credit-note-writes';
import { HAS_PAYMENTS } from './invoice-writes';
import { lockDateRefusal } from './lock-dates';
import type { CreditNote } from './model';
import type { InvoiceContext } from './validate-invoice';

/** Xero's message for a status change a credit note's status does not allow. */
export const CREDIT_NOTE_NOT_VALID_FOR_MODIFICATION = 'Credit Note not of valid status for modification';

/**
 * A person voiding or deleting a credit note, as Xero allows it: an AUTHORISED one is voided, a
 * DRAFT or SUBMITTED one deleted; one with credit allocated or refunded is neither until that is
 * removed, and an approved one dated in a locked period stays as it is.
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes (Status codes)
 */
export function changeCreditNoteStatus(context: InvoiceContext, note: CreditNote, status: 'VOIDED' | 'DELETED'): Outcome {
  const allowed = status === 'VOIDED' ? note.Status === 'AUTHORISED' : note.Status === 'DRAFT' || note.Status === 'SUBMITTED';
  const used = note.Allocations.length > 0 || note.Payments.length > 0;
  const errors: string[] = [];
  if (used) errors.push(HAS_PAYMENTS);
  else if (!allowed) errors.push(CREDIT_NOTE_NOT_VALID_FOR_MODIFICATION);
  const locked = note.Status === 'AUTHORISED' ? lockDateRefusal(context.settings, note.Date) : undefined;
  if (locked) errors.push(locked);
  if (errors.length > 0) return { ok: false, echo: note as unknown as Record<string, unknown>, errors };
  const changed: CreditNote = { ...note, Status: status, UpdatedDateUTC: storedTimestamp(context.now) };
  storeCreditNote(context.db, context.org.id, changed, context.now.toISOString());
  return { ok: true, doc: changed };
}
