import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase32 } from '../lib/ids';

/** Every device API key starts with this, so a leaked key is recognisable (and greppable). */
export const API_KEY_PREFIX = 'xpk_';

/** A freshly made key: the whole key (shown once) and what is stored. */
export interface IssuedApiKey {
  /** `xpk_<lookup>_<secret>`: give it to the device once, never store it. */
  key: string;
  /** The public part used to find the device. */
  lookup: string;
  /** SHA-256 of the secret part, hex. */
  hash: string;
}

/**
 * Makes an API key: a 10-character lookup id and a 256-bit secret. The secret is random, not a
 * password, so one SHA-256 is enough to make a stolen database useless.
 */
export function issueApiKey(): IssuedApiKey {
  const lookup = randomBase32(10);
  const secret = randomBytes(32).toString('base64url');
  return { key: `${API_KEY_PREFIX}${lookup}_${secret}`, lookup, hash: hashSecret(secret) };
}

/** Splits a presented key into lookup and secret, or `undefined` when it is not shaped like one. */
export function parseApiKey(presented: string): { lookup: string; secret: string } | undefined {
  const match = /^xpk_([0-9a-hjkmnp-tv-z]{10})_([A-Za-z0-9_-]{43})$/.exec(presented);
  return match ? { lookup: match[1]!, secret: match[2]! } : undefined;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

// Compared against when no device has the lookup id, so an unknown key costs the same time.
const DUMMY_HASH = hashSecret('no device has this key');

/** Constant-time check of a presented secret against a stored hash (`undefined`: no such device). */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  const expected = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return timingSafeEqual(expected, actual) && storedHash !== undefined;
}
