import { AppError } from '../../lib/errors';
import { encodeForm } from '../oauth1/form-encoding';
import { buildJsonGet, type XeroAuth } from './auth';
import type { BatchCollection } from './batch-write';
import { elementOutcomes } from './element-outcomes';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';

/** Keys per look-up: twenty `Reference.Contains("XP-…")` terms keep the URL near 1,200 characters, under IIS's 2,048. */
export const MAX_KEYS_PER_LOOKUP = 20;

/**
 * The field of a document that carries its key: Reference, or where Xero keeps no Reference (a
 * bill, ACCPAY; a supplier credit note, ACCPAYCREDIT) its number.
 */
export type KeyField = 'Reference' | 'InvoiceNumber' | 'CreditNoteNumber';

/** One document to find: its key and the field that holds it. */
export interface KeyTerm {
  key: string;
  field: KeyField;
}

/** What a look-up needs: how it is authorised, and the documents to find. */
export interface ReferenceLookupInput {
  apiUrl: string;
  auth: XeroAuth;
  collection: BatchCollection;
  terms: readonly KeyTerm[];
}

/**
 * The `where` filter finding documents that hold any of the keys. Each field is tested for null
 * first: Xero answers a string method on a missing optional field with a 500, and most
 * documents have no Reference.
 * @example referenceFilter([{ key: 'XP-1', field: 'Reference' }]) // '(Reference != null AND (Reference.Contains("XP-1")))'
 * @see https://github.com/freakboy3742/pyxero/issues/181 (Xero staff: check optional fields for null)
 */
export function referenceFilter(terms: readonly KeyTerm[]): string {
  if (terms.length === 0 || terms.length > MAX_KEYS_PER_LOOKUP) throw new AppError('internal', `A look-up takes 1 to ${MAX_KEYS_PER_LOOKUP} keys, not ${terms.length}.`);
  const groups: string[] = [];
  for (const field of ['Reference', 'InvoiceNumber', 'CreditNoteNumber'] as const) {
    const keys = terms.filter((term) => term.field === field).map((term) => `${field}.Contains("${term.key.replace(/["\\]/g, '')}")`);
    if (keys.length > 0) groups.push(`(${field} != null AND (${keys.join(' OR ')}))`);
  }
  return groups.join(' OR ');
}

/**
 * Builds `GET /api.xro/2.0/{collection}?where=…` asking for JSON: how a send whose outcome is
 * unknown is settled before anything is sent again.
 * @see RELIABILITY.md "Idempotency"; PROTOCOL.md §4.4 (where)
 */
export function buildReferenceLookup(input: ReferenceLookupInput): XeroRequest {
  const url = `${xeroEndpoints(input.apiUrl).accounting}/${input.collection}?${encodeForm([['where', referenceFilter(input.terms)]])}`;
  return buildJsonGet(input.auth, url);
}

/**
 * Reads the look-up's answer: for each key, the first document whose Reference or InvoiceNumber
 * holds it as a whole word (so `XP-AB` never matches `XP-ABC`). Keys not in the map are not in
 * Xero. Any status but 200 is thrown as its problem.
 */
export function processReferenceLookup(response: XeroResponse, collection: BatchCollection, keys: readonly string[]): Map<string, Record<string, unknown>> {
  const documents = elementOutcomes(response, collection).map((outcome) => outcome.item);
  const found = new Map<string, Record<string, unknown>>();
  for (const key of keys) {
    const match = documents.find((document) => documentHoldsKey(document, key));
    if (match) found.set(key, match);
  }
  return found;
}

/** Whether a document's Reference or number holds `key` as a whole word. */
export function documentHoldsKey(document: Record<string, unknown>, key: string): boolean {
  return referenceHoldsKey(document['Reference'], key) || referenceHoldsKey(document['InvoiceNumber'], key) || referenceHoldsKey(document['CreditNoteNumber'], key);
}

/** Whether a text field holds `key` as a whole word. */
export function referenceHoldsKey(reference: unknown, key: string): boolean {
  if (typeof reference !== 'string') return false;
  let from = 0;
  for (let at = reference.indexOf(key, from); at !== -1; at = reference.indexOf(key, from)) {
    const before = reference[at - 1];
    const after = reference[at + key.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
  return false;
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9]/.test(ch);
