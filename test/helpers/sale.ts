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

/** A café's evening shift as a till closes it (`POST /api/v1/pos/shifts`): two sales categories, cash and EFTPOS. */
export const eveningShift = {
  shiftId: 'TILL-0042-2026-11-28-PM',
  closedAt: '2026-11-28T22:05:00+10:00',
  sales: [
    { category: 'Coffee', gross: 412.5, tax: 37.5 },
    { category: 'Food', gross: 220, tax: 20 },
  ],
  tenders: [
    { type: 'cash', amount: 182.5 },
    { type: 'eftpos', amount: 450 },
  ],
};
