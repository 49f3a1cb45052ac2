import type Database from 'better-sqlite3';
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { AppError } from '../lib/errors';
import { VERSION } from '../version';

/** One schema change, compiled into the code; applied once, in its own transaction. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds tables other tables refer to (SQLite changes a CHECK only that way).
   * Foreign keys are then switched off around its transaction and every reference is checked
   * before it commits, as SQLite's own procedure for such changes says.
   * @see https://www.sqlite.org/lang_altertable.html#otheralter
   */
  rebuildsTables?: boolean;
}

export interface MigrateOptions {
  /** The database's file: before an upgrade, a copy is written beside it. Absent for in-memory databases. */
  file?: string;
  /** The product version opening the database; recorded, and named when a newer one is refused. */
  version?: string;
}

/**
 * Applies every migration newer than the database's, in order, each in one transaction. A database
 * that already holds a schema is first copied beside its file (`<file>.before-schema-<n>.bak`), and
 * one written by a newer version is refused, naming that version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], options: MigrateOptions = {}): number[] {
  const version = options.version ?? VERSION;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  // The runner's own bookkeeping, like schema_migrations: which product last opened the database.
  db.exec(`CREATE TABLE IF NOT EXISTS schema_writer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    schema_id INTEGER NOT NULL,
    opened_at TEXT NOT NULL
  ) STRICT`);
  const ids = migrations.map((m) => m.id);
  if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) throw new AppError('internal', 'Migrations are not in ascending order.');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...ids);
  if (newest > known) refuseNewer(db, newest, known, version, options.file);
  const pending = migrations.filter((m) => !applied.has(m.id));
  if (pending.length > 0 && applied.size > 0 && options.file) copyBeforeUpgrade(db, options.file, newest);
  const done: number[] = [];
  for (const migration of pending) {
    const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
    // The pragma is ignored inside a transaction, so it is set around it.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new AppError('internal', `Migration ${migration.id} (${migration.name}) would break references between tables; nothing was changed.`);
        }
        db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(migration.id, migration.name, new Date().toISOString());
      }).immediate();
    } finally {
      if (migration.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
    done.push(migration.id);
  }
  recordWriter(db, version, Math.max(newest, ...done));
  return done;
}

/** The product version and schema recorded by the last version that opened the database, if any did. */
export function findSchemaWriter(db: Database.Database): { version: string; schemaId: number } | undefined {
  return db.prepare('SELECT version, schema_id AS schemaId FROM schema_writer WHERE id = 1').get() as { version: string; schemaId: number } | undefined;
}

function refuseNewer(db: Database.Database, newest: number, known: number, version: string, file = '<database>'): never {
  const writer = findSchemaWriter(db);
  const by = writer ? `xero-proxy ${writer.version}` : 'a newer xero-proxy';
  throw new AppError(
    'unavailable',
    `The database was written by ${by} (schema ${newest}); this is ${version}, which knows schema ${known}. Run the newer version, or restore the copy made before it upgraded.`,
    { hint: `Copies made before upgrades are beside the database, named ${file}.before-schema-<n>.bak; one with <n> up to ${known} opens with this version.` },
  );
}

/** When the database got its first migration (about when it was made), in ms, or undefined. */
export function firstMigratedAt(db: Database.Database): number | undefined {
  const first = db.prepare('SELECT MIN(applied_at) FROM schema_migrations').pluck().get() as string | null;
  return first === null ? undefined : Date.parse(first);
}

/** Recorded only when it changes, so an ordinary start writes nothing. */
function recordWriter(db: Database.Database, version: string, schemaId: number): void {
  const writer = findSchemaWriter(db);
  if (writer?.version === version && writer.schemaId === schemaId) return;
  db.prepare(
    'INSERT INTO schema_writer (id, version, schema_id, opened_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, schema_id = excluded.schema_id, opened_at = excluded.opened_at',
  ).run(version, schemaId, new Date().toISOString());
}

/**
 * Writes a consistent copy of the database (VACUUM INTO reads one snapshot, WAL included) to
 * `<file>.before-schema-<n>.bak`, owner-only. An existing copy is never replaced: the next free
 * name (`….2.bak`, `….3.bak`) is taken instead, since the older copy may be the one to keep.
 * @see https://www.sqlite.org/lang_vacuum.html#vacuuminto
 */
export function copyBeforeUpgrade(db: Database.Database, file: string, schemaId: number): string {
  try {
    return copyDatabaseBeside(db, file, `before-schema-${schemaId}`);
  } catch (error) {
    throw new AppError('unavailable', `The database ${file} was not upgraded: its copy could not be written (${(error as Error).message}).`, {
      hint: 'Free some disk space or make the data directory writable, then start again; the database is unchanged.',
      cause: error,
    });
  }
}

/**
 * Writes a consistent, owner-only copy of the database beside its file as `<file>.<label>.bak`
 * (or `….<label>.2.bak` when that exists: a copy is never replaced), and returns its path. What
 * an upgrade and a restore keep of the database they are about to change.
 */
export function copyDatabaseBeside(db: Database.Database, file: string, label: string): string {
  for (let n = 1; ; n++) {
    const copy = `${file}.${label}${n === 1 ? '' : `.${n}`}.bak`;
    try {
      // Created exclusively and empty (VACUUM INTO accepts an empty file), so two openers cannot both take one name.
      closeSync(openSync(copy, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      db.prepare('VACUUM INTO ?').run(copy);
    } catch (error) {
      unlinkSync(copy);
      throw error;
    }
    return copy;
  }
}
