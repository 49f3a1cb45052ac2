import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkExecutable } from '../../scripts/build/check';
import { nodeBinary } from '../../scripts/build/node-binaries';
import { PE_MACHINE_AMD64, inspectPe } from '../../scripts/build/pe-check';
import { buildExecutable } from '../../scripts/build/sea';

// Windows cannot run here (Node 24 and 26 abort under Wine 8): the build proves its Windows
// executable by its structure, and these tests prove that check can tell a good one from a bad one.
const windows = suite('build.windows-executable');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'xero-proxy-win-'));
let built: Buffer;
const output = join(work, 'app.exe');

windows.before(async () => {
  const bundle = join(work, 'bundle.cjs');
  writeFileSync(bundle, "console.log('hello from the blob');\n");
  await buildExecutable({ target: 'win-x64', root, bundle, work, output });
  built = readFileSync(output);
});
windows.after(() => rmSync(work, { recursive: true, force: true }));

windows('the official node.exe is an x64 console program signed by its publisher, with no application in it', async () => {
  const official = inspectPe(readFileSync(await nodeBinary('win-x64')));
  assert.is(official.machine, PE_MACHINE_AMD64);
  assert.is(official.subsystem, 3);
  assert.ok(official.certificateTableBytes > 0, 'carries an Authenticode signature');
  assert.not.ok(official.hasSeaBlobResource);
});

windows('the built executable carries the blob as the NODE_SEA_BLOB resource, and no signature that would no longer match', () => {
  const facts = inspectPe(built);
  assert.ok(facts.hasSeaBlobResource);
  assert.ok(facts.seaBlobBytes > 0);
  assert.is(facts.certificateTableBytes, 0);
  assert.is(facts.machine, PE_MACHINE_AMD64);
  assert.match(checkExecutable('win-x64', output, '0.0.0'), /pe, structure checked/);
});

windows('the build check refuses an executable whose blob resource is missing, naming it', () => {
  const broken = Buffer.from(built);
  const at = broken.indexOf(Buffer.from('NODE_SEA_BLOB', 'utf16le'));
  assert.ok(at > 0, 'the resource name is stored as UTF-16');
  broken.write('NODE_XXX_BLOB', at, 'utf16le');
  const file = join(work, 'no-blob.exe');
  writeFileSync(file, broken);
  assert.throws(() => checkExecutable('win-x64', file, '0.0.0'), /no NODE_SEA_BLOB resource/);
});

windows('the build check refuses an executable that still carries an Authenticode signature', () => {
  const signed = Buffer.from(built);
  // The certificate table's size in the optional header's data directories (entry 4).
  const optional = signed.readUInt32LE(0x3c) + 24;
  signed.writeUInt32LE(15688, optional + 112 + 4 * 8 + 4);
  const file = join(work, 'still-signed.exe');
  writeFileSync(file, signed);
  assert.throws(() => checkExecutable('win-x64', file, '0.0.0'), /15688-byte Authenticode signature/);
});

windows.run();
