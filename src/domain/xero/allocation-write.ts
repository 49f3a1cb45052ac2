import type { XeroAuth } from './auth';
import { buildJsonGet } from './auth';
import { batchBody, encodeBatchElement, signedXmlWrite } from './batch-write';
import { elementOutcomes, type ElementOutcome } from './element-outcomes';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';

/** What an allocation write needs: the credit note it draws on and the allocation as Xero takes it. */
export interface AllocationWriteInput {
  apiUrl: string;
  auth: XeroAuth;
  creditNoteId: string;
  allocation: Record<string, unknown>;
}

/**
 * Builds `PUT /CreditNotes/{CreditNoteID}/Allocations?summarizeErrors=false` with one
 * `<Allocation>` (Allocation.xsd: Invoice, AppliedAmount, Date), asking for JSON: Xero takes
 * allocations only through this call, never inline with the credit note.
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes#allocations
 */
export function buildAllocationWrite(input: AllocationWriteInput): XeroRequest {
  const url = `${xeroEndpoints(input.apiUrl).accounting}/CreditNotes/${encodeURIComponent(input.creditNoteId)}/Allocations?summarizeErrors=false`;
  return signedXmlWrite('PUT', url, { auth: input.auth, body: batchBody('Allocations', [encodeBatchElement('Allocations', input.allocation)]) });
}

/** Xero's outcome for the one allocation sent; a non-200 answer is thrown as its problem. */
export function processAllocationWrite(response: XeroResponse): ElementOutcome | undefined {
  return elementOutcomes(response, 'Allocations')[0];
}

/** Builds `GET /CreditNotes/{CreditNoteID}` asking for JSON: the credit note with its allocations. */
export function buildCreditNoteRead(apiUrl: string, auth: XeroAuth, creditNoteId: string): XeroRequest {
  return buildJsonGet(auth, `${xeroEndpoints(apiUrl).accounting}/CreditNotes/${encodeURIComponent(creditNoteId)}`);
}

/** The allocation to look for: the invoice (by id or number) and the amount. */
export interface AllocationKey {
  invoiceId?: string;
  invoiceNumber?: string;
  amount: number;
}

/**
 * Finds, in the credit note Xero holds, an allocation to the same invoice of the same amount.
 * Allocations carry no Reference, so invoice and amount are the key; the proxy sends at most one
 * allocation per credit note it created, so a match is the one a lost answer hid.
 */
export function processAllocationLookup(response: XeroResponse, key: AllocationKey): Record<string, unknown> | undefined {
  const [note] = elementOutcomes(response, 'CreditNotes').map((outcome) => outcome.item);
  const allocations = Array.isArray(note?.['Allocations']) ? (note['Allocations'] as Array<Record<string, unknown>>) : [];
  return allocations.find((allocation) => {
    const invoice = (allocation['Invoice'] ?? {}) as Record<string, unknown>;
    const sameInvoice = key.invoiceId !== undefined ? String(invoice['InvoiceID'] ?? '').toLowerCase() === key.invoiceId.toLowerCase() : invoice['InvoiceNumber'] === key.invoiceNumber;
    const amount = Number(allocation['Amount'] ?? allocation['AppliedAmount']);
    return sameInvoice && Math.round(amount * 100) === Math.round(key.amount * 100);
  });
}
