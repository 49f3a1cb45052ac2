import { insertDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import { findCreditNote, storeCreditNote } from './credit-note-writes';
import { newId } from './ids';
import { EMPTY_ID, type Payment } from './model';
import { paymentRecord } from './payment-record';
import { DOCUMENT_NOT_FOUND, EXCEEDS_OUTSTANDING, NOT_AUTHORISED } from './payment-writes';
import type { InvoiceContext } from './validate-invoice';
import { record, round, text } from './values';

/**
 * A refund: a payment against a credit note (`"CreditNote": {"CreditNoteID": …}`), money paid
 * back from the account. The credit note must be AUTHORISED and have at least the amount of
 * credit left; it becomes PAID when none is left. Its PaymentType is ARCREDITPAYMENT (a sales
 * credit note) or APCREDITPAYMENT, as Xero reports them.
 * @see https://developer.xero.com/documentation/api/accounting/payments (refunds); MARKET-2026.md §3.4
 */
export function createRefund(context: InvoiceContext, input: Record<string, unknown>): Outcome {
  const { db, org, now } = context;
  const errors: string[] = [];
  const ref = record(input['CreditNote']);
  const key = text(ref?.['CreditNoteID']) ?? text(ref?.['CreditNoteNumber']);
  const creditNote = key ? findCreditNote(db, org.id, key) : undefined;
  if (!creditNote) errors.push(DOCUMENT_NOT_FOUND);
  const payment: Payment = {
    ...paymentRecord(context, input, errors, creditNote?.Type === 'ACCPAYCREDIT' ? 'APCREDITPAYMENT' : 'ARCREDITPAYMENT'),
    CreditNote: creditNote
      ? { CreditNoteID: creditNote.CreditNoteID, ...(creditNote.CreditNoteNumber ? { CreditNoteNumber: creditNote.CreditNoteNumber } : {}), Type: creditNote.Type, Contact: creditNote.Contact }
      : { CreditNoteID: EMPTY_ID, Type: 'ACCRECCREDIT', Contact: { ContactID: EMPTY_ID, Name: '' } },
  };
  const { Amount: amount, Reference: reference } = payment;
  if (creditNote && creditNote.Status !== 'AUTHORISED') errors.push(NOT_AUTHORISED);
  else if (creditNote && amount > creditNote.RemainingCredit) errors.push(EXCEEDS_OUTSTANDING);
  if (errors.length > 0 || !creditNote) return { ok: false, echo: payment as unknown as Record<string, unknown>, errors };

  payment.PaymentID = newId();
  const at = now.toISOString();
  insertDocument(db, org.id, 'Payment', { id: payment.PaymentID, number: creditNote.CreditNoteNumber ?? null, reference: reference ?? null, createdByApp: context.app ?? null }, payment, at);
  const remaining = round(creditNote.RemainingCredit - amount, 2);
  storeCreditNote(db, org.id, {
    ...creditNote,
    RemainingCredit: remaining,
    Payments: [...creditNote.Payments, { PaymentID: payment.PaymentID, Date: payment.Date, Amount: amount, ...(reference ? { Reference: reference } : {}), CurrencyRate: 1 }],
    ...(remaining === 0 ? { Status: 'PAID' as const, FullyPaidOnDate: payment.Date } : {}),
    UpdatedDateUTC: storedTimestamp(now),
  }, at);
  return { ok: true, doc: { ...payment, CreditNote: { ...payment.CreditNote!, Status: remaining === 0 ? 'PAID' : 'AUTHORISED', RemainingCredit: remaining } } };
}
