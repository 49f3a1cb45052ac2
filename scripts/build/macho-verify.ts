import { createHash } from 'node:crypto';
import { findSegment, parseMachO, type MachO } from './macho-parse';

/**
 * Checks a Mach-O's embedded code signature the way the kernel would on page-in, written from
 * cs_blobs.h rather than from our signer: every CodeDirectory's page hashes, the special slots it
 * can check, and where the signature sits. The CMS signature of a Developer ID build is not
 * checked (only its presence is reported), so this proves integrity, not who signed.
 * @see https://github.com/apple-oss-distributions/xnu/blob/main/osfmk/kern/cs_blobs.h
 */

export interface CodeDirectoryReport {
  /** 0 for the primary CodeDirectory, 0x1000… for the alternates. */
  slot: number;
  version: number;
  identifier: string;
  flags: number;
  hashType: number;
  /** log2 of the page size. */
  pageSize: number;
  codeSlots: number;
  specialSlots: number;
  codeLimit: number;
}

export interface SignatureReport {
  ok: boolean;
  /** Sentences naming each problem found; empty when ok. */
  problems: string[];
  /** Of the primary CodeDirectory (slot 0). */
  identifier?: string;
  flags?: number;
  codeSlots?: number;
  hashType?: number;
  pageSize?: number;
  codeDirectories: CodeDirectoryReport[];
  /** Whether a non-empty CMS signature is present (it is not verified). */
  cms: boolean;
}

const SUPERBLOB = 0xfade0cc0;
const CODEDIRECTORY = 0xfade0c02;
const BLOB_WRAPPER = 0xfade0b01;
const CMS_SLOT = 0x10000;
const ALTERNATE_SLOTS = [0x1000, 0x1001, 0x1002, 0x1003, 0x1004];
/** cs_blobs.h CS_HASHTYPE_*: the algorithm and the (possibly truncated) size of its hashes. */
const HASH_TYPES: Record<number, { algorithm: string; size: number; name: string }> = {
  1: { algorithm: 'sha1', size: 20, name: 'SHA-1' },
  2: { algorithm: 'sha256', size: 32, name: 'SHA-256' },
  3: { algorithm: 'sha256', size: 20, name: 'SHA-256 truncated' },
  4: { algorithm: 'sha384', size: 48, name: 'SHA-384' },
};
/** Special slots whose content is a blob in the same SuperBlob under the same slot number. */
const BLOB_SLOTS: Record<number, string> = { 2: 'requirements', 4: 'application-specific', 5: 'entitlements', 7: 'DER entitlements' };
const MAX_PAGES_NAMED = 5;

/** Verifies the signature of a thin 64-bit Mach-O; never throws. */
export function verifyCodeSignature(binary: Buffer): SignatureReport {
  const report: SignatureReport = { ok: false, problems: [], codeDirectories: [], cms: false };
  try {
    check(binary, report);
  } catch (error) {
    report.problems.push((error as Error).message);
  }
  const primary = report.codeDirectories.find((cd) => cd.slot === 0);
  if (primary) Object.assign(report, { identifier: primary.identifier, flags: primary.flags, codeSlots: primary.codeSlots, hashType: primary.hashType, pageSize: primary.pageSize });
  report.ok = report.problems.length === 0 && primary !== undefined;
  return report;
}

function check(binary: Buffer, report: SignatureReport): void {
  const problems = report.problems;
  const macho = parseMachO(binary);
  const command = macho.codeSignature;
  if (!command) throw new Error('no LC_CODE_SIGNATURE: the file is not signed');
  const { dataoff, datasize } = command;
  const end = dataoff + datasize;
  if (end > binary.length) throw new Error(`the signature (0x${dataoff.toString(16)}, ${datasize} bytes) runs past the end of the file`);
  if (end < binary.length) problems.push(`${binary.length - end} bytes follow the signature, which must be the last thing in the file`);
  const linkedit = findSegment(macho, '__LINKEDIT');
  if (!linkedit || dataoff < linkedit.fileoff || end > linkedit.fileoff + linkedit.filesize) problems.push('__LINKEDIT does not cover the signature');
  else if (linkedit.vmsize < linkedit.filesize) problems.push('__LINKEDIT maps less than its file size, so the end of the signature is not mapped');

  const blobs = readSuperBlob(binary.subarray(dataoff, end));
  const cms = blobs.get(CMS_SLOT);
  if (cms && cms.readUInt32BE(0) !== BLOB_WRAPPER) problems.push(`the signature slot holds magic 0x${cms.readUInt32BE(0).toString(16)}, not a CMS blob wrapper`);
  report.cms = cms !== undefined && cms.length > 8;
  if (!blobs.has(0)) problems.push('the SuperBlob has no CodeDirectory in slot 0');
  for (const slot of [0, ...ALTERNATE_SLOTS]) {
    const cd = blobs.get(slot);
    if (cd) checkCodeDirectory(binary, macho, dataoff, slot, cd, blobs, report);
  }
}

/** The SuperBlob's index: slot type → that blob's bytes (bounded by its own length). */
function readSuperBlob(signature: Buffer): Map<number, Buffer> {
  if (signature.length < 12 || signature.readUInt32BE(0) !== SUPERBLOB) throw new Error('the signature does not start with an embedded-signature SuperBlob (0xfade0cc0)');
  const length = signature.readUInt32BE(4);
  const count = signature.readUInt32BE(8);
  if (length > signature.length || 12 + count * 8 > length) throw new Error(`the SuperBlob's length ${length} or count ${count} does not fit its ${signature.length} bytes`);
  const blobs = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const type = signature.readUInt32BE(12 + i * 8);
    const offset = signature.readUInt32BE(16 + i * 8);
    const blobLength = offset + 8 <= length ? signature.readUInt32BE(offset + 4) : 0;
    if (blobLength < 8 || offset + blobLength > length) throw new Error(`the SuperBlob's entry for slot 0x${type.toString(16)} lies outside it`);
    if (blobs.has(type)) throw new Error(`the SuperBlob has slot 0x${type.toString(16)} twice`);
    blobs.set(type, signature.subarray(offset, offset + blobLength));
  }
  return blobs;
}

function checkCodeDirectory(binary: Buffer, macho: MachO, dataoff: number, slot: number, cd: Buffer, blobs: Map<number, Buffer>, report: SignatureReport): void {
  const name = `CodeDirectory 0x${slot.toString(16)}`;
  const fail = (why: string) => report.problems.push(`${name}: ${why}`);
  if (cd.length < 44 || cd.readUInt32BE(0) !== CODEDIRECTORY) return void fail('is not a CodeDirectory blob (0xfade0c02)');
  const version = cd.readUInt32BE(8);
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const specialSlots = cd.readUInt32BE(24);
  const codeSlots = cd.readUInt32BE(28);
  const codeLimit32 = cd.readUInt32BE(32);
  const [hashSize, hashType, , pageSize] = [cd[36]!, cd[37]!, cd[38]!, cd[39]!];
  const codeLimit64 = version >= 0x20300 && cd.length >= 64 ? Number(cd.readBigUInt64BE(56)) : 0;
  const codeLimit = codeLimit64 || codeLimit32;
  const identEnd = cd.indexOf(0, identOffset);
  const identifier = identOffset > 0 && identEnd > 0 ? cd.subarray(identOffset, identEnd).toString('utf8') : '';
  report.codeDirectories.push({ slot, version, identifier, flags, hashType, pageSize, codeSlots, specialSlots, codeLimit });

  const hash = HASH_TYPES[hashType];
  if (!hash) return void fail(`has unknown hash type ${hashType}`);
  if (hashSize !== hash.size) return void fail(`says ${hashSize}-byte hashes for ${hash.name}, which has ${hash.size}`);
  if (!identifier) fail('has no identifier');
  if (hashOffset < specialSlots * hashSize || hashOffset + codeSlots * hashSize > cd.length) return void fail('has hash slots outside the blob');
  const digest = (data: Buffer) => createHash(hash.algorithm).update(data).digest().subarray(0, hash.size);
  const slotHash = (index: number) => cd.subarray(hashOffset + index * hashSize, hashOffset + (index + 1) * hashSize);

  // Code slots: each page of [0, codeLimit) hashed as it is in the file, the last one partial.
  if (codeLimit > dataoff) fail(`codeLimit 0x${codeLimit.toString(16)} reaches into the signature at 0x${dataoff.toString(16)}`);
  const page = pageSize === 0 ? Math.max(codeLimit, 1) : 2 ** pageSize;
  const expectedSlots = Math.ceil(codeLimit / page);
  if (codeSlots !== expectedSlots) return void fail(`has ${codeSlots} code slots, but codeLimit 0x${codeLimit.toString(16)} needs ${expectedSlots}`);
  const bad: number[] = [];
  for (let i = 0; i < codeSlots; i++) {
    if (!digest(binary.subarray(i * page, Math.min((i + 1) * page, codeLimit))).equals(slotHash(i))) bad.push(i);
  }
  for (const i of bad.slice(0, MAX_PAGES_NAMED)) fail(`page ${i} (file bytes 0x${(i * page).toString(16)}-0x${(Math.min((i + 1) * page, codeLimit) - 1).toString(16)}) does not match its hash`);
  if (bad.length > MAX_PAGES_NAMED) fail(`and ${bad.length - MAX_PAGES_NAMED} more pages do not match their hashes`);

  // Special slots n are stored in reverse before hashOffset: slot -n at hashOffset - n * hashSize.
  const zero = Buffer.alloc(hashSize);
  for (const [number, what] of Object.entries(BLOB_SLOTS).map(([n, w]) => [Number(n), w] as const)) {
    const content = blobs.get(number);
    const stored = number <= specialSlots ? slotHash(-number) : undefined;
    if (content && (!stored || stored.equals(zero))) fail(`the ${what} blob is present but not hashed in special slot -${number}`);
    else if (content && !digest(content).equals(stored!)) fail(`special slot -${number} does not match the ${what} blob`);
    else if (!content && stored && !stored.equals(zero)) fail(`special slot -${number} hashes ${what} that the signature does not hold`);
  }
  // Slot -1 is the Info.plist: checkable only when it is embedded in __TEXT,__info_plist.
  const plist = findSegment(macho, '__TEXT')?.sections.find((s) => s.name === '__info_plist');
  if (plist && specialSlots >= 1 && !digest(binary.subarray(plist.offset, plist.offset + plist.size)).equals(slotHash(-1))) fail('special slot -1 does not match the embedded Info.plist');

  if (version >= 0x20400 && cd.length >= 88) {
    const text = findSegment(macho, '__TEXT');
    const [base, limit] = [Number(cd.readBigUInt64BE(64)), Number(cd.readBigUInt64BE(72))];
    if (text && (base !== text.fileoff || limit !== text.filesize)) fail(`its executable segment (0x${base.toString(16)}, 0x${limit.toString(16)} bytes) is not __TEXT (0x${text.fileoff.toString(16)}, 0x${text.filesize.toString(16)} bytes)`);
  }
}
