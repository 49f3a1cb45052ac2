import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { fsyncDirectory } from '../lib/atomic-write';
import { dirname } from 'node:path';
import { AppError } from '../lib/errors';
import type { Db } from './db';
import { sqliteNativeBinding } from './native-binding';
import { copyDatabaseBeside } from './migrate';
import { MIGRATIONS } from './migrations';

/**
 * A consistent image of the whole database, taken while others keep writing: SQLite reads every
 * page inside one read transaction (WAL included), which in WAL mode holds no writer up. In
 * memory, so the image meets the disk only encrypted. It never restarts under a steady stream of
 * writes, as the stepped online backup API does when another connection writes between steps.
 * @see https://www.sqlite.org/c3ref/serialize.html
 */
export function databaseImage(db: Db): Buffer {
  return db.serialize();
}

/** The newest migration a database holds (0 for none). */
export function schemaOf(db: Db): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  return hasTable ? ((db.prepare('SELECT MAX(id) FROM schema_migrations').pluck().get() as number | null) ?? 0) : 0;
}

/** The newest schema this version knows. */
export const NEWEST_SCHEMA = Math.max(...MIGRATIONS.map((migration) => migration.id));

/**
 * Writes a database image to `path` (owner-only, fsynced) and opens it as a plain file (journal
 * mode DELETE, so everything is in the one file when it closes), without migrating it. `path`
 * must not exist.
 */
export function openImageAt(path: string, image: Buffer): Db {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, image);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const db = new Database(path, { fileMustExist: true, ...bindingFor(path) });
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = FULL');
  return db;
}

/**
 * Refuses (`invalid`) an image that fails SQLite's integrity check or holds a schema newer than
 * this version's, naming `name`.
 * @see https://www.sqlite.org/pragma.html#pragma_integrity_check
 */
export function checkImage(db: Db, name: string): number {
  let problems: string[];
  try {
    problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
  } catch (error) {
    throw new AppError('invalid', `The database in ${name} cannot be read: ${(error as Error).message}.`, { hint: 'Use another backup; nothing was restored.' });
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    const said = problems.join('; ').replace(/\s+/g, ' ');
    throw new AppError('invalid', `The database in ${name} fails SQLite's integrity check: ${said.length > 200 ? `${said.slice(0, 200)}…` : said}.`, { hint: 'Use another backup; nothing was restored.' });
  }
  const schema = schemaOf(db);
  if (schema > NEWEST_SCHEMA) {
    throw new AppError('invalid', `${name} holds a database of schema ${schema}, newer than this version's ${NEWEST_SCHEMA}.`, { hint: 'Restore it with the version of xero-proxy that made it, or a newer one.' });
  }
  return schema;
}

/**
 * Puts the database file `replacement` in place of `target` at once (a rename, then the
 * directory fsynced), and returns where the database it replaced was kept: a consistent copy
 * beside it (`<target>.before-restore.bak`, its WAL included), or its bytes when it does not
 * open. Its WAL and shared-memory files are removed first: applied to the new file they would
 * corrupt it. Every connection to `target` must be closed.
 */
export function replaceDatabase(target: string, replacement: string): string | undefined {
  let kept: string | undefined;
  if (existsSync(target)) {
    try {
      const db = new Database(target, { fileMustExist: true, ...bindingFor(target) });
      try {
        // Every committed page back in the main file, so the copy and the file are whole.
        db.pragma('wal_checkpoint(TRUNCATE)');
        kept = copyDatabaseBeside(db, target, 'before-restore');
      } finally {
        db.close();
      }
    } catch {
      kept = `${target}.before-restore-unreadable.bak`;
      for (let n = 2; existsSync(kept); n++) kept = `${target}.before-restore-unreadable.${n}.bak`;
      copyFileSync(target, kept);
      if (existsSync(`${target}-wal`)) copyFileSync(`${target}-wal`, `${kept}-wal`);
    }
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
  renameSync(replacement, target);
  fsyncDirectory(dirname(target));
  return kept;
}

function bindingFor(path: string): { nativeBinding?: string } {
  const binding = sqliteNativeBinding(dirname(path));
  return binding ? { nativeBinding: binding as unknown as string } : {};
}
