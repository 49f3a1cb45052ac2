import type { Clock } from '../lib/clock';
import type { Db } from './db';

/** Replaces an administrator's recovery codes with new ones (their hashes); the old ones stop working. */
export function replaceRecoveryCodes(db: Db, administratorId: string, codeHashes: readonly string[]): void {
  db.prepare('DELETE FROM recovery_codes WHERE administrator_id = ?').run(administratorId);
  const insert = db.prepare('INSERT INTO recovery_codes (administrator_id, code_hash) VALUES (?, ?)');
  for (const hash of codeHashes) insert.run(administratorId, hash);
}

/** The hashes of the codes not used yet. */
export function unusedRecoveryCodeHashes(db: Db, administratorId: string): string[] {
  return db.prepare('SELECT code_hash FROM recovery_codes WHERE administrator_id = ? AND used_at IS NULL').pluck().all(administratorId) as string[];
}

/** Marks a code used, only if it was not: of two sign-ins racing with one code, one wins. */
export function useRecoveryCode(db: Db, clock: Clock, administratorId: string, codeHash: string): boolean {
  return db.prepare('UPDATE recovery_codes SET used_at = ? WHERE administrator_id = ? AND code_hash = ? AND used_at IS NULL').run(clock.now().toISOString(), administratorId, codeHash).changes === 1;
}

export function deleteRecoveryCodes(db: Db, administratorId: string): void {
  db.prepare('DELETE FROM recovery_codes WHERE administrator_id = ?').run(administratorId);
}
