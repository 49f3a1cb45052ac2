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

/**
 * A prefixed id that sorts by when it was made: the time in milliseconds (9 characters, fixed
 * width), then the same 80 random bits as `newId`. Rows keyed by it are added at the end of
 * their index instead of at a random place in it, so a commit of many rows writes a few pages
 * rather than one per row: for the rows the accept path adds by the thousand (submissions, jobs).
 * @example newOrderedId('job') // 'job_1kq3v8m2a3kq9x0m2c7vb5n8w'
 */
export function newOrderedId(prefix: string, now = Date.now()): string {
  let time = '';
  for (let rest = Math.floor(now), i = 0; i < 9; i++, rest = Math.floor(rest / 32)) time = ALPHABET[rest % 32] + time;
  return `${prefix}_${time}${randomBase32(16)}`;
}
