import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

export interface LogFileOptions {
  /** A file never grows past this many bytes; a line that would pass it starts the next file. */
  maxBytes: number;
  /** Earlier files kept: `path.1` (the newest) … `path.keep`. */
  keep: number;
  /** Called once when writing starts to fail; lines then go nowhere until the file can be written again. */
  onFailure?: (error: Error) => void;
  /** Called once when the file can be written again after a failure, after the line that succeeded. */
  onRecovery?: () => void;
  /** Milliseconds since the epoch; only times the retry after a failure. */
  now?: () => number;
  /** How long after a failure the file is tried again. */
  retryMs?: number;
}

/** After a failure (disk full, a directory in the way), how long before the file is tried again. */
export const LOG_FILE_RETRY_MS = 60_000;

/**
 * An append-only log file that rotates by size: before a line would take it past `maxBytes`, the
 * file is closed, `path.(n-1)` becomes `path.n` … `path` becomes `path.1`, files past `keep` are
 * deleted, and a new `path` is opened. A line is written whole to the open file (one `writeSync`,
 * synchronous so nothing is lost in a crash), so it is never split between files. The file is created 0600 and its directory 0700: the log names organisations.
 *
 * It never throws: the log must not bring the server down. A failure is reported once through
 * `onFailure`, and the file is tried again after `retryMs`. If someone moves or deletes the file
 * (logrotate), the next line notices (the path no longer names the open file) and opens a new one.
 */
export class LogFile {
  readonly path: string;
  private readonly options: Required<Pick<LogFileOptions, 'maxBytes' | 'keep' | 'retryMs' | 'now'>> & LogFileOptions;
  private fd: number | undefined;
  private opened: Stats | undefined;
  private failing = false;
  private retryAt = 0;

  constructor(path: string, options: LogFileOptions) {
    this.path = path;
    this.options = { retryMs: LOG_FILE_RETRY_MS, now: Date.now, ...options };
  }

  /** Appends `line` and a newline. */
  write(line: string): void {
    if (this.failing && this.options.now() < this.retryAt) return;
    const bytes = Buffer.from(line + '\n', 'utf8');
    try {
      const size = this.ensureOpen();
      // An empty file takes any line, however long, so a line is never split or dropped.
      if (size > 0 && size + bytes.length > this.options.maxBytes) {
        this.rotate();
        this.ensureOpen();
      }
      writeAll(this.fd!, bytes);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.failing) {
      this.failing = false;
      this.options.onRecovery?.();
    }
  }

  /** Closes the file; a later `write` opens it again. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    this.opened = undefined;
    try {
      closeSync(fd);
    } catch {
      // Closing can only fail for a descriptor that is already gone; nothing is left to release.
    }
  }

  /**
   * Opens the file unless the open one is still what `path` names, and returns the size at the
   * path. The size is read from the file each time, so a file emptied in place (copytruncate)
   * is not rotated early.
   */
  private ensureOpen(): number {
    let current: Stats | undefined;
    try {
      current = statSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (this.fd !== undefined && current && current.ino === this.opened!.ino && current.dev === this.opened!.dev) return current.size;
    this.close();
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const fd = openSync(this.path, 'a', 0o600);
    try {
      const stats = fstatSync(fd);
      // A file made by someone else keeps its mode on open; the log is no one else's to read.
      // Only a regular file: a device such as /dev/stdout belongs to the system.
      if (stats.isFile() && (stats.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
      this.fd = fd;
      this.opened = stats;
      return stats.size;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  private rotate(): void {
    this.close();
    const { keep } = this.options;
    // Files past `keep` (left by a larger log_keep before) go first; then each moves up one.
    for (let n = keep + 1; removeIfPresent(`${this.path}.${n}`); n++);
    for (let n = keep - 1; n >= 1; n--) renameIfPresent(`${this.path}.${n}`, `${this.path}.${n + 1}`);
    renameSync(this.path, `${this.path}.1`);
  }

  private fail(error: Error): void {
    this.close();
    this.retryAt = this.options.now() + this.options.retryMs;
    if (this.failing) return;
    this.failing = true;
    this.options.onFailure?.(error);
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  // A regular file takes the whole buffer in one write unless the disk is full, when the next write reports ENOSPC.
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

function removeIfPresent(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
