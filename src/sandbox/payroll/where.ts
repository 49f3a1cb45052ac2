import { QueryParseError, tokenize, type Token } from './where-lexer';

export { QueryParseError };

export type Predicate = (item: Record<string, unknown>) => boolean;

type Literal = { kind: 'string' | 'date'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };

/**
 * Parses the subset of Xero's `where` language the sandbox supports: comparisons
 * (`==`, `!=`, `<`, `<=`, `>`, `>=`) of a field with a string, number, `true`/`false`/`null`,
 * `Guid("…")` or `DateTime(y, m, d[, h, m, s])`; `Field.Contains("x")`, `.StartsWith`,
 * `.EndsWith`; `AND`/`&&`, `OR`/`||`, `NOT`/`!` and parentheses. Strings compare without case.
 * @example parseWhere('EmployeeID==Guid("…") AND Status=="DRAFT"', 'Timesheet', ['EmployeeID', 'Status'])
 */
export function parseWhere(source: string, typeName: string, fields: readonly string[]): Predicate {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const take = (kind: Token['kind'], what: string): Token => {
    const token = tokens[at]!;
    if (token.kind !== kind) throw new QueryParseError(`Syntax error in the where clause at index ${token.index}: expected ${what}.`);
    at++;
    return token;
  };

  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek().kind === 'or') {
      at++;
      const [l, r] = [left, andExpr()];
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = unary();
    while (peek().kind === 'and') {
      at++;
      const [l, r] = [left, unary()];
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const unary = (): Predicate => {
    if (peek().kind === 'not') {
      at++;
      const inner = unary();
      return (item) => !inner(item);
    }
    if (peek().kind === '(') {
      at++;
      const inner = orExpr();
      take(')', '")"');
      return inner;
    }
    return comparison();
  };
  const comparison = (): Predicate => {
    const name = take('ident', 'a field name');
    const field = fields.find((f) => f.toLowerCase() === name.text.toLowerCase());
    if (!field) throw new QueryParseError(`No property or field '${name.text}' exists in type '${typeName}' (at index ${name.index})`);
    if (peek().kind === '.') {
      at++;
      const method = take('ident', 'Contains, StartsWith or EndsWith');
      take('(', '"("');
      const arg = take('string', 'a string').text.toLowerCase();
      take(')', '")"');
      const test = { contains: (v: string) => v.includes(arg), startswith: (v: string) => v.startsWith(arg), endswith: (v: string) => v.endsWith(arg) }[method.text.toLowerCase()];
      if (!test) throw new QueryParseError(`The method '${method.text}' is not supported in the where clause (at index ${method.index}).`);
      return (item) => test(String(item[field] ?? '').toLowerCase());
    }
    const op = take('op', 'a comparison such as ==');
    const literal = readLiteral();
    return (item) => compare(item[field], op.text, literal);
  };
  const readLiteral = (): Literal => {
    const token = peek();
    at++;
    if (token.kind === 'string') return { kind: 'string', value: token.text };
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.kind === 'ident') {
      const word = token.text.toLowerCase();
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
      if (word === 'null') return { kind: 'null' };
      if (word === 'guid') {
        take('(', '"("');
        const value = take('string', 'a quoted GUID').text;
        take(')', '")"');
        return { kind: 'string', value };
      }
      if (word === 'datetime') {
        take('(', '"("');
        const parts = [Number(take('number', 'a year').text)];
        while (peek().kind === ',') {
          at++;
          parts.push(Number(take('number', 'a number').text));
        }
        take(')', '")"');
        const [y, mo, d, h = 0, mi = 0, s = 0] = parts;
        if (parts.length < 3 || parts.length > 6) throw new QueryParseError(`DateTime needs a year, month and day (at index ${token.index}).`);
        return { kind: 'date', value: new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s)).toISOString().slice(0, 19) };
      }
    }
    throw new QueryParseError(`Syntax error in the where clause at index ${token.index}: expected a value.`);
  };

  const predicate = orExpr();
  if (peek().kind !== 'end') throw new QueryParseError(`Syntax error in the where clause at index ${peek().index}: unexpected '${peek().text}'.`);
  return predicate;
}

function compare(value: unknown, op: string, literal: Literal): boolean {
  const missing = value === undefined || value === null;
  if (literal.kind === 'null') return op === '!=' ? !missing : op === '==' || op === '=' ? missing : false;
  if (missing) return op === '!=';
  let diff: number;
  if (literal.kind === 'number') diff = Number(value) - literal.value;
  else if (literal.kind === 'boolean') diff = String(value) === String(literal.value) ? 0 : 1;
  else if (literal.kind === 'date') diff = String(value).slice(0, 19).localeCompare(literal.value);
  else diff = String(value).toLowerCase().localeCompare(literal.value.toLowerCase());
  switch (op) {
    case '==':
    case '=':
      return diff === 0;
    case '!=':
      return diff !== 0;
    case '>':
      return diff > 0;
    case '>=':
      return diff >= 0;
    case '<':
      return diff < 0;
    default:
      return diff <= 0;
  }
}
