/** One café sale as a till posts it to `POST /api/v1/invoices`, keyed by the app's DocumentId. */
export const saleInvoice = (documentId: string, amount = 12.5) => ({
  DocumentId: documentId,
  Type: 'ACCREC',
  Contact: { Name: 'Walk-in customer' },
  Date: '2026-11-28',
  LineAmountTypes: 'Inclusive',
  Reference: `Sale ${documentId}`,
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'OUTPUT' }],
});
