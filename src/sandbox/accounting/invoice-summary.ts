import type { Invoice } from './model';

/** The fields `summaryOnly=true` leaves out: the line items and what is allocated to the invoice, the computation-heavy parts. */
const HEAVY_FIELDS = ['LineItems', 'Payments', 'CreditNotes', 'Prepayments', 'Overpayments'] as const;

/**
 * An invoice as `GET /Invoices?summaryOnly=true` shows it: its header (type, ids, contact's id and
 * name, dates, status, amounts, currency, UpdatedDateUTC) without line items or allocations.
 * Xero documents the parameter only as "lightweight fields, excluding computation-heavy fields";
 * the exact list here is the sandbox's reading of that, UNVERIFIED field by field.
 * @see xero_accounting.yaml components.parameters.summaryOnly
 */
export function invoiceSummary(invoice: Invoice): Record<string, unknown> {
  const summary: Record<string, unknown> = { ...invoice, Contact: { ContactID: invoice.Contact.ContactID, Name: invoice.Contact.Name } };
  for (const field of HEAVY_FIELDS) delete summary[field];
  return summary;
}

/** A boolean query parameter as Xero reads it: `true` in any case is true; anything else, or none, is false. */
export function flagParam(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}
