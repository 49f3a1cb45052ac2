import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost } from '../lib/password';
import {
  clearTotp,
  countAdministrators,
  deleteAdministrator,
  findAdministratorById,
  findAdministratorByName,
  getAdministratorByName,
  insertAdministrator,
  listAdministrators,
  updatePasswordHash,
  type Administrator,
} from '../store/administrators';
import { deleteRecoveryCodes, unusedRecoveryCodeHashes } from '../store/recovery-codes';
import { countSignedInSessions, deleteSessionsOf } from '../store/sessions';
import { passwordMatches, validateNewPassword } from './admin-password';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';
import { ADMIN_ACCOUNT, forgetAccountAttempts } from './login-limits';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** Checks an administrator's name: 1–64 letters, digits or `. _ @ -`, starting with a letter or digit. */
export function validateAdminName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !NAME.test(name.trim())) {
    throw new AppError('invalid', `${field}: must be 1 to 64 letters, digits or . _ @ - (such as "alice" or "front.desk"), starting with a letter or digit.`, { field });
  }
  return name.trim();
}

/** An administrator as a list shows them: never a hash or a secret. */
export interface AdministratorSummary {
  name: string;
  mfaEnrolled: boolean;
  mfaEnrolledAt: string | null;
  recoveryCodesLeft: number;
  lastSignInAt: string | null;
  /** Browsers signed in now. */
  sessions: number;
  createdAt: string;
}

/** Every administrator with whether two-step sign-in is set up, the last sign-in and the browsers signed in. */
export function administratorSummaries(deps: Deps): AdministratorSummary[] {
  const sessions = countSignedInSessions(deps.db);
  return listAdministrators(deps.db).map((admin) => ({
    name: admin.name,
    mfaEnrolled: admin.totpSealed !== null,
    mfaEnrolledAt: admin.totpEnrolledAt,
    recoveryCodesLeft: admin.totpSealed !== null ? unusedRecoveryCodeHashes(deps.db, admin.id).length : 0,
    lastSignInAt: admin.lastSignInAt,
    sessions: sessions.get(admin.id) ?? 0,
    createdAt: admin.createdAt,
  }));
}

/** Whether anyone can sign in yet. */
export function hasAdministrators(deps: Deps): boolean {
  return countAdministrators(deps.db) > 0;
}

/**
 * Adds an administrator with a password (stored only as an scrypt hash). They set up two-step
 * sign-in at their first sign-in when `admin.require_mfa` is on.
 */
export async function addAdministrator(deps: Deps & Acting, input: { name: string; password: string }, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<Administrator> {
  const name = validateAdminName(input.name);
  if (findAdministratorByName(deps.db, name)) throw new AppError('conflict', `There is an administrator named "${name}" already; choose another name.`, { field: 'name' });
  const hash = await hashPassword(validateNewPassword(input.password), cost);
  return deps.db.transaction(() => {
    const added = insertAdministrator(deps.db, deps.clock, { id: newId('adm'), name, passwordHash: hash });
    recordAudit(deps, { actor: deps.actor, action: 'admin.added', subject: added.name });
    return added;
  }).immediate();
}

/**
 * Removes an administrator: their sessions and recovery codes go with them. The last one is
 * never removed, so the pages can always be signed in to.
 */
export function removeAdministrator(deps: Deps & Acting, name: string): { name: string; signedOut: number } {
  return deps.db.transaction(() => {
    const admin = getAdministratorByName(deps.db, name);
    if (countAdministrators(deps.db) === 1) {
      throw new AppError('conflict', `${admin.name} is the only administrator, so they cannot be removed: nobody could sign in.`, { hint: 'Add another administrator first (`xero-proxy admin add NAME`).' });
    }
    const signedOut = deleteSessionsOf(deps.db, admin.id);
    deleteAdministrator(deps.db, admin.id);
    forgetAccountAttempts(deps, admin.name);
    recordAudit(deps, { actor: deps.actor, action: 'admin.removed', subject: admin.name, changes: { signedOut } });
    return { name: admin.name, signedOut };
  }).immediate();
}

/**
 * Sets a new password for an administrator who forgot theirs (or whose password leaked): every
 * browser of theirs is signed out and guesses at the old one stop counting, which also ends an
 * account-wide pause. With `resetMfa` their two-step sign-in is forgotten too (a lost phone):
 * they set it up again at the next sign-in.
 */
export async function resetAdministratorPassword(deps: Deps & Acting, name: string, password: string, options: { resetMfa?: boolean; cost?: ScryptCost } = {}): Promise<{ name: string; signedOut: number; mfaReset: boolean }> {
  const admin = getAdministratorByName(deps.db, name);
  const hash = await hashPassword(validateNewPassword(password), options.cost ?? DEFAULT_SCRYPT_COST);
  return deps.db.transaction(() => {
    updatePasswordHash(deps.db, deps.clock, admin.id, hash);
    const mfaReset = options.resetMfa === true && admin.totpSealed !== null;
    if (options.resetMfa) {
      clearTotp(deps.db, deps.clock, admin.id);
      deleteRecoveryCodes(deps.db, admin.id);
    }
    const signedOut = deleteSessionsOf(deps.db, admin.id);
    forgetAccountAttempts(deps, admin.name);
    recordAudit(deps, { actor: deps.actor, action: 'admin.password_reset', subject: admin.name, changes: { signedOut, mfaReset } });
    return { name: admin.name, signedOut, mfaReset };
  }).immediate();
}

/**
 * An administrator changes their own password, proving the current one: their other browsers
 * are signed out (the one they use, `keepSession`, stays), as a password changed because it
 * leaked must also end what was done with it.
 */
export async function changeOwnPassword(deps: Deps & Acting, input: { administratorId: string; current: string; next: string; keepSession: string }, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<{ signedOut: number }> {
  const admin = findAdministratorById(deps.db, input.administratorId);
  if (!admin) throw new AppError('not_found', 'Your administrator account no longer exists.');
  if (!(await passwordMatches(input.current, admin.passwordHash, undefined))) throw new AppError('invalid', 'Current password: that is not your current password, so nothing was changed.', { field: 'current' });
  const hash = await hashPassword(validateNewPassword(input.next), cost);
  return deps.db.transaction(() => {
    updatePasswordHash(deps.db, deps.clock, admin.id, hash);
    const signedOut = deleteSessionsOf(deps.db, admin.id, input.keepSession);
    forgetAccountAttempts(deps, admin.name);
    recordAudit(deps, { actor: deps.actor, action: 'admin.password_changed', subject: admin.name, changes: { signedOut } });
    return { signedOut };
  }).immediate();
}

/**
 * `xero-proxy admin set-password`, as before named administrators: the password of the
 * administrator named "admin", who is added when missing (a fresh installation, the demo).
 */
export async function setAdminPassword(deps: Deps & Acting, password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<{ signedOut: number; added: boolean }> {
  if (!findAdministratorByName(deps.db, ADMIN_ACCOUNT)) {
    await addAdministrator(deps, { name: ADMIN_ACCOUNT, password }, cost);
    return { signedOut: 0, added: true };
  }
  const { signedOut } = await resetAdministratorPassword(deps, ADMIN_ACCOUNT, password, { cost });
  return { signedOut, added: false };
}
