import { readFileSync } from 'node:fs';
import { nodeBinary } from '../../scripts/build/node-binaries';

/** The official Node.js 26 darwin-arm64 binary, signed by the OpenJS Foundation (Developer ID). */
export async function officialDarwinNode(): Promise<Buffer> {
  return readFileSync(await nodeBinary('darwin-arm64'));
}

/**
 * A small arm64 executable Mach-O made byte by byte, unsigned: a 16 KiB __TEXT with one
 * `__text` section and a __LINKEDIT of `linkeditSize` bytes after it. `sectionOffset` moves the
 * section, e.g. right against the load commands to leave no room for another.
 */
export function syntheticMachO(options: { sectionOffset?: number; linkeditSize?: number } = {}): Buffer {
  const sectionOffset = options.sectionOffset ?? 0x1000;
  const linkeditSize = options.linkeditSize ?? 0x123;
  const text = 0x4000;
  const binary = Buffer.alloc(text + linkeditSize);
  const sizeofcmds = 152 + 72;
  binary.writeUInt32LE(0xfeedfacf, 0);
  binary.writeUInt32LE(0x0100000c, 4); // CPU_TYPE_ARM64
  binary.writeUInt32LE(0x2, 12); // MH_EXECUTE
  binary.writeUInt32LE(2, 16);
  binary.writeUInt32LE(sizeofcmds, 20);

  segment(binary, 32, { name: '__TEXT', vmaddr: 0x100000000, vmsize: text, fileoff: 0, filesize: text, nsects: 1 });
  const section = 32 + 72;
  binary.write('__text', section, 'latin1');
  binary.write('__TEXT', section + 16, 'latin1');
  binary.writeBigUInt64LE(BigInt(0x100000000 + sectionOffset), section + 32);
  binary.writeBigUInt64LE(0x100n, section + 40);
  binary.writeUInt32LE(sectionOffset, section + 48);
  for (let i = 0; i < 0x100; i++) binary[sectionOffset + i] = (i * 7) & 0xff; // "code"

  segment(binary, 32 + 152, { name: '__LINKEDIT', vmaddr: 0x100000000 + text, vmsize: 0x4000, fileoff: text, filesize: linkeditSize, nsects: 0 });
  binary.fill(0x5a, text); // symbol tables and the like
  return binary;
}

function segment(binary: Buffer, at: number, s: { name: string; vmaddr: number; vmsize: number; fileoff: number; filesize: number; nsects: number }): void {
  binary.writeUInt32LE(0x19, at); // LC_SEGMENT_64
  binary.writeUInt32LE(72 + s.nsects * 80, at + 4);
  binary.write(s.name, at + 8, 'latin1');
  binary.writeBigUInt64LE(BigInt(s.vmaddr), at + 24);
  binary.writeBigUInt64LE(BigInt(s.vmsize), at + 32);
  binary.writeBigUInt64LE(BigInt(s.fileoff), at + 40);
  binary.writeBigUInt64LE(BigInt(s.filesize), at + 48);
  binary.writeUInt32LE(5, at + 56); // maxprot r-x
  binary.writeUInt32LE(5, at + 60);
  binary.writeUInt32LE(s.nsects, at + 64);
}

/**
 * Where each blob of the embedded signature starts in the file, by slot, read straight from
 * the bytes so that tests can corrupt one without going through the code under test.
 */
export function signatureBlobs(binary: Buffer): Map<number, number> {
  let offset = 32;
  let dataoff = -1;
  for (let i = 0; i < binary.readUInt32LE(16); i++) {
    if (binary.readUInt32LE(offset) === 0x1d) dataoff = binary.readUInt32LE(offset + 8);
    offset += binary.readUInt32LE(offset + 4);
  }
  if (dataoff < 0) throw new Error('no LC_CODE_SIGNATURE');
  const blobs = new Map<number, number>();
  for (let i = 0; i < binary.readUInt32BE(dataoff + 8); i++) blobs.set(binary.readUInt32BE(dataoff + 12 + i * 8), dataoff + binary.readUInt32BE(dataoff + 16 + i * 8));
  return blobs;
}

/** The code-slot hashes of the primary CodeDirectory, page by page. */
export function codeHashes(binary: Buffer): Buffer[] {
  const cd = signatureBlobs(binary).get(0)!;
  const [hashOffset, count, size] = [binary.readUInt32BE(cd + 16), binary.readUInt32BE(cd + 28), binary[cd + 36]!];
  return Array.from({ length: count }, (_, i) => binary.subarray(cd + hashOffset + i * size, cd + hashOffset + (i + 1) * size));
}

/** A copy with one byte inverted. */
export function flipped(binary: Buffer, offset: number): Buffer {
  const copy = Buffer.from(binary);
  copy[offset] = copy[offset]! ^ 0xff;
  return copy;
}
