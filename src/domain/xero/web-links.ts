/** Xero's web screens for an invoice or a bill, by its type. */
const INVOICE_VIEWS: Readonly<Record<string, string>> = {
  ACCREC: 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=',
  ACCPAY: 'https://go.xero.com/AccountsPayable/View.aspx?InvoiceID=',
};

/** The invoice or bill in Xero's web app ("Open in Xero"), or undefined for a type it has no screen for. */
export function xeroInvoiceLink(type: unknown, invoiceId: string): string | undefined {
  const base = typeof type === 'string' ? INVOICE_VIEWS[type] : undefined;
  return base ? `${base}${encodeURIComponent(invoiceId)}` : undefined;
}

/** Xero's web screens for a credit note, by its type. */
const CREDIT_NOTE_VIEWS: Readonly<Record<string, string>> = {
  ACCRECCREDIT: 'https://go.xero.com/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=',
  ACCPAYCREDIT: 'https://go.xero.com/AccountsPayable/ViewCreditNote.aspx?creditNoteID=',
};

/** The credit note in Xero's web app, or undefined for a type it has no screen for. */
export function xeroCreditNoteLink(type: unknown, creditNoteId: string): string | undefined {
  const base = typeof type === 'string' ? CREDIT_NOTE_VIEWS[type] : undefined;
  return base ? `${base}${encodeURIComponent(creditNoteId)}` : undefined;
}
