/**
 * How each kind of delivered document is found again at Xero, one row per kind: the list it is
 * read from (paged, changed since the day began), the query parameters that list takes, where
 * its id, status and amount are, and which statuses mean a person undid it. A kind the proxy
 * delivers that has no row here is not reconciled; a new kind adds its row.
 */
export interface ReconcileSpec {
  /** The document as people call it: "Invoice", "Payment". */
  noun: string;
  collection: string;
  /**
   * Query parameters beside `page`. Invoices take `createdByMyApp` (only this app's) and
   * `summaryOnly` (no line items: the header is all the comparison needs); Payments and
   * CreditNotes take neither in Xero's specification.
   * @see xero_accounting.yaml getInvoices, getPayments, getCreditNotes
   */
  params: ReadonlyArray<readonly [string, string]>;
  idField: string;
  /** The field holding what the proxy sent and Xero must still hold: a total, or a payment's amount. */
  amountField: string;
  /**
   * Where `params` narrow the list to this app's documents, the parameter that asks for given ids
   * regardless of who created them: a document missing from the narrowed list (made under an
   * earlier app registration, before a move to OAuth 2.0) is asked for by id before it is called missing.
   */
  byIds?: { param: string; extra: ReadonlyArray<readonly [string, string]> };
  /** Statuses meaning the document no longer counts, as this finding. */
  undone: Readonly<Record<string, 'voided' | 'deleted'>>;
}

/** The kinds reconciled, by job kind. */
export const RECONCILE_SPECS: Readonly<Record<string, ReconcileSpec>> = {
  invoice: {
    noun: 'Invoice',
    collection: 'Invoices',
    params: [
      ['createdByMyApp', 'true'],
      ['summaryOnly', 'true'],
    ],
    idField: 'InvoiceID',
    byIds: { param: 'IDs', extra: [['summaryOnly', 'true']] },
    amountField: 'Total',
    undone: { VOIDED: 'voided', DELETED: 'deleted' },
  },
  payment: {
    noun: 'Payment',
    collection: 'Payments',
    params: [],
    idField: 'PaymentID',
    amountField: 'Amount',
    undone: { DELETED: 'deleted' },
  },
  // Credit notes are reconciled once the proxy delivers them (a `credit_note` job): a day with none costs no call.
  credit_note: {
    noun: 'Credit note',
    collection: 'CreditNotes',
    params: [],
    idField: 'CreditNoteID',
    amountField: 'Total',
    undone: { VOIDED: 'voided', DELETED: 'deleted' },
  },
};

/** The job kinds reconciliation compares, in the order it reads them. */
export const RECONCILED_KINDS = Object.keys(RECONCILE_SPECS);
