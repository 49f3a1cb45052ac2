import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bundleApp } from '../../scripts/build/bundle';
import { checkExecutable } from '../../scripts/build/check';
import { verifyCodeSignature } from '../../scripts/build/macho-codesign';
import { findSegment, parseMachO } from '../../scripts/build/macho-parse';
import { buildExecutable } from '../../scripts/build/sea';
import { flipped } from './macho-fixtures';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// What `npm run build -- --target darwin-arm64` does for its one target, into a scratch
// directory rather than dist/, which the build empties first.
const build = suite<{ dir: string; output: string }>('build.darwin-arm64');
build.before(async (context) => {
  context.dir = mkdtempSync(join(tmpdir(), 'xp-darwin-'));
  context.output = join(context.dir, 'xero-proxy-darwin-arm64');
  const bundle = join(context.dir, 'bundle.cjs');
  await bundleApp(ROOT, bundle);
  await buildExecutable({ target: 'darwin-arm64', root: ROOT, bundle, work: context.dir, output: context.output });
});
build.after(({ dir }) => rmSync(dir, { recursive: true, force: true }));

build('the macOS executable is an arm64 Mach-O with the app in NODE_SEA and an ad-hoc signature as xero-proxy, which the build checks', ({ output }) => {
  assert.match(checkExecutable('darwin-arm64', output, VERSION), /^macho, structure checked, ad-hoc signed as xero-proxy \(\d+ pages verified\)$/);
  const binary = readFileSync(output);
  const report = verifyCodeSignature(binary);
  assert.ok(report.ok, report.problems.join('; '));
  assert.equal([report.identifier, report.flags, report.hashType], ['xero-proxy', 0x2, 2]);
  assert.is(report.codeSlots, Math.ceil(parseMachO(binary).codeSignature!.dataoff / 4096));
});

build("the build's check refuses the executable when a byte of the app changes after signing, naming the page", ({ dir, output }) => {
  const binary = readFileSync(output);
  const blob = findSegment(parseMachO(binary), 'NODE_SEA')!.sections.find((s) => s.name === '__NODE_SEA_BLOB')!;
  const tampered = join(dir, 'tampered');
  writeFileSync(tampered, flipped(binary, blob.offset + 100));
  const page = Math.floor((blob.offset + 100) / 4096);
  assert.throws(
    () => checkExecutable('darwin-arm64', tampered, VERSION),
    (error: Error) => error.message.startsWith(`${tampered}: the code signature is not valid, so macOS would kill it: CodeDirectory 0x0: page ${page} (`),
  );
});

build.run();
