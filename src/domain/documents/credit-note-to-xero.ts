import { toXeroDate } from './dates';
import type { AllocationRequest, CreditNote, Refund } from './credit-notes';
import { defined, lineToXero } from './invoice-to-xero';
import type { XeroAllocation, XeroCreditNote, XeroPayment } from './xero-types';

/** An app's credit note as Xero takes it: without the DocumentId, the Allocation and the Refund, which go as their own calls. */
export function creditNoteToXero(note: CreditNote): XeroCreditNote {
  return defined({
    Type: note.Type,
    Contact: defined({ ContactID: note.Contact.ContactID, ContactNumber: note.Contact.ContactNumber, Name: note.Contact.Name }),
    Date: note.Date === undefined ? undefined : toXeroDate(note.Date),
    LineAmountTypes: note.LineAmountTypes,
    CreditNoteNumber: note.CreditNoteNumber,
    Reference: note.Reference,
    CurrencyCode: note.CurrencyCode,
    Status: note.Status,
    SentToContact: note.SentToContact,
    LineItems: note.LineItems.map(lineToXero),
  });
}

/**
 * The allocation as Xero takes it. An invoice named by the app's DocumentId is left empty here:
 * the delivery loop fills in its InvoiceID once Xero has the invoice.
 */
export function allocationToXero(allocation: AllocationRequest, creditNoteDate: string | undefined): XeroAllocation {
  const { InvoiceID, InvoiceNumber } = allocation.Invoice;
  const invoice: XeroAllocation['Invoice'] = InvoiceID !== undefined ? { InvoiceID } : InvoiceNumber !== undefined ? { InvoiceNumber } : {};
  const date = allocation.Date ?? creditNoteDate;
  return defined({ Invoice: invoice, AppliedAmount: allocation.Amount, Date: date === undefined ? undefined : toXeroDate(date) });
}

/** The refund as Xero takes it: a payment whose CreditNote the delivery loop fills in once Xero has the credit note. */
export function refundToXero(refund: Refund): XeroPayment {
  const account: XeroPayment['Account'] = refund.Account.Code !== undefined ? { Code: refund.Account.Code } : { AccountID: refund.Account.AccountID! };
  return defined({ CreditNote: {}, Account: account, Date: toXeroDate(refund.Date), Amount: refund.Amount, Reference: refund.Reference });
}
