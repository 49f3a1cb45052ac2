import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write';
import { sealBackup, type BackupSecret } from '../lib/backup-file';
import { AppError, toAppError } from '../lib/errors';
import { formatKeyFile, parseKeyFile, type KeyFileEntry } from '../lib/secret-box';
import { keyFilePath, readKeyFile } from '../store/keyring';
import { findSetting, saveSetting, SETTING } from '../store/settings';
import { databaseImage, schemaOf } from '../store/snapshot';
import { VERSION } from '../version';
import { PROXY_ACTOR, recordAudit, type Actor } from './audit';
import type { ServiceDeps } from './deps';

/** A backup that was made. */
export interface BackupRecord {
  at: string;
  file: string;
  bytes: number;
  /** `master-key`: opens with this proxy's key file; `passphrase`: opens with the passphrase alone. */
  keyMode: 'master-key' | 'passphrase';
  scheduled: boolean;
}

/** A scheduled backup that failed, and why, in words. */
export interface BackupFailure {
  at: string;
  reason: string;
}

/** What `backup --out` or the schedule asks for. */
export interface BackupOptions {
  /** The file to write; by default `backup.dir/xero-proxy-<UTC time>.backup`. */
  out?: string;
  /** Seal with this passphrase and carry the key file inside, so the backup alone restores everything. */
  passphrase?: string;
  /** The passphrase's scrypt cost; tests make it cheap. */
  passphraseCost?: { N: number; r: number; p: number };
  scheduled?: boolean;
  /** Who asked for it, for the audit log; a scheduled backup is the proxy's own. */
  actor?: Actor;
}

const NAME = /^xero-proxy-\d{8}T\d{6}Z(?:-\d+)?\.backup$/;
export const MIN_PASSPHRASE_LENGTH = 12;

/**
 * Writes a backup of the database while the server keeps working: one consistent image (SQLite
 * reads it in one transaction), encrypted with a key derived from the master key that seals the
 * database, or from a passphrase (then the key file is inside too). Written whole or not at all
 * (temporary file, fsync, rename), owner-only, never over an existing file. Recorded, so the
 * console and `status` can say when the last one was made.
 * @example createBackup(deps, { passphrase: 'correct horse battery staple' })
 */
export function createBackup(deps: ServiceDeps, options: BackupOptions = {}): BackupRecord {
  if (options.passphrase !== undefined && [...options.passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new AppError('invalid', `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long; a few unrelated words make a good one.`, { field: 'passphrase' });
  }
  const at = deps.clock.now();
  // Read in one transaction with the image's schema, so both describe the same moment.
  const { image, schema, sealing } = deps.db.transaction(() => ({ image: databaseImage(deps.db), schema: schemaOf(deps.db), sealing: deps.keyring.active }))();
  const secret: BackupSecret =
    options.passphrase === undefined ? { mode: 'master-key', keyId: sealing.id, key: sealing.key } : { mode: 'passphrase', passphrase: options.passphrase, ...(options.passphraseCost ? { cost: options.passphraseCost } : {}) };
  const bytes = sealBackup({ createdAt: at.toISOString(), proxyVersion: VERSION, schema }, { image, ...(options.passphrase === undefined ? {} : { keyFile: formatKeyFile(keyFileEntries(deps)) }) }, secret);
  const file = options.out ?? freeName(deps.config.backup.dir, at);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError('unavailable', `The backup directory ${dirname(file)} cannot be used: ${(error as Error).message}.`, { hint: 'Point backup.dir (or --out) at a directory this user can create or write.', cause: error });
  }
  try {
    writeFileAtomic(file, bytes, { mode: 0o600, exclusive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new AppError('conflict', `${file} already exists; a backup never replaces a file.`, { hint: 'Name another file with --out, or move that one away.' });
    throw new AppError('unavailable', `The backup ${file} could not be written: ${(error as Error).message}.`, { hint: 'Check that the directory exists, is writable by this user and has space.', cause: error });
  }
  const record: BackupRecord = { at: at.toISOString(), file, bytes: bytes.length, keyMode: secret.mode, scheduled: options.scheduled === true };
  deps.db.transaction(() => {
    saveSetting(deps.db, deps.clock, SETTING.backupLast, JSON.stringify(record));
    recordAudit(deps, { actor: options.actor ?? PROXY_ACTOR, action: 'backup.created', subject: file, changes: { bytes: record.bytes, keyMode: record.keyMode, scheduled: record.scheduled } });
  })();
  return record;
}

/**
 * The server's scheduled backup: made into `backup.dir`, then all but the newest `backup.keep`
 * of the files there named like backups are deleted. A failure is recorded with its reason (the
 * console and `status` show it) and logged, never thrown: the next run tries again.
 */
export function runScheduledBackup(deps: ServiceDeps): BackupRecord | undefined {
  try {
    const record = createBackup(deps, { scheduled: true });
    const deleted = pruneBackups(deps.config.backup.dir, deps.config.backup.keep);
    deps.logger.info('backup made', { file: record.file, bytes: record.bytes, deleted: deleted.length });
    return record;
  } catch (error) {
    const reason = toAppError(error);
    const failure: BackupFailure = { at: deps.clock.now().toISOString(), reason: reason.hint ? `${reason.message} ${reason.hint}` : reason.message };
    deps.logger.error('backup failed', { reason: failure.reason });
    try {
      saveSetting(deps.db, deps.clock, SETTING.backupFailure, JSON.stringify(failure));
    } catch {
      // The database itself may be what failed; the log line above says so.
    }
    return undefined;
  }
}

/** Deletes all but the newest `keep` backups in `dir` (only files named like backups); returns the deleted names. */
export function pruneBackups(dir: string, keep: number): string[] {
  const names = readdirSync(dir).filter((name) => NAME.test(name)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) unlinkSync(join(dir, name));
  return old;
}

/** The last backup made and the last one that failed, as recorded. */
export function lastBackups(deps: Pick<ServiceDeps, 'db'>): { last: BackupRecord | undefined; failure: BackupFailure | undefined } {
  const read = <T>(text: string | undefined) => (text === undefined ? undefined : (JSON.parse(text) as T));
  return { last: read<BackupRecord>(findSetting(deps.db, SETTING.backupLast)), failure: read<BackupFailure>(findSetting(deps.db, SETTING.backupFailure)) };
}

// The key file with its retired keys, or the configured key as its one line.
function keyFileEntries(deps: ServiceDeps): KeyFileEntry[] {
  const configured = deps.config.storage.encryptionKey.reveal();
  return configured === '' ? readKeyFile(keyFilePath(deps.config)) : parseKeyFile(configured, 'storage.encryption_key');
}

// `xero-proxy-20261128T023000Z.backup`: sorts by time, and has no character Windows refuses.
function freeName(dir: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const taken = new Set(safeList(dir));
  for (let n = 1; ; n++) {
    const name = `xero-proxy-${stamp}${n === 1 ? '' : `-${n}`}.backup`;
    if (!taken.has(name)) return join(dir, name);
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
