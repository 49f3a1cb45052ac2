import { insertDocument, updateDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import { newId } from './ids';
import { findInvoice } from './invoice-writes';
import { lockDateRefusal } from './lock-dates';
import { EMPTY_ID, type Invoice, type Payment } from './model';
import { paymentRecord } from './payment-record';
import type { InvoiceContext } from './validate-invoice';
import { findCreditNote, storeCreditNote } from './credit-note-writes';
import { createRefund } from './refund-writes';
import { record, round, text } from './values';

export const NOT_AUTHORISED = 'Payments can only be made to AUTHORISED documents';
export const EXCEEDS_OUTSTANDING = 'Payment amount exceeds the amount outstanding on this document';
export const DOCUMENT_NOT_FOUND = 'The document with the supplied id was not found for this endpoint.';

/**
 * Applies one payment to an invoice as Xero does: the invoice (by InvoiceID or InvoiceNumber)
 * must be AUTHORISED and owe at least the amount; the account (by Code or AccountID) must be
 * active and a bank account or have payments enabled; Date and Amount are required, and the
 * Date must be after the organisation's lock dates. A payment that clears the invoice marks it
 * PAID.
 * @see https://developer.xero.com/documentation/api/accounting/payments
 */
export function createPayment(context: InvoiceContext, input: Record<string, unknown>): Outcome {
  const { db, org, now } = context;
  const errors: string[] = [];
  const invoiceRef = record(input['Invoice']);
  const invoiceKey = text(invoiceRef?.['InvoiceID']) ?? text(invoiceRef?.['InvoiceNumber']);
  let invoice: Invoice | undefined;
  if (!invoiceKey && record(input['CreditNote'])) return createRefund(context, input);
  if (!invoiceKey) {
    const other = ['Prepayment', 'Overpayment'].find((key) => input[key] !== undefined);
    errors.push(other ? `Payments against a ${other} are not supported by the sandbox.` : 'An Invoice, CreditNote, Prepayment or Overpayment must be specified for a payment.');
  } else {
    invoice = findInvoice(db, org.id, invoiceKey);
    if (!invoice) errors.push(DOCUMENT_NOT_FOUND);
  }

  const payment: Payment = {
    ...paymentRecord(context, input, errors, invoice?.Type === 'ACCPAY' ? 'ACCPAYPAYMENT' : 'ACCRECPAYMENT'),
    Invoice: invoice
      ? { InvoiceID: invoice.InvoiceID, ...(invoice.InvoiceNumber ? { InvoiceNumber: invoice.InvoiceNumber } : {}), Type: invoice.Type, Contact: invoice.Contact }
      : { InvoiceID: EMPTY_ID, Type: 'ACCREC', Contact: { ContactID: EMPTY_ID, Name: '' } },
  };
  const { Amount: amount, Reference: reference } = payment;
  if (invoice && invoice.Status !== 'AUTHORISED') errors.push(NOT_AUTHORISED);
  else if (invoice && amount > invoice.AmountDue) errors.push(EXCEEDS_OUTSTANDING);
  if (errors.length > 0 || !invoice) {
    const echo = { ...payment, ...(payment.Date ? {} : { Date: undefined }) };
    return { ok: false, echo: echo as unknown as Record<string, unknown>, errors };
  }

  payment.PaymentID = newId();
  const at = now.toISOString();
  insertDocument(db, org.id, 'Payment', { id: payment.PaymentID, number: invoice.InvoiceNumber ?? null, reference: reference ?? null, createdByApp: context.app ?? null }, payment, at);
  const paid = round(invoice.AmountPaid + amount, 2);
  const due = round(invoice.AmountDue - amount, 2);
  const updated: Invoice = {
    ...invoice,
    AmountPaid: paid,
    AmountDue: due,
    Payments: [...invoice.Payments, { PaymentID: payment.PaymentID, Date: payment.Date, Amount: amount, ...(reference ? { Reference: reference } : {}), CurrencyRate: 1 }],
    ...(due === 0 ? { Status: 'PAID' as const, FullyPaidOnDate: payment.Date } : {}),
    UpdatedDateUTC: storedTimestamp(now),
  };
  updateDocument(db, org.id, 'Invoice', { id: invoice.InvoiceID, number: invoice.InvoiceNumber ?? null, reference: invoice.Reference ?? null }, updated, at);
  return { ok: true, doc: { ...payment, Invoice: { ...payment.Invoice, Status: updated.Status, AmountDue: due, AmountPaid: paid, Total: invoice.Total } } };
}

/**
 * Deletes a payment (POST /Payments/{PaymentID} with Status DELETED) unless it is dated in a
 * locked period: the invoice owes the amount again and goes back to AUTHORISED.
 */
export function deletePayment(context: InvoiceContext, payment: Payment, input: Record<string, unknown>): Outcome {
  const { db, org, now } = context;
  if (text(input['Status'])?.toUpperCase() !== 'DELETED') return { ok: false, echo: payment as unknown as Record<string, unknown>, errors: ['A payment can only be updated to a Status of DELETED.'] };
  if (payment.Status === 'DELETED') return { ok: false, echo: payment as unknown as Record<string, unknown>, errors: ['This payment has already been deleted.'] };
  const locked = lockDateRefusal(context.settings, payment.Date);
  if (locked) return { ok: false, echo: payment as unknown as Record<string, unknown>, errors: [locked] };
  const at = now.toISOString();
  const deleted: Payment = { ...payment, Status: 'DELETED', UpdatedDateUTC: storedTimestamp(now) };
  updateDocument(db, org.id, 'Payment', { id: payment.PaymentID, number: payment.Invoice?.InvoiceNumber ?? payment.CreditNote?.CreditNoteNumber ?? null, reference: payment.Reference ?? null }, deleted, at);
  const invoice = payment.Invoice ? findInvoice(db, org.id, payment.Invoice.InvoiceID) : undefined;
  if (invoice) {
    const { FullyPaidOnDate: _cleared, ...rest } = invoice;
    const reopened: Invoice = {
      ...rest,
      AmountPaid: round(invoice.AmountPaid - payment.Amount, 2),
      AmountDue: round(invoice.AmountDue + payment.Amount, 2),
      Payments: invoice.Payments.filter((p) => p.PaymentID !== payment.PaymentID),
      Status: 'AUTHORISED',
      UpdatedDateUTC: storedTimestamp(now),
    };
    updateDocument(db, org.id, 'Invoice', { id: invoice.InvoiceID, number: invoice.InvoiceNumber ?? null, reference: invoice.Reference ?? null }, reopened, at);
  }
  // A deleted refund gives its credit note the credit back.
  const creditNote = payment.CreditNote ? findCreditNote(db, org.id, payment.CreditNote.CreditNoteID) : undefined;
  if (creditNote) {
    const { FullyPaidOnDate: _cleared, ...rest } = creditNote;
    storeCreditNote(db, org.id, { ...rest, RemainingCredit: round(creditNote.RemainingCredit + payment.Amount, 2), Payments: creditNote.Payments.filter((p) => p.PaymentID !== payment.PaymentID), Status: 'AUTHORISED', UpdatedDateUTC: storedTimestamp(now) }, at);
  }
  return { ok: true, doc: deleted };
}
