import type { Wording } from './problems';

/** The type of a field `where` and `order` may name; `{ object }` is a nested document reached with a dot. */
export type FieldType = 'string' | 'number' | 'date' | 'bool' | 'guid' | { object: string };

/**
 * The fields each document type lets `where` and `order` name, keyed by the type name that
 * error messages quote (`Invoice`, `Timesheet`), so unknown fields and mismatched literals are
 * refused as Xero refuses them.
 */
export type Schema = Readonly<Record<string, Readonly<Record<string, FieldType>>>>;

/** What one API brings to the shared query language: its fields, its wording, its paging rule. */
export interface QueryDialect {
  schema: Schema;
  wording: Wording;
  /** `clamp` reads an unusable `page` as page 1 (Accounting); `strict` refuses it (Payroll AU). */
  pages: 'clamp' | 'strict';
}

/** The canonical spelling and type of `name` on `type`; names match without regard to case, as Xero's do. */
export function lookupField(schema: Schema, type: string, name: string): { name: string; type: FieldType } | undefined {
  const fields = schema[type];
  if (!fields) return undefined;
  const canonical = Object.keys(fields).find((key) => key.toLowerCase() === name.toLowerCase());
  return canonical === undefined ? undefined : { name: canonical, type: fields[canonical]! };
}

/** The value at a dotted path of keys, or undefined where the path runs out. */
export function readPath(doc: unknown, keys: readonly string[]): unknown {
  let value: unknown = doc;
  for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
