import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write';
import { AppError } from '../lib/errors';
import { sqliteNativeBinding } from './native-binding';

/** The lock file in the data directory: a SQLite file one server holds exclusively. */
export const SERVER_LOCK_FILE = 'server.lock';
/** Beside it, who holds it; it only informs (it outlives a crash), the lock alone decides. */
export const SERVER_LOCK_DETAILS_FILE = 'server.lock.json';

/** What a refused second server is told about the one that runs. */
export interface ServerDetails {
  pid: number;
  /** ISO-8601 UTC. */
  startedAt: string;
  /** The URL it listens on, or the configured `host:port` until it listens. */
  listen: string;
}

/** A held server lock; the OS releases it too when the process dies, however it dies. */
export interface ServerLock {
  /** Records the URL the server listens on (the real port, when 0 was configured). */
  listening(url: string): void;
  /** Lets the next server start; safe to call twice. */
  release(): void;
}

/**
 * Takes the data directory's server lock at once, or refuses (`conflict`) naming the server that
 * holds it: a SQLite file in `locking_mode = EXCLUSIVE` whose first write keeps its exclusive lock
 * for the life of the connection, with no busy timeout, so a second taker fails immediately.
 * Only servers take it; commands share the database beside a running server.
 * @example const lock = acquireServerLock(dataDir, { pid: process.pid, startedAt, listen: '127.0.0.1:8080' })
 */
export function acquireServerLock(dataDir: string, details: ServerDetails): ServerLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SERVER_LOCK_FILE);
  const detailsPath = join(dataDir, SERVER_LOCK_DETAILS_FILE);
  const binding = sqliteNativeBinding(dataDir);
  // SQLite alone opens the lock file: closing any other descriptor of it would drop every POSIX
  // lock this process holds on it, freeing a lock held by another proxy in this process.
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0, ...(binding ? { nativeBinding: binding as unknown as string } : {}) });
  } catch (error) {
    throw new AppError('unavailable', `The server lock ${path} cannot be opened: ${(error as Error).message}`, {
      hint: 'Check that the data directory exists and is writable by this user.',
      cause: error,
    });
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec(`BEGIN EXCLUSIVE; PRAGMA user_version = ${Math.trunc(details.pid) % 2 ** 31}; COMMIT`);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw refusal(dataDir, readDetails(detailsPath));
    throw new AppError('unavailable', `The server lock ${path} cannot be taken: ${(error as Error).message}`, { cause: error });
  }
  const write = (next: ServerDetails) => writeFileAtomic(detailsPath, JSON.stringify(next) + '\n', { mode: 0o600 });
  write(details);
  let held = true;
  return {
    listening: (url) => {
      if (held) write({ ...details, listen: url });
    },
    release: () => {
      if (!held) return;
      held = false;
      // Removed while the lock is still held, so it can only be this server's file.
      if (existsSync(detailsPath)) unlinkSync(detailsPath);
      db.close();
    },
  };
}

function refusal(dataDir: string, holder: ServerDetails | undefined): AppError {
  const about = holder
    ? ` (PID ${holder.pid}, started ${holder.startedAt}, listening on ${holder.listen})`
    : ` (its details are missing from ${SERVER_LOCK_DETAILS_FILE})`;
  return new AppError('conflict', `Another xero-proxy server is already running on the data directory ${dataDir}${about}.`, {
    hint: holder
      ? `Stop that server first (kill ${holder.pid}), or give this one its own data directory (storage.data_dir).`
      : 'Stop that server first, or give this one its own data directory (storage.data_dir).',
    retryable: false,
  });
}

function readDetails(path: string): ServerDetails | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServerDetails>;
    if (typeof value.pid !== 'number' || typeof value.startedAt !== 'string' || typeof value.listen !== 'string') return undefined;
    return { pid: value.pid, startedAt: value.startedAt, listen: value.listen };
  } catch {
    return undefined;
  }
}
