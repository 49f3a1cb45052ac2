import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write';

/** The name under which the build script stores better-sqlite3's addon in the executable. */
export const SQLITE_ADDON_ASSET = 'better_sqlite3.node';

interface SeaModule {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
}

let loaded: object | undefined;

/**
 * Inside the single executable, better-sqlite3 cannot find its addon on disk, so the build
 * embeds it as a SEA asset. This writes it out once (atomically, named by its hash, and checked
 * by hash before every load so a tampered file is never loaded) and loads it with
 * `process.dlopen`. Outside the executable it returns `undefined` and better-sqlite3 finds its
 * own addon in node_modules.
 */
export function sqliteNativeBinding(): object | undefined {
  if (loaded) return loaded;
  const sea = seaModule();
  if (!sea?.isSea()) return undefined;
  const bytes = new Uint8Array(sea.getRawAsset(SQLITE_ADDON_ASSET));
  const digest = createHash('sha256').update(bytes).digest('hex');
  const dir = join(cacheRoot(), 'xero-proxy');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `better_sqlite3-${digest.slice(0, 16)}.node`);
  if (!existsSync(path) || createHash('sha256').update(readFileSync(path)).digest('hex') !== digest) {
    writeFileAtomic(path, bytes, { mode: 0o700 });
  }
  const module = { exports: {} as object };
  process.dlopen(module, path);
  loaded = module.exports;
  return loaded;
}

function seaModule(): SeaModule | undefined {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    return getBuiltin?.('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

function cacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  if (xdg) return xdg;
  const home = homedir();
  return home ? join(home, '.cache') : tmpdir();
}
