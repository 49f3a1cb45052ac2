import type { Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { responseFormat, sendApiException, sendEnvelope, sendNotFound } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { applyQuery } from '../query/apply-query';
import { findDocument, listDocuments } from '../store/documents';
import { PAYROLL_QUERY } from './fields';
import { isGuid } from './model';
import { renderPayroll } from './render';

/** How one Payroll AU resource is listed: its stored type (also its query type) and envelope key. */
export interface ListSpec {
  type: string;
  collection: string;
}

/** Stored documents rendered in the client's format (see `renderPayroll`). */
export function renderAll<T>(c: Context<SandboxEnv>, items: readonly T[]): T[] {
  const format = responseFormat(c);
  return items.map((item) => renderPayroll(item, format));
}

/**
 * The organisation's documents of one type after `where`, `order`, `page` and If-Modified-Since.
 * Throws QueryError in Payroll AU's wording; `catchQueryError` answers it.
 */
export function queryDocuments(c: Context<SandboxEnv>, deps: SandboxDeps, type: string): Record<string, unknown>[] {
  const documents = listDocuments<Record<string, unknown>>(deps.db, c.get('auth').organisationId, type);
  return applyQuery(documents, type, readListQuery(c), PAYROLL_QUERY);
}

/** GET of a collection: the `Response` envelope around the queried documents. */
export function sendList(c: Context<SandboxEnv>, deps: SandboxDeps, spec: ListSpec): Response {
  return catchQueryError(c, () => sendEnvelope(c, deps.clock.now(), spec.collection, renderAll(c, queryDocuments(c, deps, spec.type))));
}

/**
 * GET of one document by GUID. Employees and calendars come back in a one-item list (`single`
 * false); a timesheet comes back as a lone `Timesheet` object, as the OpenAPI spec shows.
 * Unknown or malformed ids get Xero's plain-text 404.
 */
export function sendOne(c: Context<SandboxEnv>, deps: SandboxDeps, type: string, key: string, id: string, single = false): Response {
  const document = isGuid(id) ? findDocument<Record<string, unknown>>(deps.db, c.get('auth').organisationId, type, id) : undefined;
  if (!document) return sendNotFound(c);
  const [rendered] = renderAll(c, [document]);
  return sendEnvelope(c, deps.clock.now(), key, single ? rendered! : [rendered]);
}

/** 501 for the Payroll AU writes the sandbox does not model (creating employees, pay items, calendars). */
export function sendNotModelled(c: Context<SandboxEnv>, what: string): Response {
  return sendApiException(c, 501, 20, 'ApiMethodNotImplementedException', `The sandbox does not implement ${what}; use the demo data it seeds.`);
}
