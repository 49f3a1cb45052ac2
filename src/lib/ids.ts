import { randomBytes, randomFillSync } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so ids read aloud or typed are not misread.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Random bytes are drawn from crypto 4 KiB at a time and each used once: asking it for 16 bytes
// per id cost more than everything else an id needs.
const POOL = Buffer.alloc(4096);
let used = POOL.length;

/** Random text of `length` characters from Crockford's base32 (5 bits each, from crypto). */
export function randomBase32(length: number): string {
  if (length > POOL.length) return encode(randomBytes(length), 0, length);
  if (used + length > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const out = encode(POOL, used, length);
  used += length;
  return out;
}

function encode(bytes: Uint8Array, from: number, length: number): string {
  let out = '';
  for (let i = from; i < from + length; i++) out += ALPHABET[bytes[i]! & 31];
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
