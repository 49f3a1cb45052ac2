import { updateDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import type { Outcome } from './batch';
import { storeCreditNote } from './credit-note-writes';
import { parseRequestDate, today } from './dates';
import { newId } from './ids';
import { findInvoice } from './invoice-writes';
import { lockDateRefusal } from './lock-dates';
import { EMPTY_ID, type Allocation, type CreditNote, type Invoice } from './model';
import type { InvoiceContext } from './validate-invoice';
import { decimal, record, round, text } from './values';

/**
 * Xero's allocation messages. The first three are recorded from live answers (xeroizer #320);
 * the others are UNVERIFIED and follow their pattern.
 */
export const INVOICE_PAID_OFF = 'The invoice you are trying to allocate to has already been paid off';
export const AMOUNT_OVER_OUTSTANDING = 'Credit Note cannot be allocated as amount is greater than amount outstanding';
export const WRONG_INVOICE_TYPE = 'Credit Note cannot be allocated to an incorrect invoice type';
export const CREDIT_NOTE_NOT_AUTHORISED = 'Credit Note cannot be allocated as it is not AUTHORISED';
export const INVOICE_NOT_AUTHORISED = 'Credit Note cannot be allocated to an invoice that is not AUTHORISED';
export const OTHER_CONTACT = 'Credit Note cannot be allocated to an invoice for a different contact';
export const OTHER_CURRENCY = 'Credit Note cannot be allocated to an invoice in a different currency';
export const INVOICE_NOT_FOUND = 'Invoice could not be found';

const MATCHING_INVOICE: Record<CreditNote['Type'], Invoice['Type']> = { ACCRECCREDIT: 'ACCREC', ACCPAYCREDIT: 'ACCPAY' };

/**
 * Applies part of a credit note to an invoice (PUT /CreditNotes/{id}/Allocations): both
 * AUTHORISED, the same contact and currency, a sales credit note to a sales invoice, and the
 * amount (`Amount` in JSON, `AppliedAmount` in Xero's XSD) no more than the credit left nor
 * the invoice's amount due. The invoice's AmountDue falls and AmountCredited rises; either
 * document reaching zero becomes PAID.
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes#allocations
 */
export function allocateCreditNote(context: InvoiceContext, creditNote: CreditNote, input: Record<string, unknown>): Outcome {
  const { db, org, now } = context;
  const errors: string[] = [];
  const invoiceRef = record(input['Invoice']);
  const invoiceKey = text(invoiceRef?.['InvoiceID']) ?? text(invoiceRef?.['InvoiceNumber']);
  const invoice = invoiceKey ? findInvoice(db, org.id, invoiceKey) : undefined;
  if (!invoice) errors.push(invoiceKey ? INVOICE_NOT_FOUND : 'An Invoice must be specified for an allocation.');
  const amountIn = decimal(input['Amount'] ?? input['AppliedAmount']);
  if (amountIn === undefined || amountIn === null) errors.push('A valid Amount must be specified for an allocation.');
  else if (amountIn <= 0) errors.push('The allocation Amount must be greater than zero.');
  const amount = round(amountIn ?? 0, 2);
  const dateIn = parseRequestDate(input['Date']);
  if (dateIn === null) errors.push(`The Date '${String(input['Date'])}' is not a valid date.`);
  const date = dateIn ?? today(now);
  const locked = lockDateRefusal(context.settings, date);
  if (locked) errors.push(locked);

  if (creditNote.Status !== 'AUTHORISED') errors.push(CREDIT_NOTE_NOT_AUTHORISED);
  else if (amount > creditNote.RemainingCredit) errors.push(AMOUNT_OVER_OUTSTANDING);
  if (invoice) {
    if (invoice.Type !== MATCHING_INVOICE[creditNote.Type]) errors.push(WRONG_INVOICE_TYPE);
    if (invoice.Status === 'PAID') errors.push(INVOICE_PAID_OFF);
    else if (invoice.Status !== 'AUTHORISED') errors.push(INVOICE_NOT_AUTHORISED);
    else if (amount > invoice.AmountDue && !errors.includes(AMOUNT_OVER_OUTSTANDING)) errors.push(AMOUNT_OVER_OUTSTANDING);
    if (invoice.Contact.ContactID !== creditNote.Contact.ContactID) errors.push(OTHER_CONTACT);
    if (invoice.CurrencyCode !== creditNote.CurrencyCode) errors.push(OTHER_CURRENCY);
  }
  const allocation: Allocation = {
    AllocationID: EMPTY_ID,
    Amount: amount,
    Date: date,
    Invoice: { InvoiceID: invoice?.InvoiceID ?? EMPTY_ID, ...(invoice?.InvoiceNumber ? { InvoiceNumber: invoice.InvoiceNumber } : {}) },
  };
  const echo = { ...allocation, CreditNote: { CreditNoteID: creditNote.CreditNoteID } };
  if (errors.length > 0 || !invoice) return { ok: false, echo, errors };

  allocation.AllocationID = newId();
  const at = now.toISOString();
  const stamp = storedTimestamp(now);
  const remaining = round(creditNote.RemainingCredit - amount, 2);
  storeCreditNote(db, org.id, { ...creditNote, RemainingCredit: remaining, Allocations: [...creditNote.Allocations, allocation], ...(remaining === 0 ? { Status: 'PAID' as const, FullyPaidOnDate: date } : {}), UpdatedDateUTC: stamp }, at);
  const due = round(invoice.AmountDue - amount, 2);
  const credited: Invoice = {
    ...invoice,
    AmountDue: due,
    AmountCredited: round(invoice.AmountCredited + amount, 2),
    CreditNotes: [...(invoice.CreditNotes ?? []), { CreditNoteID: creditNote.CreditNoteID, ...(creditNote.CreditNoteNumber ? { CreditNoteNumber: creditNote.CreditNoteNumber } : {}), AppliedAmount: amount }],
    ...(due === 0 ? { Status: 'PAID' as const, FullyPaidOnDate: date } : {}),
    UpdatedDateUTC: stamp,
  };
  updateDocument(db, org.id, 'Invoice', { id: invoice.InvoiceID, number: invoice.InvoiceNumber ?? null, reference: invoice.Reference ?? null }, credited, at);
  return { ok: true, doc: { ...allocation, CreditNote: { CreditNoteID: creditNote.CreditNoteID, ...(creditNote.CreditNoteNumber ? { CreditNoteNumber: creditNote.CreditNoteNumber } : {}) } } };
}
