import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signAdhoc } from './macho-codesign';
import { nodeBinary } from './node-binaries';
import { TARGET_FACTS, hostTarget, type Target } from './targets';

/** The fuse Node.js checks to know it carries a blob; --build-sea flips its last character to 1. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The code-signing identifier of the macOS executable (codesign -dv shows it). */
export const MACOS_IDENTIFIER = 'xero-proxy';

export interface ExecutableJob {
  target: Target;
  root: string;
  bundle: string;
  /** Scratch directory for this target's prepared node binary and SEA config. */
  work: string;
  output: string;
  /** Files embedded as SEA assets besides better-sqlite3's addon, by asset name. */
  assets?: Record<string, string>;
}

/**
 * Makes one target's executable with Node's own `--build-sea`: the target's official node binary
 * (prepared first: symbols stripped on Linux, the Authenticode signature removed on Windows),
 * the bundle, and that platform's better-sqlite3 addon as an asset. The macOS one is then
 * signed ad hoc, since the official signature does not survive.
 */
export async function buildExecutable(job: ExecutableJob): Promise<void> {
  const { target } = job;
  const facts = TARGET_FACTS[target];
  const official = await nodeBinary(target);
  const prepared = join(job.work, `node-${target}${target.startsWith('win') ? '.exe' : ''}`);
  if (target.startsWith('linux')) {
    // Before the blob goes in: strip rewrites section and symbol tables, and the blob (a note
    // Node finds through the program headers) must be the last thing added.
    execFileSync(stripTool(target), ['-o', prepared, official], { stdio: 'inherit' });
  } else if (target === 'win-x64') {
    // --build-sea keeps the OpenJS Foundation's signature, which no longer matches the file:
    // Windows would show it as tampered rather than unsigned.
    execFileSync('osslsigncode', ['remove-signature', '-in', official, '-out', prepared], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    copyFileSync(official, prepared);
  }
  chmodSync(prepared, 0o755);

  const own = target === hostTarget();
  const config = join(job.work, `sea-${target}.json`);
  writeFileSync(
    config,
    JSON.stringify(
      {
        main: job.bundle,
        output: job.output,
        executable: prepared,
        disableExperimentalSEAWarning: true,
        // V8's code cache and snapshots are specific to the platform that made them.
        useCodeCache: own && process.env['SEA_CODE_CACHE'] !== '0',
        useSnapshot: false,
        assets: { 'better_sqlite3.node': join(job.root, 'node_modules', 'better-sqlite3', 'prebuilds', facts.sqlitePrebuild), ...job.assets },
      },
      null,
      2,
    ) + '\n',
  );
  execFileSync(process.execPath, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (target === 'darwin-arm64') {
    // --build-sea (26.10) drops the OpenJS Foundation's signature, LC_CODE_SIGNATURE and its data,
    // when it adds the NODE_SEA segment (signAdhoc would replace one left behind), and macOS on
    // Apple Silicon kills unsigned code.
    const signed = `${job.output}.signed`;
    writeFileSync(signed, signAdhoc(readFileSync(job.output), MACOS_IDENTIFIER));
    renameSync(signed, job.output);
  }
  chmodSync(job.output, 0o755);
}

/** The strip that understands the target's machine code: the host's own, or Debian's cross binutils. */
export function stripTool(target: Target): string {
  return target === hostTarget() ? 'strip' : TARGET_FACTS[target].strip!;
}

/** Tools the targets need from the system, with the Debian package that has each, when missing. */
export function missingTools(targets: readonly Target[]): { tool: string; debianPackage: string }[] {
  const needed = new Map<string, string>();
  for (const target of targets) {
    if (target.startsWith('linux')) needed.set(stripTool(target), target === hostTarget() ? 'binutils' : TARGET_FACTS[target].stripPackage!);
    if (target === 'win-x64') needed.set('osslsigncode', 'osslsigncode');
  }
  needed.set('tar', 'tar');
  return [...needed].filter(([tool]) => !onPath(tool)).map(([tool, debianPackage]) => ({ tool, debianPackage }));
}

function onPath(tool: string): boolean {
  try {
    execFileSync(process.platform === 'win32' ? 'where' : 'which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
