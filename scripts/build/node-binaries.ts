import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGET_FACTS, type Target } from './targets';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(ROOT, '.cache', 'node-binaries');

export interface LockEntry {
  version: string;
  integrity: string;
}

/**
 * The official Node.js binary for `target`, at the version and integrity package-lock.json pins.
 * The host's own package is in node_modules (npm ci installed and checked it); the others are
 * optional dependencies npm skips on this platform, fetched by `registryFile`.
 */
export async function nodeBinary(target: Target): Promise<string> {
  const facts = TARGET_FACTS[target];
  return registryFile(facts.nodePackage, facts.nodeBin);
}

/**
 * A file from a package pinned in package-lock.json (or by `pin`, for a package that is no
 * dependency at all): from node_modules when npm installed it there at that version, else from
 * its tarball, fetched with `npm pack` (through npm's cache and registry settings: offline once
 * cached) and checked here against the pinned sha512 before a byte of it is used. Optional
 * dependencies for other platforms (other targets' node) and node-windows's WinSW come this way.
 */
export async function registryFile(name: string, pathInPackage: string, pin?: LockEntry): Promise<string> {
  const pinned = pin ?? lockEntry(name);
  const installed = join(ROOT, 'node_modules', name);
  if (existsSync(join(installed, pathInPackage)) && readVersion(installed) === pinned.version) return join(installed, pathInPackage);

  const dir = join(CACHE, `${name}-${pinned.version}`);
  mkdirSync(dir, { recursive: true });
  let tarball = findTarball(dir);
  if (!tarball) {
    // Packed aside and renamed in whole: another build or test may be fetching the same file.
    tarball = privately(dir, (scratch) => {
      npm(['pack', `${name}@${pinned.version}`, '--pack-destination', scratch, '--silent']);
      const written = findTarball(scratch);
      if (!written) throw new Error(`npm pack ${name}@${pinned.version} wrote no tarball to ${scratch}`);
      return moveInto(written, join(dir, basename(written)));
    });
  }
  const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (actual !== pinned.integrity) {
    rmSync(tarball);
    throw new Error(`${name}@${pinned.version}: the tarball's integrity ${actual.slice(0, 24)}… is not package-lock.json's ${pinned.integrity.slice(0, 24)}…; it was deleted, run the build again`);
  }
  // Extracted afresh from the checked tarball each time, so a file changed in the cache is never
  // used; aside, then renamed over the old copy, which a concurrent reader may have open.
  return privately(dir, (scratch) => {
    execFileSync('tar', ['-xzf', tarball, '-C', scratch, `package/${pathInPackage}`], { stdio: 'inherit' });
    return moveInto(join(scratch, 'package', pathInPackage), join(dir, 'package', pathInPackage));
  });
}

/** Runs `work` with a fresh scratch directory inside `dir`, removed afterwards. */
function privately<T>(dir: string, work: (scratch: string) => T): T {
  const scratch = mkdtempSync(join(dir, '.scratch-'));
  try {
    return work(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Renames a file to `target` (atomically replacing any file there); returns `target`. */
function moveInto(file: string, target: string): string {
  mkdirSync(dirname(target), { recursive: true });
  renameSync(file, target);
  return target;
}

/** The version and integrity package-lock.json records for a package. */
export function lockEntry(name: string): LockEntry {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Partial<LockEntry>> };
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) throw new Error(`package-lock.json pins no version and integrity for ${name}: add it to optionalDependencies and run npm install`);
  return { version: entry.version, integrity: entry.integrity };
}

function readVersion(packageDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function findTarball(dir: string): string | undefined {
  const name = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  return name ? join(dir, name) : undefined;
}

/** Runs the npm that runs this build (npm_execpath), so its registry and cache settings apply. */
function npm(args: string[]): void {
  const cli = process.env['npm_execpath'];
  if (cli && cli.endsWith('.js')) execFileSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  else execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
