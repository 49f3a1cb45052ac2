import { AppError } from '../../lib/errors';
import { encodeForm } from '../oauth1/form-encoding';
import { buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { xeroProblemError } from './xero-error';

/** Xero's page size on paged lists: a shorter page is the last. @see PROTOCOL.md §4.4 */
export const XERO_PAGE_SIZE = 100;

/** One page of a list of documents changed since a moment. */
export interface ChangedSinceInput {
  apiUrl: string;
  auth: XeroAuth;
  /** `Invoices`, `Payments`, `CreditNotes`. */
  collection: string;
  /** Query parameters the endpoint takes beside `page` (e.g. createdByMyApp, summaryOnly). */
  params: ReadonlyArray<readonly [string, string]>;
  page: number;
  /** Documents created or changed after this instant (If-Modified-Since, to the second, UTC); absent reads them whenever they changed. */
  since?: Date | undefined;
}

/**
 * Builds `GET /api.xro/2.0/{collection}?…&page=N` with `If-Modified-Since`, asking for JSON: how
 * the daily reconciliation reads what Xero holds without downloading the whole ledger. The
 * header is written as Xero's SDKs write it (`yyyy-MM-ddTHH:mm:ss`, meaning UTC); it is not
 * signed, so OAuth 1.0a signatures cover the URL alone.
 * @see PROTOCOL.md §4.4; MARKET-2026.md "Daily reconciliation report"
 */
export function buildChangedSinceRead(input: ChangedSinceInput): XeroRequest {
  if (!Number.isInteger(input.page) || input.page < 1) throw new AppError('internal', `A page is a whole number from 1, not ${input.page}.`);
  const url = `${xeroEndpoints(input.apiUrl).accounting}/${input.collection}?${encodeForm([...input.params, ['page', String(input.page)]])}`;
  const request = buildJsonGet(input.auth, url);
  if (!input.since) return request;
  return { ...request, headers: { ...request.headers, 'If-Modified-Since': input.since.toISOString().slice(0, 19) } };
}

/** Reads one page's documents; any status but 200 is thrown as Xero's problem. `last` is true for a short page. */
export function processChangedSinceRead(response: XeroResponse, collection: string): { documents: Record<string, unknown>[]; last: boolean } {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  let list: unknown;
  try {
    list = (JSON.parse(response.body) as Record<string, unknown>)[collection];
  } catch {
    throw new AppError('upstream', `Xero's ${collection} answer is not JSON.`, { retryable: true });
  }
  if (!Array.isArray(list)) throw new AppError('upstream', `Xero's ${collection} answer has no ${collection} list.`, { retryable: false });
  const documents = list.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object');
  return { documents, last: list.length < XERO_PAGE_SIZE };
}
