import { randomBytes } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so ids read aloud or typed are not misread.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random text of `length` characters from Crockford's base32 (5 bits each, from crypto). */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/**
 * A prefixed text id, e.g. `dev_3kq9x0m2c7vb5n8w`: the prefix says what it names, the 80
 * random bits make it unguessable.
 * @example newId('org') // 'org_0f3k…'
 */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase32(16)}`;
}
