import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost parameters, stored inside every hash so they can be raised later. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt recommendation (N=2^17, r=8, p=1): about 0.5–2 s and 128 MiB per hash on a
 * small server, which is why logins are rate-limited before hashing and hashed one at a time.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// A tampered or corrupt hash must not make the proxy allocate gigabytes or spin for minutes.
const LIMITS = { minLogN: 14, maxLogN: 20, maxR: 32, maxP: 16 };

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless maxmem is raised.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Hashes a password with scrypt and a random 16-byte salt.
 * @example await hashPassword('correct horse battery') // 'scrypt$131072$8$1$<salt b64url>$<hash b64url>'
 */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  if (!validCost(cost)) throw new RangeError('scrypt cost out of range');
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** The cost parameters of a stored hash, or undefined if it is not one of ours. */
export function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[0-9]{1,8}$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  const cost = { N, r, p };
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (!validCost(cost) || salt.length < SALT_LENGTH || key.length !== KEY_LENGTH) return undefined;
  return { cost, salt, key };
}

function validCost({ N, r, p }: ScryptCost): boolean {
  const logN = Math.log2(N);
  return Number.isInteger(logN) && logN >= LIMITS.minLogN && logN <= LIMITS.maxLogN && Number.isInteger(r) && r >= 1 && r <= LIMITS.maxR && Number.isInteger(p) && p >= 1 && p <= LIMITS.maxP;
}

/** Constant-time equality of two strings (for tokens); different lengths are simply unequal. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
