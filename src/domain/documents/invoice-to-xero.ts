import { AppError } from '../../lib/errors';
import { toXeroDate } from './dates';
import type { Invoice, LineItem } from './invoices';
import type { Payment } from './payments';
import type { XeroInvoice, XeroLineItem, XeroPayment } from './xero-types';

/**
 * An app's invoice as Xero takes it: the same fields without the app's DocumentId, dates as
 * `xs:dateTime`, and nothing undefined (so JSON and XML carry the same elements).
 */
export function invoiceToXero(invoice: Invoice): XeroInvoice {
  return defined({
    Type: invoice.Type,
    Contact: defined({ ContactID: invoice.Contact.ContactID, ContactNumber: invoice.Contact.ContactNumber, EmailAddress: invoice.Contact.EmailAddress, Name: invoice.Contact.Name }),
    Date: invoice.Date === undefined ? undefined : toXeroDate(invoice.Date),
    DueDate: invoice.DueDate === undefined ? undefined : toXeroDate(invoice.DueDate),
    LineAmountTypes: invoice.LineAmountTypes,
    InvoiceNumber: invoice.InvoiceNumber,
    Reference: invoice.Reference,
    CurrencyCode: invoice.CurrencyCode,
    Status: invoice.Status,
    SentToContact: invoice.SentToContact,
    LineItems: invoice.LineItems.map(lineToXero),
  });
}

export function lineToXero(line: LineItem): XeroLineItem {
  return defined({
    Description: line.Description,
    Quantity: line.Quantity,
    UnitAmount: line.UnitAmount,
    ItemCode: line.ItemCode,
    AccountCode: line.AccountCode,
    TaxType: line.TaxType,
    TaxAmount: line.TaxAmount,
    DiscountRate: line.DiscountRate,
    Tracking: line.Tracking?.map((tracking) => ({ Name: tracking.Name, Option: tracking.Option })),
  });
}

/** Finds the Xero InvoiceID of an invoice this device sent with a DocumentId, once Xero has it. */
export type InvoiceIdOf = (documentId: string) => string | undefined;

/**
 * An app's payment as Xero takes it. An invoice named by the app's DocumentId is looked up with
 * `invoiceIdOf`; until that invoice is in Xero there is nothing to pay, which is `not_found`
 * (the queue waits for the invoice rather than failing the payment).
 */
export function paymentToXero(payment: Payment, invoiceIdOf: InvoiceIdOf, payerAccountCode?: string): XeroPayment {
  const { InvoiceID, InvoiceNumber, DocumentId } = payment.Invoice;
  let invoice: XeroPayment['Invoice'];
  if (InvoiceID !== undefined) invoice = { InvoiceID };
  else if (InvoiceNumber !== undefined) invoice = { InvoiceNumber };
  else {
    const id = DocumentId === undefined ? undefined : invoiceIdOf(DocumentId);
    if (id === undefined) throw new AppError('not_found', `Invoice.DocumentId: no invoice with DocumentId "${DocumentId}" from this device is in Xero yet.`, { field: 'Invoice.DocumentId' });
    invoice = { InvoiceID: id };
  }
  // A payment naming a Payer goes into the account mapped to it (planned in payer-payment.ts).
  const account: XeroPayment['Account'] = payment.Account?.Code !== undefined ? { Code: payment.Account.Code } : payment.Account?.AccountID !== undefined ? { AccountID: payment.Account.AccountID } : { Code: payerAccountCode ?? '' };
  return defined({ Invoice: invoice, Account: account, Date: toXeroDate(payment.Date), Amount: payment.Amount, Reference: payment.Reference });
}

/** The object without its undefined fields, which encoders would otherwise have to skip. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
