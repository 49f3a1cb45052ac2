import { accessSync, constants, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { SERVICE_ENV } from '../config/schema';
import type { Config } from '../config/types';
import { openToOthers } from '../lib/file-modes';
import type { Check } from './doctor';

/**
 * The `log file` line of `doctor`: where the server's log file is (for "auto" outside a service,
 * where the service writes it), its size, and whether this user can write it. Nothing is created:
 * a missing file is checked by the directory it would be made in. Problems are warnings, since the
 * server runs without the file (logging to standard error).
 */
export function logFileCheck(config: Config): Check {
  const setting = config.server.logFile;
  if (!setting) return { check: 'log file', status: 'ok', detail: 'off (server.log_file); the log goes to standard error only' };
  const { path } = setting;
  const who = setting.active ? '' : ` (written when run as a service, ${SERVICE_ENV}=1)`;
  const rotation = `moved aside at ${setting.maxBytes / 1024 / 1024} MiB, ${setting.keep} earlier kept`;
  const stats = statIfPresent(path);
  if (!stats) {
    const blocker = creationBlocker(path);
    if (blocker) return { check: 'log file', status: 'warn', detail: `${path}${who} cannot be created: ${blocker}; fix that, or set server.log_file to a path this user can write` };
    return { check: 'log file', status: 'ok', detail: `${path}${who}, not written yet; ${rotation}` };
  }
  if (stats.isDirectory()) return { check: 'log file', status: 'warn', detail: `${path} is a directory; set server.log_file to the path of a file, e.g. ${path}/xero-proxy.log` };
  if (!stats.isFile()) return { check: 'log file', status: 'warn', detail: `${path} is not a regular file, so it cannot be rotated; set server.log_file to the path of a file` };
  if (!canWrite(path)) return { check: 'log file', status: 'warn', detail: `${path} cannot be written by this user; run the server as its owner, or: chown $(id -un) ${path}` };
  const mode = stats.mode & 0o777;
  if (openToOthers(mode)) {
    return { check: 'log file', status: 'warn', detail: `${path} has mode ${mode.toString(8)} and the log names organisations; run: chmod 600 ${path}` };
  }
  return { check: 'log file', status: 'ok', detail: `${path}${who}, ${formatSize(stats.size)}, ${earlierFiles(path)} earlier; ${rotation}` };
}

function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Why the file could not be made, from the nearest part of its path that exists; undefined if it could. */
function creationBlocker(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const stats = statIfPresent(dir);
    if (stats) {
      if (!stats.isDirectory()) return `${dir} is a file, not a directory`;
      return canWrite(dir) ? undefined : `${dir} cannot be written by this user`;
    }
    if (dirname(dir) === dir) return `no part of ${path} exists`;
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** How many rotated files (`name.1`, `name.2` …) lie beside it, as words for the detail. */
function earlierFiles(path: string): string {
  const prefix = basename(path) + '.';
  try {
    return String(readdirSync(dirname(path)).filter((entry) => entry.startsWith(prefix) && /^\d+$/.test(entry.slice(prefix.length))).length);
  } catch {
    // A directory this user may not list still tells the rest; the count is only a detail.
    return 'an unknown number of';
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
