import { createHash } from 'node:crypto';
import {
  CPU_TYPE_ARM64,
  HEADER_SIZE,
  LC_CODE_SIGNATURE,
  LINKEDIT_DATA_COMMAND_SIZE,
  MH_EXECUTE,
  findSegment,
  firstSectionOffset,
  parseMachO,
  type MachO,
} from './macho-parse';

/**
 * Ad-hoc code signing of arm64 Mach-O executables, as `codesign -s -` does, so that macOS on
 * Apple Silicon (which kills unsigned arm64 code) runs what this Linux build makes. The verifier
 * lives in its own module and shares nothing with the signer but the Mach-O parser.
 * @see https://github.com/apple-oss-distributions/xnu/blob/main/osfmk/kern/cs_blobs.h
 */
export { verifyCodeSignature, type SignatureReport } from './macho-verify';

/** Blob magics, slot numbers and flags from cs_blobs.h. */
export const CSMAGIC = { embeddedSignature: 0xfade0cc0, codeDirectory: 0xfade0c02, requirements: 0xfade0c01, blobWrapper: 0xfade0b01 } as const;
export const CSSLOT = { codeDirectory: 0, requirements: 2, signature: 0x10000 } as const;
export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;
export const CS_EXECSEG_MAIN_BINARY = 0x1;
const CS_HASHTYPE_SHA256 = 2;
const HASH_SIZE = 32;
const PAGE_SHIFT = 12; // 4 KiB code pages, what codesign uses for arm64 too
/** CodeDirectory version 0x20400 (with the execSeg fields): its fixed part is 88 bytes. */
const CD_VERSION = 0x20400;
const CD_HEADER_SIZE = 88;
/** arm64 macOS maps in 16 KiB pages; a segment's vmsize is a whole number of them. */
const VM_PAGE = 0x4000;
/** The signature's offset and size are kept 16-byte aligned, as codesign does. */
const ALIGN = 16;

/**
 * A copy of `binary` carrying a fresh ad-hoc signature: one SHA-256 CodeDirectory (CS_ADHOC,
 * 4 KiB pages, execSeg = __TEXT), an empty Requirements blob hashed in special slot -2, and the
 * empty CMS wrapper codesign writes for ad-hoc. An existing signature is replaced; otherwise an
 * LC_CODE_SIGNATURE is added in the free space after the load commands.
 */
export function signAdhoc(binary: Buffer, identifier: string): Buffer {
  const macho = parseMachO(binary);
  if (macho.cputype !== CPU_TYPE_ARM64) throw new Error(`only arm64 Mach-O is signed here: cputype is 0x${macho.cputype.toString(16)}`);
  if (!identifier || identifier.includes('\0')) throw new Error('the signing identifier must be a non-empty string without NUL');
  const text = findSegment(macho, '__TEXT');
  const linkedit = findSegment(macho, '__LINKEDIT');
  if (!text || !linkedit) throw new Error('the Mach-O has no __TEXT or no __LINKEDIT segment, so it cannot carry a signature');

  // Everything before the old signature (or the whole file) is kept; the new one goes after it.
  const contentEnd = macho.codeSignature ? macho.codeSignature.dataoff : binary.length;
  if (macho.codeSignature && macho.codeSignature.dataoff + macho.codeSignature.datasize !== binary.length) {
    throw new Error('the existing signature is not at the end of the file, so replacing it would drop what follows');
  }
  if (contentEnd < linkedit.fileoff || contentEnd > linkedit.fileoff + linkedit.filesize || linkedit.fileoff + linkedit.filesize > binary.length) {
    throw new Error('__LINKEDIT is not the last thing in the file, so a signature at its end would not be covered by it');
  }
  const signatureOffset = align(contentEnd, ALIGN);
  const requirements = blob(CSMAGIC.requirements, Buffer.alloc(4)); // count 0: no requirements
  const emptyCms = blob(CSMAGIC.blobWrapper, Buffer.alloc(0));
  const codeSlots = Math.ceil(signatureOffset / (1 << PAGE_SHIFT));
  const ident = Buffer.from(identifier + '\0', 'utf8');
  const cdLength = CD_HEADER_SIZE + ident.length + 2 * HASH_SIZE + codeSlots * HASH_SIZE;
  const superBlobLength = 12 + 3 * 8 + cdLength + requirements.length + emptyCms.length;
  const signatureSize = align(superBlobLength, ALIGN);

  const out = Buffer.alloc(signatureOffset + signatureSize);
  binary.copy(out, 0, 0, contentEnd);
  const commandOffset = macho.codeSignature?.commandOffset ?? addCodeSignatureCommand(out, macho);
  out.writeUInt32LE(signatureOffset, commandOffset + 8);
  out.writeUInt32LE(signatureSize, commandOffset + 12);
  growLinkedit(out, macho, signatureOffset + signatureSize);

  // The header and load commands are final now, so the page hashes can be taken.
  const cd = Buffer.alloc(cdLength);
  const hashOffset = CD_HEADER_SIZE + ident.length + 2 * HASH_SIZE;
  cd.writeUInt32BE(CSMAGIC.codeDirectory, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CD_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC, 12); // and not CS_LINKER_SIGNED, which says "re-sign me" to the OS
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CD_HEADER_SIZE, 20); // identOffset
  cd.writeUInt32BE(2, 24); // nSpecialSlots: -1 Info.plist (none), -2 requirements
  cd.writeUInt32BE(codeSlots, 28);
  cd.writeUInt32BE(signatureOffset, 32); // codeLimit
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(PAGE_SHIFT, 39);
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 (bytes 40-63) stay zero.
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(macho.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, CD_HEADER_SIZE);
  sha256(requirements).copy(cd, hashOffset - 2 * HASH_SIZE); // special slot -2
  for (let page = 0; page < codeSlots; page++) {
    const start = page << PAGE_SHIFT;
    sha256(out.subarray(start, Math.min(start + (1 << PAGE_SHIFT), signatureOffset))).copy(cd, hashOffset + page * HASH_SIZE);
  }

  // The SuperBlob: magic, length, count, an index of (slot, offset) pairs, then the blobs.
  const members: [slot: number, data: Buffer][] = [
    [CSSLOT.codeDirectory, cd],
    [CSSLOT.requirements, requirements],
    [CSSLOT.signature, emptyCms],
  ];
  const superBlob = out.subarray(signatureOffset);
  superBlob.writeUInt32BE(CSMAGIC.embeddedSignature, 0);
  superBlob.writeUInt32BE(superBlobLength, 4);
  superBlob.writeUInt32BE(members.length, 8);
  let at = 12 + members.length * 8;
  members.forEach(([slot, data], index) => {
    superBlob.writeUInt32BE(slot, 12 + index * 8);
    superBlob.writeUInt32BE(at, 16 + index * 8);
    data.copy(superBlob, at);
    at += data.length;
  });
  return out;
}

/** Appends a 16-byte LC_CODE_SIGNATURE after the load commands; returns its offset. */
function addCodeSignatureCommand(out: Buffer, macho: MachO): number {
  const offset = HEADER_SIZE + macho.sizeofcmds;
  const room = firstSectionOffset(macho) - offset;
  if (room < LINKEDIT_DATA_COMMAND_SIZE || out.subarray(offset, offset + LINKEDIT_DATA_COMMAND_SIZE).some((byte) => byte !== 0)) {
    throw new Error(`no room for LC_CODE_SIGNATURE: ${Math.max(room, 0)} free bytes between the load commands and the first section, 16 needed (relink with -headerpad)`);
  }
  out.writeUInt32LE(LC_CODE_SIGNATURE, offset);
  out.writeUInt32LE(LINKEDIT_DATA_COMMAND_SIZE, offset + 4);
  out.writeUInt32LE(macho.ncmds + 1, 16);
  out.writeUInt32LE(macho.sizeofcmds + LINKEDIT_DATA_COMMAND_SIZE, 20);
  return offset;
}

/** Makes __LINKEDIT end where the file now ends, so the signature is mapped with it. */
function growLinkedit(out: Buffer, macho: MachO, fileEnd: number): void {
  const linkedit = findSegment(macho, '__LINKEDIT')!;
  const filesize = fileEnd - linkedit.fileoff;
  const vmsize = align(filesize, VM_PAGE);
  const clash = macho.segments.find((s) => s !== linkedit && s.vmsize > 0 && s.vmaddr >= linkedit.vmaddr && s.vmaddr < linkedit.vmaddr + vmsize);
  if (clash) throw new Error(`__LINKEDIT cannot grow to hold the signature: ${clash.name} is mapped right after it`);
  out.writeBigUInt64LE(BigInt(vmsize), linkedit.commandOffset + 32);
  out.writeBigUInt64LE(BigInt(filesize), linkedit.commandOffset + 48);
}

/** A blob: big-endian magic and total length, then the payload. */
function blob(magic: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(8 + payload.length);
  out.writeUInt32BE(magic, 0);
  out.writeUInt32BE(out.length, 4);
  payload.copy(out, 8);
  return out;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
