import { linqWording, type Expected, type Wording } from '../query/problems';

const EXPECTED: Record<Expected, string> = {
  ')': '")"',
  field: 'a field name',
  value: 'a value',
  argument: 'a string',
  boolean: 'a comparison such as ==',
  guid: 'a quoted GUID',
  year: 'a year',
  number: 'a number',
  member: 'Contains, StartsWith or EndsWith',
};

const syntax = (at: number, detail: string): string => `Syntax error in the where clause at index ${at}: ${detail}.`;

/**
 * How Payroll AU words a refused query: its own sentences for syntax, methods, `order` and
 * `page`, and Dynamic LINQ's for the rest (unknown fields, mismatched operand types), e.g.
 * `Syntax error in the where clause at index 19: expected a field name.`
 */
export const payrollWording: Wording = (problem) => {
  switch (problem.kind) {
    case 'unclosed-string':
      return syntax(problem.at, 'the string is not closed');
    case 'unexpected-character':
      return syntax(problem.at, `unexpected '${problem.character}'`);
    case 'unexpected-token':
      return syntax(problem.token.at, `unexpected '${problem.token.kind === 'string' ? problem.token.value : problem.token.text}'`);
    case 'expected':
      return syntax(problem.at, `expected ${EXPECTED[problem.what]}`);
    case 'datetime-arguments':
      return `DateTime needs a year, month and day (at index ${problem.at}).`;
    case 'unknown-method':
      return `The method '${problem.method}' is not supported in the where clause (at index ${problem.at}).`;
    case 'bad-order':
      return `The order "${problem.part}" is not valid; use a field name, optionally followed by ASC or DESC.`;
    case 'bad-page':
      return `The page "${problem.page}" is not valid; pages are numbered from 1.`;
    default:
      return linqWording(problem);
  }
};
