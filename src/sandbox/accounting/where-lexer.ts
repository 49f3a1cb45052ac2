/**
 * Tokens of Xero's `where` filter language (a subset of .NET Dynamic LINQ):
 * `Status=="AUTHORISED" AND Date>=DateTime(2026,01,01)`, `Name.Contains("Café")`.
 */
export type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; value: ''; at: number };

/** A `where` or `order` the sandbox cannot parse; the message follows Dynamic LINQ's wording. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const OPERATORS = ['==', '!=', '<>', '>=', '<=', '&&', '||', '>', '<', '=', '!', '(', ')', ',', '.'];

/** Splits a filter expression into tokens, ending with an `end` token. */
export function tokenize(source: string): Token[] {
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
      if (i >= source.length) throw new QueryError(`Unterminated string literal (at index ${start})`);
      i++;
      tokens.push({ kind: 'string', value, at: start });
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number && (ch !== '-' || !/[\w)"]$/.test(source.slice(0, i).trimEnd()))) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (!op) throw new QueryError(`Syntax error '${ch}' (at index ${i})`);
    tokens.push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '', at: source.length });
  return tokens;
}
