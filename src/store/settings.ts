import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { statement } from './statements';

/** Names of the settings the proxy keeps; one place, so no two modules invent the same one. */
export const SETTING = {
  adminPasswordHash: 'admin.password_hash',
  /** JSON: the last backup made (`BackupRecord`). */
  backupLast: 'backup.last',
  /** JSON: the last backup that failed, with why (`BackupFailure`). */
  backupFailure: 'backup.failure',
  /** JSON: the backup this database was restored from, and when (`RestoreRecord`). */
  restoredFrom: 'restore.from',
} as const;

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export function findSetting(db: Db, name: SettingName): string | undefined {
  return statement(db, 'SELECT value FROM settings WHERE name = ?').pluck().get(name) as string | undefined;
}

export function saveSetting(db: Db, clock: Clock, name: SettingName, value: string): void {
  db.prepare('INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    name,
    value,
    clock.now().toISOString(),
  );
}
