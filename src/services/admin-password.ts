import { AppError } from '../lib/errors';
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from '../lib/password';
import { deleteAllSessions } from '../store/sessions';
import { findSetting, saveSetting, SETTING } from '../store/settings';
import type { ServiceDeps } from './deps';
import { forgetAccountAttempts } from './login-limits';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

export const MIN_PASSWORD_LENGTH = 12;
// Long enough for any passphrase; short enough that a login body cannot be made expensive.
export const MAX_PASSWORD_LENGTH = 1024;

/** Checks a new administrator password: 12 to 1024 characters, no control characters. */
export function validateNewPassword(password: string): string {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw new AppError('invalid', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long; a few unrelated words make a good one.`);
  if (length > MAX_PASSWORD_LENGTH) throw new AppError('invalid', `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`);
  if (/[\u0000-\u001f\u007f]/.test(password)) throw new AppError('invalid', 'The password must not contain control characters (tabs, line breaks).');
  return password;
}

/**
 * Sets the administrator password (stored only as an scrypt hash) and signs every browser out,
 * so a password changed because it leaked also ends the sessions made with it. Guesses at the
 * old password no longer count against the account, so this also ends an account-wide pause.
 */
export async function setAdminPassword(deps: Deps, password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<{ signedOut: number }> {
  const hash = await hashPassword(validateNewPassword(password), cost);
  return deps.db.transaction(() => {
    saveSetting(deps.db, deps.clock, SETTING.adminPasswordHash, hash);
    forgetAccountAttempts(deps);
    return { signedOut: deleteAllSessions(deps.db) };
  }).immediate();
}

/** Whether an administrator password was set (`xero-proxy admin set-password`). */
export function hasAdminPassword(deps: Deps): boolean {
  return findSetting(deps.db, SETTING.adminPasswordHash) !== undefined;
}

/** Whether `password` is the administrator password; false when none is set or it is absurdly long. */
export async function checkAdminPassword(deps: Deps, password: string): Promise<boolean> {
  const stored = findSetting(deps.db, SETTING.adminPasswordHash);
  if (stored === undefined || password.length === 0 || password.length > MAX_PASSWORD_LENGTH * 4) return false;
  return verifyPassword(password, stored);
}
