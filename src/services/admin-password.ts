import { randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors';
import { parseHash, verifyPassword } from '../lib/password';

export const MIN_PASSWORD_LENGTH = 12;
// Long enough for any passphrase; short enough that a login body cannot be made expensive.
export const MAX_PASSWORD_LENGTH = 1024;

/** Checks a new administrator password: 12 to 1024 characters, no control characters. */
export function validateNewPassword(password: string): string {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw new AppError('invalid', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long; a few unrelated words make a good one.`, { field: 'password' });
  if (length > MAX_PASSWORD_LENGTH) throw new AppError('invalid', `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`, { field: 'password' });
  if (/[\u0000-\u001f\u007f]/.test(password)) throw new AppError('invalid', 'The password must not contain control characters (tabs, line breaks).', { field: 'password' });
  return password;
}

/**
 * Whether `password` matches a stored hash. With no hash (a name no administrator has) a hash
 * of the same cost as `like` is computed all the same, so the answer takes as long either way
 * and does not tell which names exist. Absurdly long input is refused before any hashing.
 */
export async function passwordMatches(password: string, stored: string | undefined, like: string | undefined): Promise<boolean> {
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH * 4) return false;
  if (stored !== undefined) return verifyPassword(password, stored);
  const cost = like !== undefined ? parseHash(like)?.cost : undefined;
  if (cost) await verifyPassword(password, ['scrypt', cost.N, cost.r, cost.p, randomBytes(16).toString('base64url'), randomBytes(32).toString('base64url')].join('$'));
  return false;
}
