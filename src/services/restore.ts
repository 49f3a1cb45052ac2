import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from './audit';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { databasePath } from '../app';
import type { Config } from '../config/types';
import { backupKeyMatches, openBackup, readBackupHeader, type BackupHeader } from '../lib/backup-file';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { parseKeyFile, type BoxKey, type KeyFileEntry, type Keyring } from '../lib/secret-box';
import type { Db } from '../store/db';
import { keepOnlyCheckOf, neededKeyIds } from '../store/key-check';
import { recordKeyStates } from '../store/key-states';
import { keyFilePath, readKeyFile, writeKeyFile } from '../store/keyring';
import { markRestoredJobs } from '../store/restored-jobs';
import { resealAll, tablesOf } from '../store/sealed-values';
import { acquireServerLock } from '../store/server-lock';
import { saveSetting, SETTING } from '../store/settings';
import { checkImage, openImageAt, replaceDatabase } from '../store/snapshot';

export interface RestoreOptions {
  /** The backup file. */
  file: string;
  /** For a passphrase backup. */
  passphrase?: string;
  /** For a master-key backup made elsewhere: the key file of the proxy that made it. */
  keyFile?: string;
  /** Who restored it, for the audit log of the restored database. */
  actor: Actor;
}

/** What a restore did. */
export interface RestoreResult {
  database: string;
  /** The database that was replaced, kept beside it; none when there was none. */
  keptCopy: string | undefined;
  backupCreatedAt: string;
  schema: number;
  /** The key file was written from the backup (a passphrase backup into a directory with no key). */
  keyWritten: string | undefined;
  /** Documents that will be looked up in Xero before they are sent again. */
  lookedUpFirst: number;
  /** The key the restored secrets are sealed with now: this data directory's. */
  keyId: string;
}

/** What the restored database records about where it came from, for the accept path and the console. */
export interface RestoreRecord {
  at: string;
  file: string;
  backupCreatedAt: string;
  /** Until then, every new document is looked up in Xero before its first send too. */
  lookUpNewUntil: string;
}

/**
 * `xero-proxy restore FILE`: replaces the data directory's database with a backup's, only while
 * no server runs there (it holds the server lock throughout). Checks the file's authentication
 * tag, SQLite's integrity check, the schema (not newer than this version) and the keys (every
 * secret opens), then seals every secret with this directory's key (a passphrase backup's key
 * file becomes it when there is none), marks every document not yet delivered to be looked up in
 * Xero before it is sent again, and swaps the database file in at once (written beside it,
 * fsynced, renamed); the database it replaces is kept beside it.
 */
export function restoreBackup(config: Config, clock: Clock, options: RestoreOptions): RestoreResult {
  const name = basename(options.file);
  const bytes = readBackupFile(options.file);
  const { header } = readBackupHeader(bytes, name);
  const dataDir = config.storage.dataDir;
  const lock = acquireServerLock(dataDir, { pid: process.pid, startedAt: clock.now().toISOString(), listen: 'nothing: a backup is being restored' });
  const target = databasePath(config);
  const temp = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  try {
    const here = localKeys(config);
    const opened = decrypt(bytes, name, header, options, here);
    const source = opened.keyFile ?? sourceKeys(header, here, options.keyFile);
    const keyWritten = here === undefined ? keyFilePath(config) : undefined;
    const targetKeys = here ?? source;
    const sealing = targetKeys.filter((entry) => !entry.retired).at(-1)!;
    const image = openImageAt(temp, opened.image);
    let schema: number;
    let lookedUpFirst: number;
    try {
      schema = checkImage(image, name);
      const missing = neededKeyIds(image).filter((id) => !source.some((entry) => entry.id === id));
      if (missing.length > 0) {
        throw new AppError('invalid', `The database in ${name} holds secrets sealed with ${missing.join(', ')}, which ${options.keyFile ?? 'this data directory’s key file'} does not hold.`, {
          hint: 'Give the key file of the proxy that made the backup with --key-file; retired keys count.',
        });
      }
      try {
        lookedUpFirst = image.transaction(() => adopt(image, clock, { source: keyringOf(source), sealing, retired: targetKeys.filter((entry) => entry.retired).map((entry) => entry.id), name, header, config, actor: options.actor }))();
      } catch (error) {
        // A key of the right id but other bytes (ids repeat across machines): the secrets do not open.
        throw new AppError('invalid', `The secrets in ${name} do not open with the keys given: ${(error as Error).message}`, {
          hint: 'Give the key file of the proxy that made the backup with --key-file; nothing was restored.',
          cause: error,
        });
      }
    } finally {
      image.close();
    }
    // The key goes in before the database does, so a database is never there without its key.
    if (keyWritten) writeKeyFile(keyWritten, source, { exclusive: true });
    const keptCopy = replaceDatabase(target, temp);
    return { database: target, keptCopy, backupCreatedAt: header.createdAt, schema, keyWritten, lookedUpFirst, keyId: sealing.id };
  } finally {
    rmSync(temp, { force: true });
    lock.release();
  }
}

function readBackupFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('invalid', `The backup ${file} cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`, { hint: 'Name a file made by `xero-proxy backup`.' });
  }
}

/** This directory's keys (the key file's lines, or the configured key), or undefined when it has none yet. */
function localKeys(config: Config): KeyFileEntry[] | undefined {
  const configured = config.storage.encryptionKey.reveal();
  if (configured !== '') return parseKeyFile(configured, 'storage.encryption_key');
  return existsSync(keyFilePath(config)) ? readKeyFile(keyFilePath(config)) : undefined;
}

/** The keys that open a master-key backup's secrets: those of --key-file before this directory's, since ids repeat across machines. */
function sourceKeys(header: BackupHeader, here: KeyFileEntry[] | undefined, keyFile: string | undefined): KeyFileEntry[] {
  const given = keyFile === undefined ? [] : readKeyFile(keyFile);
  const byId = new Map<string, KeyFileEntry>();
  for (const entry of [...(here ?? []), ...given]) byId.set(entry.id, entry);
  if (header.key.mode === 'master-key') {
    // The key that opened the file is the one that sealed the database at that moment.
    const match = [...given, ...(here ?? [])].find((entry) => entry.id === (header.key as { keyId: string }).keyId && backupKeyMatches(header, entry.key));
    if (match) byId.set(match.id, match);
  }
  return [...byId.values()];
}

function decrypt(bytes: Buffer, name: string, header: BackupHeader, options: RestoreOptions, here: KeyFileEntry[] | undefined): { image: Buffer; keyFile: KeyFileEntry[] | undefined } {
  if (header.key.mode === 'passphrase') {
    if (options.passphrase === undefined) throw new AppError('invalid', `${name} is sealed with a passphrase.`, { hint: 'Give it on standard input: printf %s "$PASSPHRASE" | xero-proxy restore FILE --passphrase-stdin' });
    const opened = openBackup(bytes, name, options.passphrase);
    return { image: opened.image, keyFile: parseKeyFile(opened.keyFile, `the key file inside ${name}`) };
  }
  const { keyId } = header.key;
  const candidates = [...(options.keyFile === undefined ? [] : readKeyFile(options.keyFile)), ...(here ?? [])].filter((entry) => entry.id === keyId);
  if (candidates.length === 0) {
    throw new AppError('invalid', `${name} was made with master key ${keyId}, which ${options.keyFile ?? (here ? 'this data directory’s key file' : 'no key file here')} holds.`, {
      hint: 'Give the key file of the proxy that made it with --key-file (a copy of its master.key), or restore a passphrase backup.',
    });
  }
  const key = candidates.find((entry) => backupKeyMatches(header, entry.key)) ?? candidates[0]!;
  return { image: openBackup(bytes, name, key.key).image, keyFile: undefined };
}

const keyringOf = (entries: readonly KeyFileEntry[]): Keyring => {
  const box = ({ id, key }: BoxKey): BoxKey => ({ id, key });
  return { active: box(entries.at(-1)!), all: new Map(entries.map((entry) => [entry.id, box(entry)])) };
};

/**
 * Makes the restored database this directory's, in one transaction: every secret sealed with its
 * key, the only key check and sealing key its own, browsers signed out (their sessions belong to
 * the other database's life), every document not yet delivered marked to be looked up first.
 */
function adopt(image: Db, clock: Clock, context: { source: Keyring; sealing: BoxKey; retired: string[]; name: string; header: BackupHeader; config: Config; actor: Actor }): number {
  resealAll(image, context.source, context.sealing, { everything: true });
  keepOnlyCheckOf(image, context.sealing, clock);
  const tables = tablesOf(image);
  if (tables.has('key_states')) {
    image.prepare('DELETE FROM key_states').run();
    recordKeyStates(image, clock, context.sealing.id, context.retired);
  }
  // Browsers signed in to the database being replaced sign in again to the restored one.
  if (tables.has('sessions')) image.prepare('DELETE FROM sessions').run();
  const at = clock.now();
  const lookedUp = markRestoredJobs(image, clock, `Restored from the backup made ${context.header.createdAt}: it may have reached Xero since, so it is looked up there before it is sent again.`);
  const record: RestoreRecord = {
    at: at.toISOString(),
    file: context.name,
    backupCreatedAt: context.header.createdAt,
    lookUpNewUntil: new Date(at.getTime() + context.config.api.idempotencyKeyDays * 86_400_000).toISOString(),
  };
  saveSetting(image, clock, SETTING.restoredFrom, JSON.stringify(record));
  // Into the restored database, whose log goes on from the backup's: an older schema has none yet.
  if (tables.has('audit_log')) recordAudit({ db: image, clock }, { actor: context.actor, action: 'backup.restored', subject: context.name, changes: { backupCreatedAt: context.header.createdAt, lookedUpFirst: lookedUp } });
  return lookedUp;
}
