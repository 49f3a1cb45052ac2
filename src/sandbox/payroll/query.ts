import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';
import { storedMs } from './dates';
import { parseWhere, QueryParseError, type Predicate } from './where';

export { QueryParseError };

/** Records per page when `page` is given. @see PROTOCOL.md §4.4 */
export const PAGE_SIZE = 100;

/** The list parameters Payroll AU GETs take: `where`, `order`, `page` and `If-Modified-Since`. */
export interface ListQuery {
  where: Predicate | undefined;
  order: Array<{ field: string; descending: boolean }>;
  page: number | undefined;
  modifiedSince: number | undefined;
}

/**
 * Reads `where`, `order`, `page` and the `If-Modified-Since` header for a type whose filterable
 * fields are `fields`. An unreadable If-Modified-Since is ignored, as HTTP says; a bad `where`,
 * `order` or `page` throws `QueryParseError` with Xero's wording where known.
 */
export function readListQuery(c: Context<SandboxEnv>, typeName: string, fields: readonly string[]): ListQuery {
  const whereText = c.req.query('where');
  const where = whereText && whereText.trim() !== '' ? parseWhere(whereText, typeName, fields) : undefined;
  const order = (c.req.query('order') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^([A-Za-z][A-Za-z0-9]*)(?:\s+(ASC|DESC))?$/i.exec(part);
      if (!match) throw new QueryParseError(`The order "${part}" is not valid; use a field name, optionally followed by ASC or DESC.`);
      const field = fields.find((name) => name.toLowerCase() === match[1]!.toLowerCase());
      if (!field) throw new QueryParseError(`No property or field '${match[1]}' exists in type '${typeName}'`);
      return { field, descending: (match[2] ?? '').toUpperCase() === 'DESC' };
    });
  const pageText = c.req.query('page');
  let page: number | undefined;
  if (pageText !== undefined) {
    page = Number(pageText);
    if (!Number.isInteger(page) || page < 1) throw new QueryParseError(`The page "${pageText}" is not valid; pages are numbered from 1.`);
  }
  const since = Date.parse(normaliseSince(c.req.header('if-modified-since') ?? ''));
  return { where, order, page, modifiedSince: Number.isNaN(since) ? undefined : since };
}

/** Applies a list query to documents (oldest first): filter, modified-since, order, then page. */
export function applyListQuery<T extends Record<string, unknown>>(items: readonly T[], query: ListQuery, updatedAt: (item: T) => string): T[] {
  let out = items.filter((item) => (query.where ? query.where(item) : true));
  if (query.modifiedSince !== undefined) out = out.filter((item) => storedMs(updatedAt(item)) > query.modifiedSince!);
  if (query.order.length > 0) {
    out = [...out].sort((a, b) => {
      for (const { field, descending } of query.order) {
        const diff = compareValues(a[field], b[field]);
        if (diff !== 0) return descending ? -diff : diff;
      }
      return 0;
    });
  }
  if (query.page !== undefined) out = out.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE);
  return out;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** SDKs send `yyyy-MM-ddTHH:mm:ss` without a zone and mean UTC (PROTOCOL.md §4.4); RFC 1123 dates parse as they are. */
function normaliseSince(value: string): string {
  const text = value.trim();
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
}
