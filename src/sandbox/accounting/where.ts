import { lookupField, type FieldType } from './fields';
import { storedMs } from './json-dates';
import { QueryError, tokenize, type Token } from './where-lexer';

/**
 * Parses Xero's `where` expressions against the fields of one document type and evaluates
 * them. Supported: `==` `!=` `>` `<` `>=` `<=`, `AND`/`OR`/`NOT` (and `&&` `||` `!`),
 * parentheses, dotted paths, strings, numbers, `true`/`false`/`null`, `DateTime(y,m,d[,h,mi,s])`,
 * `Guid("…")`, and the string methods `Contains`, `StartsWith`, `EndsWith`, `ToLower`, `ToUpper`.
 * String comparisons ignore case, as Xero's do.
 * @see https://developer.xero.com/documentation/api/accounting/requests-and-responses
 */
export type Predicate = (doc: unknown) => boolean;

type Scalar = 'String' | 'Decimal' | 'DateTime' | 'Boolean' | 'Guid' | 'Null';
type Value = string | number | boolean | null;
interface Operand {
  type: Scalar;
  get: (doc: unknown) => Value;
}

const SCALAR: Record<Exclude<FieldType, { object: string }>, Scalar> = { string: 'String', number: 'Decimal', date: 'DateTime', bool: 'Boolean', guid: 'Guid' };
const STRING_METHODS = new Set(['Contains', 'StartsWith', 'EndsWith']);

/** Compiles `source` for documents of `docType`; throws QueryError with Xero-like wording. */
export function compileWhere(source: string, docType: string): Predicate {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (word: string) => peek().kind === 'ident' && String(peek().value).toUpperCase() === word;
  const isOp = (op: string) => peek().kind === 'op' && peek().value === op;
  const expect = (op: string) => {
    if (!isOp(op)) throw new QueryError(`'${op}' expected (at index ${peek().at})`);
    next();
  };

  const or = (): Predicate => {
    let left = and();
    while (isWord('OR') || isOp('||')) {
      next();
      const a = left;
      const b = and();
      left = (doc) => a(doc) || b(doc);
    }
    return left;
  };
  const and = (): Predicate => {
    let left = not();
    while (isWord('AND') || isOp('&&')) {
      next();
      const a = left;
      const b = not();
      left = (doc) => a(doc) && b(doc);
    }
    return left;
  };
  const not = (): Predicate => {
    if (isWord('NOT') || isOp('!')) {
      next();
      const inner = not();
      return (doc) => !inner(doc);
    }
    return comparison();
  };
  const comparison = (): Predicate => {
    if (isOp('(')) {
      next();
      const inner = or();
      expect(')');
      return inner;
    }
    const left = operand();
    const opToken = peek();
    if (opToken.kind === 'op' && ['==', '=', '!=', '<>', '>', '<', '>=', '<='].includes(opToken.value)) {
      next();
      return compare(opToken, left, operand());
    }
    if (left.type !== 'Boolean') throw new QueryError(`Expression of type 'Boolean' expected (at index ${opToken.at})`);
    return (doc) => left.get(doc) === true;
  };
  const operand = (): Operand => {
    const token = next();
    if (token.kind === 'string') return literal('String', token.value);
    if (token.kind === 'number') return literal('Decimal', token.value);
    if (token.kind !== 'ident') throw new QueryError(`Expression expected (at index ${token.at})`);
    const word = token.value;
    if (/^(true|false)$/i.test(word)) return literal('Boolean', word.toLowerCase() === 'true');
    if (/^null$/i.test(word)) return literal('Null', null);
    if (word === 'DateTime' && isOp('(')) return dateTime();
    if (word === 'Guid' && isOp('(')) {
      next();
      const value = next();
      if (value.kind !== 'string') throw new QueryError(`String literal expected (at index ${value.at})`);
      expect(')');
      return literal('Guid', value.value.toLowerCase());
    }
    return path(token);
  };
  const dateTime = (): Operand => {
    next();
    const parts: number[] = [];
    for (;;) {
      const value = next();
      if (value.kind !== 'number') throw new QueryError(`Number expected (at index ${value.at})`);
      parts.push(value.value);
      if (isOp(',')) next();
      else break;
    }
    expect(')');
    const [y, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
    if (parts.length < 3 || parts.length > 6) throw new QueryError(`No matching constructor in type 'DateTime'`);
    return literal('DateTime', Date.UTC(y!, mo - 1, d, h, mi, s));
  };
  const path = (first: Token): Operand => {
    let type = docType;
    let field = resolve(type, first);
    const keys = [field.name];
    let result: Operand | undefined;
    while (isOp('.')) {
      next();
      const member = next();
      if (member.kind !== 'ident') throw new QueryError(`Identifier expected (at index ${member.at})`);
      if (isOp('(')) {
        result = method(result ?? fieldOperand(keys, field.type), member);
        continue;
      }
      if (result || typeof field.type !== 'object') throw new QueryError(`No property or field '${member.value}' exists in type '${scalarName(field.type)}' (at index ${member.at})`);
      type = field.type.object;
      field = resolve(type, member);
      keys.push(field.name);
    }
    if (result) return result;
    if (typeof field.type === 'object') throw new QueryError(`Comparing a whole '${field.type.object}' is not supported; name one of its fields (at index ${first.at})`);
    return fieldOperand(keys, field.type);
  };
  const method = (target: Operand, name: Token): Operand => {
    next();
    const args: Operand[] = [];
    while (!isOp(')')) {
      args.push(operand());
      if (isOp(',')) next();
      else break;
    }
    expect(')');
    if (target.type !== 'String') throw new QueryError(`No applicable method '${name.value}' exists in type '${target.type}' (at index ${name.at})`);
    if ((name.value === 'ToLower' || name.value === 'ToUpper') && args.length === 0) {
      const upper = name.value === 'ToUpper';
      return { type: 'String', get: (doc) => mapString(target.get(doc), (v) => (upper ? v.toUpperCase() : v.toLowerCase())) };
    }
    const arg = args[0];
    if (!STRING_METHODS.has(String(name.value)) || args.length !== 1 || arg?.type !== 'String') {
      throw new QueryError(`No applicable method '${name.value}' exists in type 'String' (at index ${name.at})`);
    }
    return {
      type: 'Boolean',
      get: (doc) => {
        const value = target.get(doc);
        const needle = arg.get(doc);
        if (typeof value !== 'string' || typeof needle !== 'string') return false;
        const [hay, pin] = [value.toLowerCase(), needle.toLowerCase()];
        return name.value === 'Contains' ? hay.includes(pin) : name.value === 'StartsWith' ? hay.startsWith(pin) : hay.endsWith(pin);
      },
    };
  };

  const predicate = or();
  if (peek().kind !== 'end') throw new QueryError(`Syntax error (at index ${peek().at})`);
  return predicate;
}

function resolve(type: string, token: Token): { name: string; type: FieldType } {
  const field = lookupField(type, String(token.value));
  if (!field) throw new QueryError(`No property or field '${token.value}' exists in type '${type}' (at index ${token.at})`);
  return field;
}

const scalarName = (type: FieldType): string => (typeof type === 'object' ? type.object : SCALAR[type]);
const literal = (type: Scalar, value: Value): Operand => ({ type, get: () => value });
const mapString = (value: Value, fn: (v: string) => string): Value => (typeof value === 'string' ? fn(value) : value);

function fieldOperand(keys: string[], type: FieldType): Operand {
  const scalar = SCALAR[type as Exclude<FieldType, { object: string }>];
  return {
    type: scalar,
    get: (doc) => {
      let value: unknown = doc;
      for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      if (value === undefined || value === null) return null;
      if (scalar === 'DateTime') return typeof value === 'string' ? storedMs(value) : null;
      if (scalar === 'Guid') return String(value).toLowerCase();
      return value as Value;
    },
  };
}

function compare(op: Token, left: Operand, right: Operand): Predicate {
  const compatible = left.type === right.type || left.type === 'Null' || right.type === 'Null' || (left.type === 'Guid' && right.type === 'String') || (left.type === 'String' && right.type === 'Guid');
  if (!compatible) throw new QueryError(`Operator '${op.value}' incompatible with operand types '${left.type}' and '${right.type}' (at index ${op.at})`);
  const ordered = op.value !== '==' && op.value !== '=' && op.value !== '!=' && op.value !== '<>';
  if (ordered && (left.type === 'Boolean' || left.type === 'Guid' || left.type === 'Null' || right.type === 'Null')) {
    throw new QueryError(`Operator '${op.value}' incompatible with operand types '${left.type}' and '${right.type}' (at index ${op.at})`);
  }
  return (doc) => {
    let a = left.get(doc);
    let b = right.get(doc);
    if (typeof a === 'string' && typeof b === 'string') [a, b] = [a.toLowerCase(), b.toLowerCase()];
    switch (op.value) {
      case '==':
      case '=':
        return a === b;
      case '!=':
      case '<>':
        return a !== b;
    }
    if (a === null || b === null) return false;
    if (op.value === '>') return a > b;
    if (op.value === '<') return a < b;
    if (op.value === '>=') return a >= b;
    return a <= b;
  };
}
