import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { verifyCodeSignature } from '../../scripts/build/macho-codesign';
import { findSegment, parseMachO } from '../../scripts/build/macho-parse';
import { flipped, officialDarwinNode, signatureBlobs, syntheticMachO } from './macho-fixtures';

// The official build is the verifier's independent witness: Apple's codesign wrote its signature.
const verify = suite<{ official: Buffer }>('macho.verifyCodeSignature');
verify.before(async (context) => {
  context.official = await officialDarwinNode();
});

verify('accepts the OpenJS Foundation signature of the official Node.js 26 darwin-arm64 binary: one SHA-256 CodeDirectory over every 4 KiB page, hardened runtime', ({ official }) => {
  const report = verifyCodeSignature(official);
  assert.equal(report.problems, []);
  assert.ok(report.ok);
  assert.is(report.identifier, 'node');
  assert.is(report.hashType, 2);
  assert.is(report.pageSize, 12);
  assert.is(report.codeSlots, 35_582);
  assert.is(report.flags, 0x10000, 'CS_RUNTIME, not ad hoc');
  assert.ok(report.cms, 'a Developer ID signature carries a CMS blob');
  assert.equal(
    report.codeDirectories.map((cd) => [cd.slot, cd.hashType, cd.codeSlots]),
    [[0, 2, 35_582]],
    'every CodeDirectory present is verified',
  );
});

verify('checks the entitlements the official binary carries, XML and DER, against special slots -5 and -7', ({ official }) => {
  const blobs = signatureBlobs(official);
  assert.ok(blobs.has(5) && blobs.has(7), 'the official binary has both entitlements blobs');
  // The byte after magic and length is the first byte of the entitlements themselves.
  assert.equal(verifyCodeSignature(flipped(official, blobs.get(5)! + 8)).problems, ['CodeDirectory 0x0: special slot -5 does not match the entitlements blob']);
  assert.equal(verifyCodeSignature(flipped(official, blobs.get(7)! + 8)).problems, ['CodeDirectory 0x0: special slot -7 does not match the DER entitlements blob']);
  assert.equal(verifyCodeSignature(flipped(official, blobs.get(2)! + 11)).problems, ['CodeDirectory 0x0: special slot -2 does not match the requirements blob']);
});

verify('fails when one byte inside __TEXT changes, naming the page that holds it', ({ official }) => {
  const text = findSegment(parseMachO(official), '__TEXT')!.sections.find((s) => s.name === '__text')!;
  const offset = text.offset + 0x12345;
  const page = Math.floor(offset / 4096);
  const report = verifyCodeSignature(flipped(official, offset));
  assert.not.ok(report.ok);
  assert.equal(report.problems, [`CodeDirectory 0x0: page ${page} (file bytes 0x${(page * 4096).toString(16)}-0x${(page * 4096 + 4095).toString(16)}) does not match its hash`]);
});

verify('fails when bytes follow the signature, which must be the last thing in the file', ({ official }) => {
  const report = verifyCodeSignature(Buffer.concat([official, Buffer.alloc(16)]));
  assert.not.ok(report.ok);
  assert.equal(report.problems, ['16 bytes follow the signature, which must be the last thing in the file']);
});

verify('fails on a Mach-O with no LC_CODE_SIGNATURE, and on a file that is not a Mach-O, without throwing', () => {
  assert.equal(verifyCodeSignature(syntheticMachO()).problems, ['no LC_CODE_SIGNATURE: the file is not signed']);
  assert.equal(verifyCodeSignature(Buffer.from('#!/bin/sh\necho hello, this is no Mach-O\n')).problems, ['not a 64-bit little-endian Mach-O: magic 0x622f2123']);
});

verify.run();
