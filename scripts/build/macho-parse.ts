/**
 * Reads the parts of a thin 64-bit little-endian Mach-O that signing needs: the header, the load
 * commands, the segments with their sections and where LC_CODE_SIGNATURE points.
 * @see https://github.com/apple-oss-distributions/xnu/blob/main/EXTERNAL_HEADERS/mach-o/loader.h
 */

export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_EXECUTE = 0x2;
export const CPU_TYPE_ARM64 = 0x0100000c;
export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;
/** mach_header_64: magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags, reserved. */
export const HEADER_SIZE = 32;
/** linkedit_data_command: cmd, cmdsize, dataoff, datasize. */
export const LINKEDIT_DATA_COMMAND_SIZE = 16;

export interface LoadCommand {
  cmd: number;
  /** File offset of the command. */
  offset: number;
  size: number;
}

export interface Section {
  name: string;
  segment: string;
  addr: number;
  size: number;
  /** File offset; 0 for zero-fill sections, which have no bytes in the file. */
  offset: number;
}

export interface Segment {
  name: string;
  /** File offset of the LC_SEGMENT_64 command, to rewrite its sizes in place. */
  commandOffset: number;
  vmaddr: number;
  vmsize: number;
  fileoff: number;
  filesize: number;
  sections: Section[];
}

export interface CodeSignatureCommand {
  commandOffset: number;
  dataoff: number;
  datasize: number;
}

export interface MachO {
  cputype: number;
  cpusubtype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  commands: LoadCommand[];
  segments: Segment[];
  codeSignature?: CodeSignatureCommand;
}

/** Parses the header and load commands; throws naming what is not a well-formed thin Mach-O 64. */
export function parseMachO(binary: Buffer): MachO {
  if (binary.length < HEADER_SIZE) throw new Error(`not a Mach-O: ${binary.length} bytes is shorter than a header`);
  const magic = binary.readUInt32LE(0);
  if (magic === 0xbebafeca || magic === 0xcafebabe) throw new Error('a universal (fat) Mach-O: only thin 64-bit files are supported');
  if (magic !== MH_MAGIC_64) throw new Error(`not a 64-bit little-endian Mach-O: magic 0x${magic.toString(16)}`);
  const macho: MachO = {
    cputype: binary.readUInt32LE(4),
    cpusubtype: binary.readUInt32LE(8),
    filetype: binary.readUInt32LE(12),
    ncmds: binary.readUInt32LE(16),
    sizeofcmds: binary.readUInt32LE(20),
    commands: [],
    segments: [],
  };
  const end = HEADER_SIZE + macho.sizeofcmds;
  if (end > binary.length) throw new Error(`the load commands (${macho.sizeofcmds} bytes) run past the end of the file`);

  let offset = HEADER_SIZE;
  for (let i = 0; i < macho.ncmds; i++) {
    if (offset + 8 > end) throw new Error(`load command ${i} starts past sizeofcmds`);
    const cmd = binary.readUInt32LE(offset);
    const size = binary.readUInt32LE(offset + 4);
    if (size < 8 || size % 8 !== 0 || offset + size > end) throw new Error(`load command ${i} (0x${cmd.toString(16)}) has a bad cmdsize ${size}`);
    macho.commands.push({ cmd, offset, size });
    if (cmd === LC_SEGMENT_64) macho.segments.push(readSegment(binary, offset, size));
    if (cmd === LC_CODE_SIGNATURE) {
      if (macho.codeSignature) throw new Error('more than one LC_CODE_SIGNATURE');
      macho.codeSignature = { commandOffset: offset, dataoff: binary.readUInt32LE(offset + 8), datasize: binary.readUInt32LE(offset + 12) };
    }
    offset += size;
  }
  return macho;
}

/** The segment named `name` (`__TEXT`, `__LINKEDIT`, `NODE_SEA`), if the file has one. */
export function findSegment(macho: MachO, name: string): Segment | undefined {
  return macho.segments.find((s) => s.name === name);
}

/** The lowest file offset any section's bytes start at: load commands may grow up to it. */
export function firstSectionOffset(macho: MachO): number {
  const offsets = macho.segments.flatMap((s) => s.sections).filter((s) => s.offset > 0 && s.size > 0).map((s) => s.offset);
  return offsets.length ? Math.min(...offsets) : Infinity;
}

function readSegment(binary: Buffer, offset: number, size: number): Segment {
  const nsects = binary.readUInt32LE(offset + 64);
  // segment_command_64 is 72 bytes, each section_64 after it 80.
  if (72 + nsects * 80 > size) throw new Error(`the segment command at 0x${offset.toString(16)} is too small for its ${nsects} sections`);
  const segment: Segment = {
    name: cString(binary, offset + 8, 16),
    commandOffset: offset,
    vmaddr: u64(binary, offset + 24),
    vmsize: u64(binary, offset + 32),
    fileoff: u64(binary, offset + 40),
    filesize: u64(binary, offset + 48),
    sections: [],
  };
  for (let i = 0; i < nsects; i++) {
    const at = offset + 72 + i * 80;
    segment.sections.push({ name: cString(binary, at, 16), segment: cString(binary, at + 16, 16), addr: u64(binary, at + 32), size: u64(binary, at + 40), offset: binary.readUInt32LE(at + 48) });
  }
  return segment;
}

/** A fixed-size name field: NUL-padded, or using all its bytes. */
function cString(binary: Buffer, offset: number, length: number): string {
  const field = binary.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? length : nul).toString('latin1');
}

function u64(binary: Buffer, offset: number): number {
  const value = binary.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`a 64-bit field at 0x${offset.toString(16)} is too large to handle`);
  return Number(value);
}
