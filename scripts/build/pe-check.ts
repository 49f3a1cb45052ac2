// Reads what the build needs to know of a Windows PE32+ executable, without Windows: its machine
// and subsystem, whether Node's SEA blob is there as the RCDATA resource Node looks for at start,
// and whether an Authenticode signature is still attached. Layout: Microsoft's PE/COFF
// specification (DOS stub → "PE\0\0" → COFF header → optional header with data directories →
// section table; resources as a three-level tree of type → name → language).

export const PE_MACHINE_AMD64 = 0x8664;
export const PE_SUBSYSTEM_CONSOLE = 3;
const RT_RCDATA = 10;
const DIRECTORY_RESOURCE = 2;
const DIRECTORY_CERTIFICATE = 4;

export interface PeFacts {
  machine: number;
  subsystem: number;
  /** Node finds its blob as the RCDATA resource of this name. */
  hasSeaBlobResource: boolean;
  seaBlobBytes: number;
  /** Size of the attached Authenticode signature; 0 when there is none. */
  certificateTableBytes: number;
}

export class PeFormatError extends Error {
  readonly code = 'PE_FORMAT';
}

interface Section {
  virtualAddress: number;
  virtualSize: number;
  rawPointer: number;
  rawSize: number;
}

export function inspectPe(file: Buffer, blobName = 'NODE_SEA_BLOB'): PeFacts {
  if (file.length < 0x40 || file.readUInt16LE(0) !== 0x5a4d) throw new PeFormatError('no MZ header');
  const pe = file.readUInt32LE(0x3c);
  if (pe + 24 > file.length || file.readUInt32LE(pe) !== 0x00004550) throw new PeFormatError('no PE signature where the DOS header points');
  const coff = pe + 4;
  const machine = file.readUInt16LE(coff);
  const sectionCount = file.readUInt16LE(coff + 2);
  const optionalSize = file.readUInt16LE(coff + 16);
  const optional = coff + 20;
  if (file.readUInt16LE(optional) !== 0x20b) throw new PeFormatError('not PE32+ (a 64-bit image)');
  const subsystem = file.readUInt16LE(optional + 68);
  const directoryCount = file.readUInt32LE(optional + 108);
  const directory = (index: number) =>
    index < directoryCount ? { address: file.readUInt32LE(optional + 112 + index * 8), size: file.readUInt32LE(optional + 116 + index * 8) } : { address: 0, size: 0 };

  const sections: Section[] = [];
  for (let i = 0, at = optional + optionalSize; i < sectionCount; i++, at += 40) {
    sections.push({ virtualSize: file.readUInt32LE(at + 8), virtualAddress: file.readUInt32LE(at + 12), rawSize: file.readUInt32LE(at + 16), rawPointer: file.readUInt32LE(at + 20) });
  }
  const offsetOf = (rva: number): number => {
    const section = sections.find((s) => rva >= s.virtualAddress && rva < s.virtualAddress + Math.max(s.virtualSize, s.rawSize));
    if (!section) throw new PeFormatError(`address 0x${rva.toString(16)} is in no section`);
    return section.rawPointer + (rva - section.virtualAddress);
  };

  const resources = directory(DIRECTORY_RESOURCE);
  const blob = resources.address ? findResource(file, offsetOf(resources.address), RT_RCDATA, blobName, offsetOf) : undefined;
  return {
    machine,
    subsystem,
    hasSeaBlobResource: blob !== undefined,
    seaBlobBytes: blob?.size ?? 0,
    // The only data directory that holds a file offset, not an address: the signature is not loaded.
    certificateTableBytes: directory(DIRECTORY_CERTIFICATE).size,
  };
}

interface Entry {
  id?: number;
  name?: string;
  /** Offset from the resource section's start. */
  target: number;
  isDirectory: boolean;
}

function findResource(file: Buffer, root: number, type: number, name: string, offsetOf: (rva: number) => number): { size: number } | undefined {
  const byType = entries(file, root, root).find((e) => e.id === type && e.isDirectory);
  if (!byType) return undefined;
  const byName = entries(file, root, root + byType.target).find((e) => e.name === name && e.isDirectory);
  if (!byName) return undefined;
  const language = entries(file, root, root + byName.target).find((e) => !e.isDirectory);
  if (!language) return undefined;
  const dataEntry = root + language.target;
  const size = file.readUInt32LE(dataEntry + 4);
  const start = offsetOf(file.readUInt32LE(dataEntry));
  if (start + size > file.length) throw new PeFormatError(`resource ${name} runs past the end of the file`);
  return { size };
}

function entries(file: Buffer, root: number, at: number): Entry[] {
  const count = file.readUInt16LE(at + 12) + file.readUInt16LE(at + 14);
  const list: Entry[] = [];
  for (let i = 0, e = at + 16; i < count; i++, e += 8) {
    const nameField = file.readUInt32LE(e);
    const dataField = file.readUInt32LE(e + 4);
    const entry: Entry = { target: dataField & 0x7fffffff, isDirectory: (dataField & 0x80000000) !== 0 };
    if (nameField & 0x80000000) {
      // A name is a length-prefixed UTF-16LE string inside the resource section.
      const at16 = root + (nameField & 0x7fffffff);
      entry.name = file.toString('utf16le', at16 + 2, at16 + 2 + file.readUInt16LE(at16) * 2);
    } else {
      entry.id = nameField;
    }
    list.push(entry);
  }
  return list;
}
