import { lookupField, type FieldType, type QueryDialect } from './dialect';
import { tokenize, type Token } from './lexer';
import { compare, fieldOperand, literal, stringMethod, typeName, type Operand, type Predicate } from './operands';
import { raise, type QueryProblem } from './problems';

const COMPARISONS = new Set(['==', '=', '!=', '<>', '>', '<', '>=', '<=']);

/**
 * Compiles Xero's `where` expression for documents of `docType`, whose fields come from the
 * dialect's schema. Supported: `==` `=` `!=` `<>` `>` `<` `>=` `<=`; `AND`/`OR`/`NOT` (and `&&`
 * `||` `!`); parentheses; dotted paths; strings, numbers, `true`/`false`/`null`,
 * `DateTime(y,m,d[,h,mi,s])`, `Guid("…")`; the string methods `Contains`, `StartsWith`,
 * `EndsWith`, `ToLower`, `ToUpper`. Throws QueryError in the dialect's wording.
 * @example compileWhere('Status=="PAID" AND Contact.Name.StartsWith("Café")', 'Invoice', ACCOUNTING_QUERY)
 * @see https://developer.xero.com/documentation/api/accounting/requests-and-responses
 */
export function compileWhere(source: string, docType: string, dialect: QueryDialect): Predicate {
  const fail = (problem: QueryProblem): never => raise(dialect.wording, problem);
  const tokens = tokenize(source, fail);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  // Keywords, like Dynamic LINQ's, match without regard to case.
  const isWord = (word: string) => peek().kind === 'ident' && String(peek().value).toUpperCase() === word;
  const isOp = (op: string) => peek().kind === 'op' && peek().value === op;
  const expect = (op: ')') => {
    if (!isOp(op)) fail({ kind: 'expected', what: op, at: peek().at });
    next();
  };

  // OR binds more loosely than AND, and both more loosely than NOT, as in C#.
  const chain = (word: string, op: string, inner: () => Predicate, join: (a: Predicate, b: Predicate) => Predicate) => (): Predicate => {
    let left = inner();
    while (isWord(word) || isOp(op)) {
      next();
      left = join(left, inner());
    }
    return left;
  };
  const or = chain('OR', '||', () => and(), (a, b) => (doc) => a(doc) || b(doc));
  const and = chain('AND', '&&', () => not(), (a, b) => (doc) => a(doc) && b(doc));
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
    const left = operand('field');
    const opToken = peek();
    if (opToken.kind === 'op' && COMPARISONS.has(opToken.value)) {
      next();
      return compare(opToken, left, operand('value'), fail);
    }
    if (left.type !== 'Boolean') fail({ kind: 'expected', what: 'boolean', at: opToken.at });
    return (doc) => left.get(doc) === true;
  };
  const operand = (what: 'field' | 'value' | 'argument'): Operand => {
    const token = next();
    if (token.kind === 'string') return literal('String', token.value);
    if (token.kind === 'number') return literal('Decimal', token.value);
    if (token.kind !== 'ident') return fail({ kind: 'expected', what, at: token.at });
    const word = token.value.toLowerCase();
    if (word === 'true' || word === 'false') return literal('Boolean', word === 'true');
    if (word === 'null') return literal('Null', null);
    if (word === 'datetime' && isOp('(')) return dateTime(token);
    if (word === 'guid' && isOp('(')) {
      next();
      const value = next();
      if (value.kind !== 'string') return fail({ kind: 'expected', what: 'guid', at: value.at });
      expect(')');
      return literal('Guid', value.value.toLowerCase());
    }
    return path(token);
  };
  const dateTime = (keyword: Token): Operand => {
    next();
    const parts: number[] = [];
    for (;;) {
      const value = next();
      if (value.kind !== 'number') return fail({ kind: 'expected', what: parts.length === 0 ? 'year' : 'number', at: value.at });
      parts.push(value.value);
      if (isOp(',')) next();
      else break;
    }
    expect(')');
    const [y, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
    if (parts.length < 3 || parts.length > 6) fail({ kind: 'datetime-arguments', at: keyword.at });
    return literal('DateTime', Date.UTC(y!, mo - 1, d, h, mi, s));
  };
  const path = (first: Token): Operand => {
    let field = resolve(docType, first);
    const keys = [field.name];
    let result: Operand | undefined;
    while (isOp('.')) {
      next();
      const member = next();
      if (member.kind !== 'ident') return fail({ kind: 'expected', what: 'member', at: member.at });
      if (isOp('(')) {
        const args = methodArguments();
        // Only strings have methods; on a nested document Dynamic LINQ names the document's type.
        if (!result && typeof field.type === 'object') return fail({ kind: 'unknown-method', method: member.value, type: field.type.object, at: member.at });
        result = stringMethod(result ?? scalarField(keys, field.type, first), member, args, fail);
        continue;
      }
      if (result || typeof field.type !== 'object') return fail({ kind: 'unknown-field', field: member.value, type: typeName(field.type), at: member.at });
      field = resolve(field.type.object, member);
      keys.push(field.name);
    }
    return result ?? scalarField(keys, field.type, first);
  };
  const methodArguments = (): Operand[] => {
    next();
    const args: Operand[] = [];
    while (!isOp(')')) {
      args.push(operand('argument'));
      if (isOp(',')) next();
      else break;
    }
    expect(')');
    return args;
  };
  const resolve = (type: string, token: Token): { name: string; type: FieldType } =>
    lookupField(dialect.schema, type, String(token.value)) ?? fail({ kind: 'unknown-field', field: String(token.value), type, at: token.at });
  const scalarField = (keys: string[], type: FieldType, first: Token): Operand =>
    typeof type === 'object' ? fail({ kind: 'whole-object', type: type.object, in: 'where', at: first.at }) : fieldOperand(keys, type);

  const predicate = or();
  if (peek().kind !== 'end') fail({ kind: 'unexpected-token', token: peek() });
  return predicate;
}
