import type { QueryProblem } from './problems';

/**
 * One token of Xero's `where` language (a subset of .NET Dynamic LINQ):
 * `Status=="AUTHORISED" AND Date>=DateTime(2026,01,01)`, `Name.Contains("Café")`.
 * `at` is the token's offset, which error messages quote; `text` is the source as written.
 */
export type Token =
  | { kind: 'string'; value: string; at: number; text: string }
  | { kind: 'number'; value: number; at: number; text: string }
  | { kind: 'ident'; value: string; at: number; text: string }
  | { kind: 'op'; value: string; at: number; text: string }
  | { kind: 'end'; value: ''; at: number; text: '' };

const OPERATORS = ['==', '!=', '<>', '>=', '<=', '&&', '||', '>', '<', '=', '!', '(', ')', ',', '.'];

/** Splits a filter expression into tokens, ending with an `end` token; `fail` reports bad input. */
export function tokenize(source: string, fail: (problem: QueryProblem) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = '';
      i++;
      while (i < source.length && source[i] !== ch) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        value += source[i];
        i++;
      }
      if (i >= source.length) fail({ kind: 'unclosed-string', at: start });
      i++;
      tokens.push({ kind: 'string', value, at: start, text: source.slice(start, i) });
      continue;
    }
    // A minus after an operand is subtraction (which the language lacks), not a negative number.
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number && (ch !== '-' || !/[\w)"]$/.test(source.slice(0, i).trimEnd()))) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i, text: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0], at: i, text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) return fail({ kind: 'unexpected-character', character: ch, at: i });
    tokens.push({ kind: 'op', value: op, at: i, text: op });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '', at: source.length, text: '' });
  return tokens;
}
