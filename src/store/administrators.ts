import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { Db } from './db';

/**
 * A person who signs in to the pages, as stored. The TOTP secret is sealed (`totpSealed`) and
 * only the store and the MFA service ever see that ciphertext; nothing here is ever shown.
 */
export interface Administrator {
  id: string;
  name: string;
  passwordHash: string;
  totpSealed: string | null;
  totpLastStep: number | null;
  totpEnrolledAt: string | null;
  enrolmentSealed: string | null;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

interface AdministratorRow {
  id: string;
  name: string;
  password_hash: string;
  totp_sealed: string | null;
  totp_last_step: number | null;
  totp_enrolled_at: string | null;
  enrolment_sealed: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

const toAdministrator = (row: AdministratorRow): Administrator => ({
  id: row.id,
  name: row.name,
  passwordHash: row.password_hash,
  totpSealed: row.totp_sealed,
  totpLastStep: row.totp_last_step,
  totpEnrolledAt: row.totp_enrolled_at,
  enrolmentSealed: row.enrolment_sealed,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastSignInAt: row.last_sign_in_at,
});

export function insertAdministrator(db: Db, clock: Clock, admin: { id: string; name: string; passwordHash: string }): Administrator {
  const now = clock.now().toISOString();
  try {
    db.prepare('INSERT INTO administrators (id, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(admin.id, admin.name, admin.passwordHash, now, now);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AppError('conflict', `There is an administrator named "${admin.name}" already; choose another name.`, { field: 'name' });
    throw error;
  }
  return findAdministratorById(db, admin.id)!;
}

/** The administrator of that name (names compare without regard to case), or undefined. */
export function findAdministratorByName(db: Db, name: string): Administrator | undefined {
  const row = db.prepare('SELECT * FROM administrators WHERE name = ?').get(name) as AdministratorRow | undefined;
  return row ? toAdministrator(row) : undefined;
}

export function findAdministratorById(db: Db, id: string): Administrator | undefined {
  const row = db.prepare('SELECT * FROM administrators WHERE id = ?').get(id) as AdministratorRow | undefined;
  return row ? toAdministrator(row) : undefined;
}

/** `not_found`, naming the command that lists them, when no administrator has the name. */
export function getAdministratorByName(db: Db, name: string): Administrator {
  const found = findAdministratorByName(db, name);
  if (!found) throw new AppError('not_found', `There is no administrator named "${name}".`, { hint: 'List them with `xero-proxy admin list`.' });
  return found;
}

/** Every administrator, by name. */
export function listAdministrators(db: Db): Administrator[] {
  return (db.prepare('SELECT * FROM administrators ORDER BY name').all() as AdministratorRow[]).map(toAdministrator);
}

export function countAdministrators(db: Db): number {
  return db.prepare('SELECT count(*) FROM administrators').pluck().get() as number;
}

export function updatePasswordHash(db: Db, clock: Clock, id: string, passwordHash: string): void {
  db.prepare('UPDATE administrators SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, clock.now().toISOString(), id);
}

/** Keeps the secret offered on the enrolment page until a code from it confirms it. */
export function saveEnrolmentSecret(db: Db, clock: Clock, id: string, sealed: string | null): void {
  db.prepare('UPDATE administrators SET enrolment_sealed = ?, updated_at = ? WHERE id = ?').run(sealed, clock.now().toISOString(), id);
}

/** Makes the offered secret the administrator's TOTP secret, with the step of the code that confirmed it as used. */
export function confirmTotp(db: Db, clock: Clock, id: string, sealed: string, step: number): void {
  const now = clock.now().toISOString();
  db.prepare('UPDATE administrators SET totp_sealed = ?, totp_last_step = ?, totp_enrolled_at = ?, enrolment_sealed = NULL, updated_at = ? WHERE id = ?').run(sealed, step, now, now, id);
}

/** Forgets the TOTP secret: the administrator enrols again at the next sign-in. */
export function clearTotp(db: Db, clock: Clock, id: string): void {
  db.prepare('UPDATE administrators SET totp_sealed = NULL, totp_last_step = NULL, totp_enrolled_at = NULL, enrolment_sealed = NULL, updated_at = ? WHERE id = ?').run(clock.now().toISOString(), id);
}

/**
 * Records that a code of `step` was accepted, only if no code of that step or a later one was:
 * of two sign-ins racing with the same code, one wins. Returns whether this one did.
 */
export function useTotpStep(db: Db, id: string, step: number): boolean {
  return db.prepare('UPDATE administrators SET totp_last_step = ? WHERE id = ? AND totp_sealed IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, id, step).changes === 1;
}

export function recordSignIn(db: Db, clock: Clock, id: string): void {
  db.prepare('UPDATE administrators SET last_sign_in_at = ? WHERE id = ?').run(clock.now().toISOString(), id);
}

export function deleteAdministrator(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM administrators WHERE id = ?').run(id).changes === 1;
}
