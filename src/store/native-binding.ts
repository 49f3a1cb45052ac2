import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write';
import { AppError } from '../lib/errors';
import { seaAsset } from '../lib/sea';

/** The name under which the build script stores better-sqlite3's addon in the executable. */
export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

let loaded: object | undefined;

/**
 * Inside the single executable, better-sqlite3 cannot find its addon on disk, so the build
 * embeds it as a SEA asset. This writes it out once (atomically, named by its hash, and checked
 * by hash before every load so a tampered file is never loaded) and loads it with
 * `process.dlopen`. Outside the executable it returns `undefined` and better-sqlite3 finds its
 * own addon in node_modules.
 *
 * The file goes to the user's cache directory, or, when there is none that can be written (a
 * service account without a home), to `.cache` inside `nearDir` (the data directory): never to
 * the system temp directory, which hardened hosts mount `noexec`, so that dlopen would fail there.
 */
export function sqliteNativeBinding(nearDir?: string): object | undefined {
  if (loaded) return loaded;
  const bytes = seaAsset(SQLITE_ADDON_ASSET);
  if (!bytes) return undefined;
  const digest = createHash('sha256').update(bytes).digest('hex');
  const name = `better_sqlite3-${digest.slice(0, 16)}.node`;
  const tried: string[] = [];
  for (const dir of addonDirectories(nearDir)) {
    const path = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== digest) {
        writeFileAtomic(path, bytes, { mode: 0o700 });
      }
    } catch (error) {
      tried.push(`${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      continue;
    }
    const module = { exports: {} as object };
    process.dlopen(module, path);
    loaded = module.exports;
    return loaded;
  }
  throw new AppError('unavailable', `The SQLite library cannot be written out: no writable cache directory (tried ${tried.join(', ') || 'none'})`, {
    hint: 'Set XDG_CACHE_HOME (or CACHE_DIRECTORY) to a directory this user can write, or give the data directory to this user.',
  });
}

/** Where the addon may go, best first: the platform's cache directory for this user, then the data directory. */
export function addonDirectories(nearDir?: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string[] {
  const dirs: string[] = [];
  // systemd sets CACHE_DIRECTORY for a unit with CacheDirectory= (the service install's unit does).
  const systemd = env['CACHE_DIRECTORY']?.split(':')[0];
  if (systemd) dirs.push(systemd);
  if (platform === 'win32') {
    if (env['LOCALAPPDATA']) dirs.push(join(env['LOCALAPPDATA'], 'Xero Comms Proxy', 'cache'));
  } else if (platform === 'darwin') {
    if (home) dirs.push(join(home, 'Library', 'Caches', 'xero-proxy'));
  } else if (env['XDG_CACHE_HOME']) {
    dirs.push(join(env['XDG_CACHE_HOME'], 'xero-proxy'));
  } else if (home) {
    dirs.push(join(home, '.cache', 'xero-proxy'));
  }
  if (nearDir) dirs.push(join(nearDir, '.cache'));
  return dirs;
}
