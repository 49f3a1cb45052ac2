#!/usr/bin/env node
// Builds one executable per platform, offline but for the npm registry (and npm's cache):
//
//   src/main.ts --esbuild--> dist/.work/bundle.cjs
//   + each target's official node binary (package-lock.json pins it) + its better-sqlite3 addon
//   (+ for Windows, WinSW from node-windows' tarball, pinned in scripts/build/winsw.ts)
//   --node --build-sea--> dist/xero-proxy-<target>[.exe], dist/xero-proxy (this machine's), dist/SHA256SUMS
//
//   npm run build                          every target
//   npm run build -- --target linux-x64    one (repeat --target for more)
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleApp } from './build/bundle';
import { checkExecutable } from './build/check';
import { buildExecutable, missingTools } from './build/sea';
import { TARGETS, TARGET_FACTS, hostTarget, isTarget } from './build/targets';
import { winswExecutable } from './build/winsw';
import { WINSW_ASSET } from '../src/service/winsw';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const work = join(dist, '.work');

try {
  await main();
} catch (error) {
  console.error(`build failed: ${(error as Error).message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { target: { type: 'string', multiple: true } }, allowPositionals: false });
  const targets = (values.target ?? [...TARGETS]).map((name) => {
    if (!isTarget(name)) throw new Error(`--target ${name} is not one of ${TARGETS.join(', ')}`);
    return name;
  });
  if (!process.version.startsWith('v26.')) throw new Error(`this build runs on the project's Node 26 (node_modules/.bin/node, via npm run build), not ${process.version}`);
  const missing = missingTools(targets);
  if (missing.length) {
    throw new Error(
      `missing ${missing.map((m) => m.tool).join(', ')}: install them (Debian: apt-get install ${[...new Set(missing.map((m) => m.debianPackage))].join(' ')}) or build fewer targets with --target`,
    );
  }

  rmSync(dist, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const bundle = join(work, 'bundle.cjs');
  await bundleApp(root, bundle);
  console.log(`bundle  ${relative(root, bundle)}  ${mib(statSync(bundle).size)}`);

  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const built: string[] = [];
  for (const target of targets) {
    const output = join(dist, TARGET_FACTS[target].output);
    // The Windows executable carries WinSW, which `service install` writes beside it.
    const assets = target === 'win-x64' ? { [WINSW_ASSET.asset]: await winswExecutable() } : undefined;
    await buildExecutable({ target, root, bundle, work, output, assets });
    const facts = checkExecutable(target, output, version, assets);
    built.push(output);
    console.log(`built   ${relative(root, output).padEnd(32)} ${mib(statSync(output).size).padStart(10)}  ${facts}`);
  }
  const host = hostTarget();
  if (host && targets.includes(host)) {
    const exe = join(dist, 'xero-proxy' + (host.startsWith('win') ? '.exe' : ''));
    copyFileSync(join(dist, TARGET_FACTS[host].output), exe);
    built.push(exe);
    console.log(`built   ${relative(root, exe).padEnd(32)} (this machine's: ${host})`);
  }
  rmSync(work, { recursive: true, force: true });
  writeFileSync(join(dist, 'SHA256SUMS'), built.map((file) => `${sha256(file)}  ${relative(dist, file)}\n`).join(''));
  console.log(`sums    dist/SHA256SUMS (sha256sum -c SHA256SUMS checks them)`);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

