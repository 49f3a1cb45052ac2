import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CS_ADHOC, signAdhoc, verifyCodeSignature } from '../../scripts/build/macho-codesign';
import { LC_CODE_SIGNATURE, findSegment, parseMachO } from '../../scripts/build/macho-parse';
import { codeHashes, flipped, officialDarwinNode, signatureBlobs, syntheticMachO } from './macho-fixtures';

const sign = suite<{ official: Buffer; signed: Buffer }>('macho.signAdhoc');
sign.before(async (context) => {
  context.official = await officialDarwinNode();
  context.signed = signAdhoc(context.official, 'xero-proxy');
});

sign('re-signs the official Node.js binary ad hoc as xero-proxy, and the verifier accepts it', ({ signed }) => {
  const report = verifyCodeSignature(signed);
  assert.equal(report.problems, []);
  assert.ok(report.ok);
  assert.is(report.identifier, 'xero-proxy');
  assert.is(report.flags, CS_ADHOC, 'ad hoc only: no hardened runtime, which would need the entitlements');
  assert.is(report.hashType, 2);
  assert.is(report.pageSize, 12);
  assert.is(report.cms, false);
  assert.equal(
    [...signatureBlobs(signed).keys()],
    [0, 2, 0x10000],
    'a CodeDirectory, the empty requirements and the empty CMS wrapper, as codesign -s - writes',
  );
});

sign('writes the special slots codesign -dv --verbose=6 shows for an ad-hoc signature: -2 the empty requirements, -1 no Info.plist', ({ signed }) => {
  const cd = signatureBlobs(signed).get(0)!;
  const hashOffset = signed.readUInt32BE(cd + 16);
  assert.is(signed.readUInt32BE(cd + 24), 2, 'two special slots');
  assert.is(signed.subarray(cd + hashOffset - 64, cd + hashOffset - 32).toString('hex'), '987920904eab650e75788c054aa0b0524e6a80bfc71aa32df8d237a61743f986');
  assert.is(signed.subarray(cd + hashOffset - 32, cd + hashOffset).toString('hex'), '00'.repeat(32));
});

sign("hashes every page as Apple's codesign did, but for page 0, which holds the rewritten load commands", ({ official, signed }) => {
  const apple = codeHashes(official);
  const ours = codeHashes(signed);
  assert.is(ours.length, apple.length, 'the old signature started 16-byte aligned, so the new one starts at the same offset');
  assert.not.ok(ours[0]!.equals(apple[0]!));
  const differing = ours.map((hash, page) => (hash.equals(apple[page]!) ? -1 : page)).filter((page) => page >= 0);
  assert.equal(differing, [0]);
});

sign('replaces the signature in place: one LC_CODE_SIGNATURE, at the end of __LINKEDIT, which grows to a 16 KiB multiple to cover it', ({ official, signed }) => {
  const before = parseMachO(official);
  const after = parseMachO(signed);
  assert.is(after.ncmds, before.ncmds);
  assert.is(after.commands.filter((c) => c.cmd === LC_CODE_SIGNATURE).length, 1);
  const { dataoff, datasize } = after.codeSignature!;
  assert.is(dataoff, before.codeSignature!.dataoff, 'truncated where the old signature began');
  assert.is(dataoff % 16, 0);
  assert.is(dataoff + datasize, signed.length, 'the signature is the last thing in the file');
  const linkedit = findSegment(after, '__LINKEDIT')!;
  assert.is(linkedit.fileoff + linkedit.filesize, signed.length);
  assert.is(linkedit.vmsize % 0x4000, 0);
  assert.ok(linkedit.vmsize >= linkedit.filesize);
});

sign('a byte changed inside __TEXT after signing makes the verifier fail, naming the page', ({ signed }) => {
  const text = findSegment(parseMachO(signed), '__TEXT')!.sections.find((s) => s.name === '__text')!;
  const page = Math.floor((text.offset + 0x40000) / 4096);
  const report = verifyCodeSignature(flipped(signed, text.offset + 0x40000));
  assert.not.ok(report.ok);
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0]!, `CodeDirectory 0x0: page ${page} (file bytes 0x${(page * 4096).toString(16)}-`);
});

sign.run();

const synthetic = suite('macho.signAdhoc (a small Mach-O made by the test)');

synthetic('an unsigned Mach-O gains an LC_CODE_SIGNATURE after its load commands and a signature the verifier accepts', () => {
  const unsigned = syntheticMachO();
  const signed = signAdhoc(unsigned, 'xero-proxy');
  const macho = parseMachO(signed);
  assert.is(macho.ncmds, 3);
  assert.is(macho.commands.at(-1)!.cmd, LC_CODE_SIGNATURE);
  assert.is(macho.codeSignature!.dataoff, 0x4130, 'the end of __LINKEDIT (0x4123) rounded up to 16 bytes');
  assert.ok(signed.subarray(0x4123, 0x4130).every((byte) => byte === 0), 'the gap is zeros');
  assert.ok(signed.subarray(0x1000, 0x4123).equals(unsigned.subarray(0x1000)), 'code and __LINKEDIT data untouched');
  const report = verifyCodeSignature(signed);
  assert.equal(report.problems, []);
  assert.equal([report.identifier, report.flags, report.codeSlots], ['xero-proxy', CS_ADHOC, 5], '0x4130 bytes: four whole pages and a partial one');
});

synthetic('signing a signed file again replaces its signature, byte for byte the same as signing once', () => {
  const once = signAdhoc(syntheticMachO(), 'xero-proxy');
  assert.ok(signAdhoc(once, 'xero-proxy').equals(once));
});

synthetic('a linker-signed input (flags CS_ADHOC | CS_LINKER_SIGNED) comes out ad hoc only', () => {
  const linkerSigned = signAdhoc(syntheticMachO(), 'a.out');
  const cd = signatureBlobs(linkerSigned).get(0)!;
  linkerSigned.writeUInt32BE(0x20002, cd + 12);
  assert.is(verifyCodeSignature(linkerSigned).flags, 0x20002);
  const report = verifyCodeSignature(signAdhoc(linkerSigned, 'xero-proxy'));
  assert.ok(report.ok, report.problems.join('; '));
  assert.is(report.flags, CS_ADHOC);
});

synthetic('says so when the load commands leave no room for LC_CODE_SIGNATURE', () => {
  const crowded = syntheticMachO({ sectionOffset: 32 + 152 + 72 + 8 });
  assert.throws(() => signAdhoc(crowded, 'xero-proxy'), /^no room for LC_CODE_SIGNATURE: 8 free bytes between the load commands and the first section, 16 needed/);
});

synthetic('refuses a Mach-O for another CPU', () => {
  const x64 = syntheticMachO();
  x64.writeUInt32LE(0x01000007, 4);
  assert.throws(() => signAdhoc(x64, 'xero-proxy'), /only arm64 Mach-O is signed here: cputype is 0x1000007/);
});

synthetic.run();
