/** A query Xero could not parse: answered as 400 `ApiException` ErrorNumber 16, `QueryParseException`. */
export class QueryParseError extends Error {}

/** One token of a `where` clause; `index` is its offset, which Xero's messages quote. */
export interface Token {
  kind: 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | '.' | 'and' | 'or' | 'not' | 'end';
  text: string;
  index: number;
}

const OPS = ['==', '!=', '>=', '<=', '=', '>', '<'];

/** Splits a `where` clause into tokens, ending with an 'end' token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let text = '';
      let j = i + 1;
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\\' && j + 1 < source.length) j++;
        text += source[j];
        j++;
      }
      if (j >= source.length) throw new QueryParseError(`Syntax error in the where clause at index ${i}: the string is not closed.`);
      tokens.push({ kind: 'string', text, index: i });
      i = j + 1;
    } else if (/[-\d]/.test(ch) && /\d/.test(source[ch === '-' ? i + 1 : i] ?? '')) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', text: match[0], index: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      const upper = word.toUpperCase();
      tokens.push({ kind: upper === 'AND' ? 'and' : upper === 'OR' ? 'or' : upper === 'NOT' ? 'not' : 'ident', text: word, index: i });
      i += word.length;
    } else if (source.startsWith('&&', i) || source.startsWith('||', i)) {
      tokens.push({ kind: ch === '&' ? 'and' : 'or', text: source.slice(i, i + 2), index: i });
      i += 2;
    } else if (OPS.some((op) => source.startsWith(op, i))) {
      const op = OPS.find((candidate) => source.startsWith(candidate, i))!;
      tokens.push({ kind: 'op', text: op, index: i });
      i += op.length;
    } else if (ch === '!') {
      tokens.push({ kind: 'not', text: ch, index: i++ });
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '.') {
      tokens.push({ kind: ch, text: ch, index: i++ });
    } else {
      throw new QueryParseError(`Syntax error in the where clause at index ${i}: unexpected '${ch}'.`);
    }
  }
  tokens.push({ kind: 'end', text: 'end of the clause', index: source.length });
  return tokens;
}
