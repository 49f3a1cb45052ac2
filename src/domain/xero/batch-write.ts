import { createHash } from 'node:crypto';
import { encodeElement } from '../../lib/xml';
import { authHeaders, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest } from './http';
import { xeroItemNameForEncoding } from './xml-shape';

/** The Accounting collections the delivery loop writes in batches. */
export type BatchCollection = 'Invoices' | 'CreditNotes' | 'Payments';

/** Every collection the loop encodes elements of: the Accounting ones and Payroll AU's timesheets. */
export type ElementCollection = BatchCollection | 'Allocations' | 'Timesheets';

/** Xero reads request bodies up to 3.5 MB; a batch stays well under it. @see PROTOCOL.md §4.3 */
export const MAX_BATCH_BODY_BYTES = 3_000_000;

// Fields typed xs:dateTime in Xero's XSDs: a bare calendar date gets midnight so the body validates.
const DATE_FIELDS = new Set(['Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'FullyPaidOnDate']);
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

// The app's own ids ride in payloads for the proxy; Xero knows no such field.
const NOT_XERO = new Set(['DocumentId']);

/**
 * One element of a batch (e.g. `<Invoice>…</Invoice>`) from Xero's JSON shape: lists take their
 * item names from Xero's XSDs (LineItems → LineItem, Tracking → TrackingCategory), calendar dates
 * become xs:dateTime, numbers are written in plain decimal notation, nulls are left out.
 * @see https://github.com/XeroAPI/XeroAPI-Schemas (Invoice.xsd, CreditNote.xsd, Allocation.xsd, Payment.xsd)
 */
export function encodeBatchElement(collection: ElementCollection, element: Record<string, unknown>): string {
  return encodeElement(xeroItemNameForEncoding(collection), xmlReady(element), { itemName: xeroItemNameForEncoding, skip: (key) => NOT_XERO.has(key) });
}

/** The whole body: `<Invoices>` around elements made by `encodeBatchElement`. */
export function batchBody(collection: ElementCollection, encodedElements: readonly string[]): string {
  return `<${collection}>${encodedElements.join('')}</${collection}>`;
}

/** What a batch write needs: how it is authorised, and the encoded body. */
export interface BatchWriteInput {
  apiUrl: string;
  auth: XeroAuth;
  collection: BatchCollection;
  body: string;
}

/**
 * Builds `PUT /api.xro/2.0/{collection}?summarizeErrors=false` with an XML body, asking for a
 * JSON answer: PUT only creates, and with summarizeErrors=false every element gets its own
 * status, so valid elements are saved and reported even when others fail. The Idempotency-Key
 * is derived from the body, so the very same batch sent again carries the same key; it is a
 * second guard where Xero honours it, never the first (that is the look-up by document key).
 * @see PROTOCOL.md §4.3; RELIABILITY.md "Idempotency"
 */
export function buildBatchWrite(input: BatchWriteInput): XeroRequest {
  return signedXmlWrite('PUT', `${xeroEndpoints(input.apiUrl).accounting}/${input.collection}?summarizeErrors=false`, input);
}

/**
 * A write with an XML body asking for a JSON answer, authorised as `input.auth` says, its
 * Idempotency-Key derived from the method, URL and body (so the very same write sent again
 * carries the same key).
 */
export function signedXmlWrite(method: 'PUT' | 'POST', url: string, input: { auth: XeroAuth; body: string }): XeroRequest {
  return {
    method,
    url,
    headers: {
      ...authHeaders(input.auth, { method, url }),
      Accept: 'application/json',
      'Content-Type': 'application/xml; charset=utf-8',
      'Idempotency-Key': `xp-${createHash('sha256').update(`${method} ${url}\n${input.body}`).digest('base64url')}`,
    },
    body: input.body,
  };
}

function xmlReady(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => xmlReady(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, child]) => [name, xmlReady(child, name)]));
  }
  if (typeof value === 'number') return plainDecimal(value);
  if (typeof value === 'string' && DATE_FIELDS.has(key) && CALENDAR_DATE.test(value)) return `${value}T00:00:00`;
  return value;
}

// String(1e-7) is "1e-7", which xs:decimal refuses; amounts never need more than 4 places.
function plainDecimal(value: number): string {
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(4).replace(/\.?0+$/, '') : text;
}
