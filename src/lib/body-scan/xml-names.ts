import { FORBIDDEN_NAMES } from '../untrusted-input';

// The forbidden names as bytes, matched byte by byte as a name arrives: no string is built for
// the names of the 40,000 elements a body may have.
const FORBIDDEN = [...FORBIDDEN_NAMES].map((name) => Buffer.from(name, 'latin1'));

/** Every forbidden name still possible: where an element name starts. */
export const ANY_FORBIDDEN = (1 << FORBIDDEN.length) - 1;

/** An element name being read: which forbidden names it still matches (a bit each), and its length. */
export interface NameMatch {
  nameMatches: number;
  nameLength: number;
}

/** Takes the name's next byte, dropping the forbidden names it no longer matches. */
export function matchName(name: NameMatch, c: number): void {
  const at = name.nameLength++;
  for (let j = 0; name.nameMatches !== 0 && j < FORBIDDEN.length; j++) {
    if (name.nameMatches & (1 << j) && FORBIDDEN[j]![at] !== c) name.nameMatches &= ~(1 << j);
  }
}

/** The forbidden name the whole name is, if it is one. */
export function forbiddenName(name: NameMatch): string | undefined {
  for (let j = 0; name.nameMatches !== 0 && j < FORBIDDEN.length; j++) {
    if (name.nameMatches & (1 << j) && FORBIDDEN[j]!.length === name.nameLength) return FORBIDDEN[j]!.toString('latin1');
  }
  return undefined;
}
