import type { Token } from './lexer';

/**
 * Why a `where`, `order` or `page` was refused, as data. The parser reports a problem and each
 * API words it (Accounting in Dynamic LINQ's phrasing, Payroll AU in its own), so one parser
 * serves both without either API's messages changing.
 */
export type QueryProblem =
  | { kind: 'unclosed-string'; at: number }
  | { kind: 'unexpected-character'; character: string; at: number }
  | { kind: 'unexpected-token'; token: Token }
  | { kind: 'expected'; what: Expected; at: number }
  | { kind: 'datetime-arguments'; at: number }
  | { kind: 'unknown-field'; field: string; type: string; at?: number }
  | { kind: 'unknown-method'; method: string; type: string; at: number }
  | { kind: 'incompatible'; operator: string; left: string; right: string; at: number }
  | { kind: 'whole-object'; type: string; in: 'where' | 'order'; at?: number }
  | { kind: 'bad-order'; part: string }
  | { kind: 'bad-page'; page: string };

/**
 * What the parser wanted where it stopped: a `)`, the operand that starts a comparison
 * (`field`), the one after an operator (`value`), a method's `argument`, a whole `boolean`
 * expression, `Guid`'s quoted text, `DateTime`'s `year` or a later `number`, or the `member`
 * after a dot.
 */
export type Expected = ')' | 'field' | 'value' | 'argument' | 'boolean' | 'guid' | 'year' | 'number' | 'member';

/** Words a problem as one API's error message. */
export type Wording = (problem: QueryProblem) => string;

/** A query Xero would refuse; APIs answer it with 400 ApiException ErrorNumber 16, QueryParseException. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly problem: QueryProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Throws `problem` as a QueryError worded by `wording`. */
export function raise(wording: Wording, problem: QueryProblem): never {
  throw new QueryError(problem, wording(problem));
}

const LINQ_EXPECTED: Record<Expected, string> = {
  ')': "')'",
  field: 'Expression',
  value: 'Expression',
  argument: 'Expression',
  boolean: "Expression of type 'Boolean'",
  guid: 'String literal',
  year: 'Number',
  number: 'Number',
  member: 'Identifier',
};

const atIndex = (at: number | undefined): string => (at === undefined ? '' : ` (at index ${at})`);

/**
 * The wording of .NET Dynamic LINQ, the parser behind Xero's `where`, which the Accounting API
 * quotes: `No property or field 'Colour' exists in type 'Invoice' (at index 0)`.
 */
export const linqWording: Wording = (problem) => {
  switch (problem.kind) {
    case 'unclosed-string':
      return `Unterminated string literal (at index ${problem.at})`;
    case 'unexpected-character':
      return `Syntax error '${problem.character}' (at index ${problem.at})`;
    case 'unexpected-token':
      return `Syntax error (at index ${problem.token.at})`;
    case 'expected':
      return `${LINQ_EXPECTED[problem.what]} expected (at index ${problem.at})`;
    case 'datetime-arguments':
      return `No matching constructor in type 'DateTime'`;
    case 'unknown-field':
      return `No property or field '${problem.field}' exists in type '${problem.type}'${atIndex(problem.at)}`;
    case 'unknown-method':
      return `No applicable method '${problem.method}' exists in type '${problem.type}' (at index ${problem.at})`;
    case 'incompatible':
      return `Operator '${problem.operator}' incompatible with operand types '${problem.left}' and '${problem.right}' (at index ${problem.at})`;
    case 'whole-object':
      return problem.in === 'where'
        ? `Comparing a whole '${problem.type}' is not supported; name one of its fields${atIndex(problem.at)}`
        : `Ordering by a whole '${problem.type}' is not supported; name one of its fields`;
    case 'bad-order':
      return `Syntax error in order '${problem.part}'`;
    case 'bad-page':
      return `Page '${problem.page}' is not valid; pages are numbered from 1`;
  }
};
