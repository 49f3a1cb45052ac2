import { storedMs } from '../store/stored-dates';
import { lookupField, readPath, type FieldType, type QueryDialect } from './dialect';
import { raise } from './problems';

interface SortKey {
  keys: string[];
  type: FieldType;
  descending: boolean;
}

type SortValue = string | number | boolean | undefined;

/**
 * Sorts documents of `docType` by Xero's `order`: `Field [ASC|DESC]`, comma separated, dotted
 * paths allowed (`Contact.Name`). Strings sort without regard to case, dates by time, and ties
 * keep the stored order. Throws QueryError for an unknown field or a malformed part.
 */
export function sortDocuments<T>(docs: readonly T[], docType: string, order: string, dialect: QueryDialect): T[] {
  // An empty part (`Name,`) is skipped rather than refused; Payroll AU always allowed it.
  const parts = order.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const keys = parts.map((part) => parseSortKey(part, docType, dialect));
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

function parseSortKey(part: string, docType: string, dialect: QueryDialect): SortKey {
  const match = /^([A-Za-z_][\w.]*)(?:\s+(ASC|DESC))?$/i.exec(part);
  if (!match) return raise(dialect.wording, { kind: 'bad-order', part });
  let type = docType;
  let fieldType: FieldType = 'string';
  const keys: string[] = [];
  for (const name of match[1]!.split('.')) {
    const field = lookupField(dialect.schema, type, name) ?? raise(dialect.wording, { kind: 'unknown-field', field: name, type });
    keys.push(field.name);
    fieldType = field.type;
    if (typeof field.type === 'object') type = field.type.object;
  }
  if (typeof fieldType === 'object') raise(dialect.wording, { kind: 'whole-object', type: fieldType.object, in: 'order' });
  return { keys, type: fieldType, descending: (match[2] ?? 'ASC').toUpperCase() === 'DESC' };
}

function read(doc: unknown, key: SortKey): SortValue {
  const value = readPath(doc, key.keys);
  if (value === undefined || value === null) return undefined;
  if (key.type === 'date' && typeof value === 'string') return storedMs(value);
  if (typeof value === 'string') return value.toLowerCase();
  return value as number | boolean;
}

/** Missing values sort first, as SQL's NULLs do in ascending order. */
function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
