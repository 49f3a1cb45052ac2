import { lookupField, type FieldType } from './fields';
import { parseIfModifiedSince, storedMs } from './json-dates';
import { compileWhere } from './where';
import { QueryError } from './where-lexer';

/** Xero's page size for paged endpoints. */
export const PAGE_SIZE = 100;

/** What a GET may ask of a list: `where`, `order`, `page` and the If-Modified-Since header. */
export interface ListQuery {
  where?: string | undefined;
  order?: string | undefined;
  page?: string | undefined;
  ifModifiedSince?: string | undefined;
}

/**
 * Filters, orders and pages documents of `docType` as Xero does: If-Modified-Since keeps those
 * with UpdatedDateUTC after the header; `order` is `Field [ASC|DESC]`, comma separated;
 * `page` is 1-based with 100 per page, and without it everything is returned.
 * Throws QueryError for an expression Xero would refuse.
 */
export function applyQuery<T>(docs: readonly T[], docType: string, query: ListQuery): T[] {
  let out = [...docs];
  const since = parseIfModifiedSince(query.ifModifiedSince);
  if (since !== undefined) out = out.filter((doc) => updatedMs(doc) > since);
  if (query.where && query.where.trim() !== '') {
    const predicate = compileWhere(query.where, docType);
    out = out.filter((doc) => predicate(doc));
  }
  if (query.order && query.order.trim() !== '') out = sortBy(out, docType, query.order);
  if (query.page !== undefined) {
    const page = Math.max(1, Math.floor(Number(query.page)) || 1);
    out = out.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  }
  return out;
}

function updatedMs(doc: unknown): number {
  const value = (doc as { UpdatedDateUTC?: unknown }).UpdatedDateUTC;
  return typeof value === 'string' ? storedMs(value) : 0;
}

interface SortKey {
  keys: string[];
  type: FieldType;
  descending: boolean;
}

function sortBy<T>(docs: T[], docType: string, order: string): T[] {
  const keys = order.split(',').map((part) => parseSortKey(part.trim(), docType));
  return docs
    .map((doc, index) => ({ doc, index }))
    .sort((a, b) => {
      for (const key of keys) {
        const diff = compareValues(read(a.doc, key), read(b.doc, key));
        if (diff !== 0) return key.descending ? -diff : diff;
      }
      return a.index - b.index;
    })
    .map((entry) => entry.doc);
}

function parseSortKey(part: string, docType: string): SortKey {
  const match = /^([A-Za-z_][\w.]*)(?:\s+(ASC|DESC))?$/i.exec(part);
  if (!match) throw new QueryError(`Syntax error in order '${part}'`);
  let type = docType;
  let fieldType: FieldType = 'string';
  const keys: string[] = [];
  for (const name of match[1]!.split('.')) {
    const field = lookupField(type, name);
    if (!field) throw new QueryError(`No property or field '${name}' exists in type '${type}'`);
    keys.push(field.name);
    fieldType = field.type;
    if (typeof field.type === 'object') type = field.type.object;
  }
  if (typeof fieldType === 'object') throw new QueryError(`Ordering by a whole '${fieldType.object}' is not supported; name one of its fields`);
  return { keys, type: fieldType, descending: (match[2] ?? 'ASC').toUpperCase() === 'DESC' };
}

function read(doc: unknown, key: SortKey): string | number | boolean | undefined {
  let value: unknown = doc;
  for (const name of key.keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (key.type === 'date' && typeof value === 'string') return storedMs(value);
  if (typeof value === 'string') return value.toLowerCase();
  return value as number | boolean;
}

/** Missing values sort first, as SQL's NULLs do in ascending order. */
function compareValues(a: string | number | boolean | undefined, b: string | number | boolean | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
