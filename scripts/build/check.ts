import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CS_ADHOC, verifyCodeSignature } from './macho-codesign';
import { CPU_TYPE_ARM64, findSegment, parseMachO } from './macho-parse';
import { PE_MACHINE_AMD64, PE_SUBSYSTEM_CONSOLE, inspectPe } from './pe-check';
import { SEA_FUSE } from './sea';
import { hostTarget, type Target } from './targets';

/**
 * Proves an executable is what its target needs, as far as this machine can: the host's own is
 * run (from `/`, where no node_modules can help it); the others are checked by their structure,
 * and every asset given (by name, the file it came from) must be inside, byte for byte.
 * Returns a short description for the build's output; throws naming what is wrong.
 */
export function checkExecutable(target: Target, file: string, version: string, assets: Record<string, string> = {}): string {
  const binary = readFileSync(file);
  if (!fuseFlipped(binary)) throw new Error(`${file}: the SEA fuse is not flipped, so it would start as a plain node`);
  for (const [name, source] of Object.entries(assets)) {
    if (!binary.includes(readFileSync(source))) throw new Error(`${file}: does not carry the asset ${name} (${source})`);
  }
  const format = formatOf(binary);
  const expected = target.startsWith('linux') ? 'elf' : target.startsWith('win') ? 'pe' : 'macho';
  if (format !== expected) throw new Error(`${file}: is ${format}, expected ${expected} for ${target}`);
  if (format === 'elf') {
    const machine = binary.readUInt16LE(18);
    const want = target === 'linux-x64' ? 0x3e : 0xb7;
    if (machine !== want) throw new Error(`${file}: ELF machine 0x${machine.toString(16)}, expected 0x${want.toString(16)} for ${target}`);
  }
  if (format === 'pe') checkPe(file, binary);
  const signed = format === 'macho' ? `, ${checkMachO(file, binary)}` : '';
  if (target !== hostTarget()) return `${format}, structure checked${signed}`;
  const report = JSON.parse(execFileSync(file, ['--version', '--json'], { cwd: '/', encoding: 'utf8' })) as { version: string; node: string; sqlite: string };
  if (report.version !== version) throw new Error(`${file} --version --json says version ${report.version}, expected ${version}`);
  if (!report.node.startsWith('26.') && !report.node.startsWith('v26.')) throw new Error(`${file} runs on Node ${report.node}, expected 26`);
  return `ran: version ${report.version}, Node ${report.node}, SQLite ${report.sqlite}`;
}

/** Windows cannot run here (Node 24 and 26 do not start under Wine 8), so the PE is read instead. */
function checkPe(file: string, binary: Buffer): void {
  const pe = inspectPe(binary);
  if (pe.machine !== PE_MACHINE_AMD64) throw new Error(`${file}: PE machine 0x${pe.machine.toString(16)}, expected x64 (0x8664)`);
  if (pe.subsystem !== PE_SUBSYSTEM_CONSOLE) throw new Error(`${file}: PE subsystem ${pe.subsystem}, expected the console (3)`);
  if (!pe.hasSeaBlobResource) throw new Error(`${file}: has no NODE_SEA_BLOB resource, so Node would find no application in it`);
  if (pe.certificateTableBytes !== 0) throw new Error(`${file}: still carries a ${pe.certificateTableBytes}-byte Authenticode signature that no longer matches it`);
}

/** A plain node carries the fuse ending in ":0"; --build-sea sets it to ":1". */
export function fuseFlipped(binary: Buffer): boolean {
  return binary.includes(`${SEA_FUSE}:1`) && !binary.includes(`${SEA_FUSE}:0`);
}

/** An arm64 Mach-O with the SEA blob in its NODE_SEA segment and a valid ad-hoc signature. */
function checkMachO(file: string, binary: Buffer): string {
  const macho = parseMachO(binary);
  if (macho.cputype !== CPU_TYPE_ARM64) throw new Error(`${file}: Mach-O cputype 0x${macho.cputype.toString(16)}, expected arm64 (0x${CPU_TYPE_ARM64.toString(16)})`);
  if (!findSegment(macho, 'NODE_SEA')?.sections.some((s) => s.name === '__NODE_SEA_BLOB')) throw new Error(`${file}: no NODE_SEA segment with a __NODE_SEA_BLOB section, so it carries no application`);
  const signature = verifyCodeSignature(binary);
  if (!signature.ok) throw new Error(`${file}: the code signature is not valid, so macOS would kill it: ${signature.problems.join('; ')}`);
  if (!((signature.flags ?? 0) & CS_ADHOC)) throw new Error(`${file}: the code signature is not ad hoc (flags 0x${signature.flags?.toString(16)}), yet the build signs nothing else`);
  return `ad-hoc signed as ${signature.identifier} (${signature.codeSlots} pages verified)`;
}

function formatOf(binary: Buffer): 'elf' | 'pe' | 'macho' | 'unknown' {
  if (binary.readUInt32BE(0) === 0x7f454c46) return 'elf';
  if (binary.readUInt16LE(0) === 0x5a4d) return 'pe';
  if (binary.readUInt32LE(0) === 0xfeedfacf) return 'macho';
  return 'unknown';
}
