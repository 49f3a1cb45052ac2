import type { Clock } from '../lib/clock';
import { utcText } from '../lib/utc-text';
import type { Db } from '../store/db';
import { firstMigratedAt } from '../store/migrate';
import { findSetting, SETTING } from '../store/settings';
import { lastBackups, type BackupFailure, type BackupRecord } from './backup';
import type { ServiceDeps } from './deps';
import type { RestoreRecord } from './restore';

/** With backups scheduled, no backup for this long is said on the console, `status` and `doctor`. */
export const BACKUP_STALE_DAYS = 2;
const DAY_MS = 86_400_000;

/** What the console and `doctor` say about backups. */
export interface BackupStatus {
  schedule: string | undefined;
  dir: string;
  keep: number;
  retentionDays: number;
  last: BackupRecord | undefined;
  /** The last failure, only while no backup has been made since. */
  failure: BackupFailure | undefined;
  restoredFrom: RestoreRecord | undefined;
  /** Something a person should do, in a sentence with the fix; undefined while all is well. */
  problem: string | undefined;
}

/**
 * Whether backups are being made: a scheduled backup that failed (with its reason and the fix),
 * or none for `BACKUP_STALE_DAYS` days while they are scheduled (a database younger than that
 * is not warned about before its first).
 */
export function backupStatus(deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>): BackupStatus {
  const { config } = deps;
  const { last, failure } = lastBackups(deps);
  const current = failure && (!last || failure.at > last.at) ? failure : undefined;
  const restored = findSetting(deps.db, SETTING.restoredFrom);
  return {
    schedule: config.backup.schedule,
    dir: config.backup.dir,
    keep: config.backup.keep,
    retentionDays: config.storage.retentionDays,
    last,
    failure: current,
    restoredFrom: restored === undefined ? undefined : (JSON.parse(restored) as RestoreRecord),
    problem: problemOf(deps.db, deps.clock, config.backup.schedule, last, current),
  };
}

function problemOf(db: Db, clock: Clock, schedule: string | undefined, last: BackupRecord | undefined, failure: BackupFailure | undefined): string | undefined {
  if (failure) return `The last backup failed (${utcText(failure.at)}): ${failure.reason}`;
  if (schedule === undefined) return undefined;
  const now = clock.now().getTime();
  const since = last ? Date.parse(last.at) : firstMigratedAt(db);
  if (since === undefined || now - since < BACKUP_STALE_DAYS * DAY_MS) return undefined;
  const days = Math.floor((now - since) / DAY_MS);
  return last
    ? `No backup has been made for ${days} days (the last on ${last.at.slice(0, 10)}); scheduled backups ("${schedule}") run only while the server runs. Run \`xero-proxy backup\`, and check the log for "backup failed".`
    : `No backup has been made yet, and the database is ${days} days old. Run \`xero-proxy backup\`; scheduled backups ("${schedule}") run only while the server runs.`;
}
