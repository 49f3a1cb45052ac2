import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../lib/errors';
import { sqliteNativeBinding } from './native-binding';
import { migrate, type Migration } from './migrate';

export type Db = Database.Database;

export interface OpenOptions {
  migrations: readonly Migration[];
  /** Milliseconds a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Open an existing file only to read it: nothing is created, migrated or written. */
  readOnly?: boolean;
  /** The product version opening the database (default: this one); recorded, and checked against the schema. */
  version?: string;
}

/**
 * Opens (creating if needed) a SQLite database with the pragmas every connection must have:
 * WAL, synchronous=FULL (an acknowledged write survives power loss; better-sqlite3 defaults
 * WAL connections to NORMAL), foreign keys, a busy timeout. Then applies pending migrations,
 * after copying a database that already has a schema beside its file.
 */
export function openDatabase(path: string, options: OpenOptions): Db {
  const memory = path === ':memory:';
  const readOnly = options.readOnly === true;
  if (!memory && !readOnly) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // The -wal and -shm files inherit the database file's mode, so create it owner-only first.
    closeSync(openSync(path, 'a', 0o600));
  }
  const binding = sqliteNativeBinding(memory ? undefined : dirname(path));
  let db: Db;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000, ...(readOnly ? { readonly: true, fileMustExist: true } : {}), ...(binding ? { nativeBinding: binding as unknown as string } : {}) });
  } catch (error) {
    throw new AppError('unavailable', `The database ${path} cannot be opened: ${(error as Error).message}`, {
      hint: 'Check that the data directory exists and is writable by this user.',
      cause: error,
    });
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (readOnly) return db;
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Content erased after storage.retention_days is overwritten with zeros, not left in free pages.
  db.pragma('secure_delete = ON');
  migrate(db, options.migrations, { ...(memory ? {} : { file: path }), ...(options.version ? { version: options.version } : {}) });
  return db;
}

/** The SQLite library's version, from a throwaway in-memory database; `--version --json` prints it. */
export function sqliteVersion(): string {
  const binding = sqliteNativeBinding();
  const db = new Database(':memory:', binding ? { nativeBinding: binding as unknown as string } : {});
  try {
    return db.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
}

/** The pragmas that matter, read back from a live connection; `doctor` and tests assert them. */
export function readPragmas(db: Db): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number } {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    foreignKeys: Number(db.pragma('foreign_keys', { simple: true })),
    busyTimeout: Number(db.pragma('busy_timeout', { simple: true })),
  };
}

/**
 * Moves every committed page from the WAL into the database file and empties the WAL, so pages
 * overwritten since (erased content) are gone from it too; skipped quietly while a reader needs it.
 */
export function checkpoint(db: Db): void {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // SQLITE_BUSY: a reader holds an older snapshot; the next checkpoint does it.
  }
}

/** Runs `work` in a `BEGIN IMMEDIATE` transaction, so writers queue up front instead of failing mid-way. */
export function immediate<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
