import { storedMs } from '../store/stored-dates';
import type { QueryDialect } from './dialect';
import { parseIfModifiedSince } from './if-modified-since';
import { sortDocuments } from './order';
import { raise } from './problems';
import { compileWhere } from './where';

/** Xero's page size for paged endpoints. @see PROTOCOL.md §4.4 */
export const PAGE_SIZE = 100;

/** What a GET may ask of a list, as sent: `where`, `order`, `page` and the If-Modified-Since header. */
export interface ListQuery {
  where?: string | undefined;
  order?: string | undefined;
  page?: string | undefined;
  ifModifiedSince?: string | undefined;
}

/**
 * Filters, orders and pages documents of `docType` as Xero does: If-Modified-Since keeps those
 * whose UpdatedDateUTC is after the header; `where` filters; `order` sorts; `page` is 1-based
 * with 100 per page, and without it everything is returned. Throws QueryError, in the dialect's
 * wording, for an expression or page the API would refuse.
 */
export function applyQuery<T>(docs: readonly T[], docType: string, query: ListQuery, dialect: QueryDialect): T[] {
  let out = [...docs];
  const since = parseIfModifiedSince(query.ifModifiedSince);
  if (since !== undefined) out = out.filter((doc) => updatedMs(doc) > since);
  if (query.where && query.where.trim() !== '') {
    const predicate = compileWhere(query.where, docType, dialect);
    out = out.filter((doc) => predicate(doc));
  }
  if (query.order && query.order.trim() !== '') out = sortDocuments(out, docType, query.order, dialect);
  if (query.page !== undefined) {
    const page = pageNumber(query.page, dialect);
    out = out.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  }
  return out;
}

function pageNumber(text: string, dialect: QueryDialect): number {
  if (dialect.pages === 'clamp') return Math.max(1, Math.floor(Number(text)) || 1);
  const page = Number(text);
  if (!Number.isInteger(page) || page < 1) raise(dialect.wording, { kind: 'bad-page', page: text });
  return page;
}

/** A document without a readable UpdatedDateUTC counts as never modified. */
function updatedMs(doc: unknown): number {
  const value = (doc as { UpdatedDateUTC?: unknown }).UpdatedDateUTC;
  return typeof value === 'string' ? storedMs(value) : 0;
}
