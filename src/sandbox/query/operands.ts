import { storedMs } from '../store/stored-dates';
import { readPath, type FieldType } from './dialect';
import type { QueryProblem } from './problems';

/**
 * The values a `where` expression computes with, typed with the .NET names Dynamic LINQ quotes
 * in its errors. Strings compare without regard to case, as Xero's do; dates compare as epoch
 * milliseconds; GUIDs as lower-case text.
 */
export type Scalar = 'String' | 'Decimal' | 'DateTime' | 'Boolean' | 'Guid' | 'Null';
type Value = string | number | boolean | null;

/** A compiled `where` expression: whether one document matches. */
export type Predicate = (doc: unknown) => boolean;

/** One side of a comparison: its type, known while parsing, and how to read it from a document. */
export interface Operand {
  type: Scalar;
  get: (doc: unknown) => Value;
}

const SCALAR: Record<Exclude<FieldType, { object: string }>, Scalar> = { string: 'String', number: 'Decimal', date: 'DateTime', bool: 'Boolean', guid: 'Guid' };
const EQUALITY = new Set(['==', '=', '!=', '<>']);
const STRING_TESTS: Record<string, (hay: string, pin: string) => boolean> = {
  contains: (hay, pin) => hay.includes(pin),
  startswith: (hay, pin) => hay.startsWith(pin),
  endswith: (hay, pin) => hay.endsWith(pin),
};

/** The type name Dynamic LINQ gives a field, e.g. `Decimal`, or the nested document's own name. */
export const typeName = (type: FieldType): string => (typeof type === 'object' ? type.object : SCALAR[type]);

/** A constant operand. */
export const literal = (type: Scalar, value: Value): Operand => ({ type, get: () => value });

/** An operand read from a document along `keys`; a missing value reads as null. */
export function fieldOperand(keys: readonly string[], type: Exclude<FieldType, { object: string }>): Operand {
  const scalar = SCALAR[type];
  return {
    type: scalar,
    get: (doc) => {
      const value = readPath(doc, keys);
      if (value === undefined || value === null) return null;
      if (scalar === 'DateTime') return typeof value === 'string' ? storedMs(value) : null;
      if (scalar === 'Guid') return String(value).toLowerCase();
      return value as Value;
    },
  };
}

/** `left <op> right`, refusing operand types Dynamic LINQ would not compare. */
export function compare(op: { value: string; at: number }, left: Operand, right: Operand, fail: (problem: QueryProblem) => never): Predicate {
  const incompatible = (): never => fail({ kind: 'incompatible', operator: op.value, left: left.type, right: right.type, at: op.at });
  const guidText = (left.type === 'Guid' && right.type === 'String') || (left.type === 'String' && right.type === 'Guid');
  if (left.type !== right.type && left.type !== 'Null' && right.type !== 'Null' && !guidText) incompatible();
  const ordered = !EQUALITY.has(op.value);
  if (ordered && (left.type === 'Boolean' || left.type === 'Guid' || left.type === 'Null' || right.type === 'Null')) incompatible();
  return (doc) => {
    let a = left.get(doc);
    let b = right.get(doc);
    if (typeof a === 'string' && typeof b === 'string') [a, b] = [a.toLowerCase(), b.toLowerCase()];
    if (op.value === '==' || op.value === '=') return a === b;
    if (op.value === '!=' || op.value === '<>') return a !== b;
    if (a === null || b === null) return false;
    if (op.value === '>') return a > b;
    if (op.value === '<') return a < b;
    if (op.value === '>=') return a >= b;
    return a <= b;
  };
}

/**
 * A string method call: `ToLower()`, `ToUpper()`, or `Contains`, `StartsWith`, `EndsWith` with one
 * string argument. Method names match without regard to case, as Dynamic LINQ's lookup does.
 */
export function stringMethod(target: Operand, name: { value: string; at: number }, args: readonly Operand[], fail: (problem: QueryProblem) => never): Operand {
  const method = name.value.toLowerCase();
  if (target.type !== 'String') fail({ kind: 'unknown-method', method: name.value, type: target.type, at: name.at });
  if ((method === 'tolower' || method === 'toupper') && args.length === 0) {
    const convert = method === 'toupper' ? (v: string) => v.toUpperCase() : (v: string) => v.toLowerCase();
    return { type: 'String', get: (doc) => mapString(target.get(doc), convert) };
  }
  const test = STRING_TESTS[method];
  const arg = args[0];
  if (!test || args.length !== 1 || arg?.type !== 'String') return fail({ kind: 'unknown-method', method: name.value, type: 'String', at: name.at });
  return {
    type: 'Boolean',
    get: (doc) => {
      const value = target.get(doc);
      const needle = arg.get(doc);
      if (typeof value !== 'string' || typeof needle !== 'string') return false;
      return test(value.toLowerCase(), needle.toLowerCase());
    },
  };
}

const mapString = (value: Value, fn: (v: string) => string): Value => (typeof value === 'string' ? fn(value) : value);
