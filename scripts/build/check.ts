import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  if (target !== hostTarget()) return `${format}, structure checked`;
  const report = JSON.parse(execFileSync(file, ['--version', '--json'], { cwd: '/', encoding: 'utf8' })) as { version: string; node: string; sqlite: string };
  if (report.version !== version) throw new Error(`${file} --version --json says version ${report.version}, expected ${version}`);
  if (!report.node.startsWith('26.') && !report.node.startsWith('v26.')) throw new Error(`${file} runs on Node ${report.node}, expected 26`);
  return `ran: version ${report.version}, Node ${report.node}, SQLite ${report.sqlite}`;
}

/** A plain node carries the fuse ending in ":0"; --build-sea sets it to ":1". */
export function fuseFlipped(binary: Buffer): boolean {
  return binary.includes(`${SEA_FUSE}:1`) && !binary.includes(`${SEA_FUSE}:0`);
}

function formatOf(binary: Buffer): 'elf' | 'pe' | 'macho' | 'unknown' {
  if (binary.readUInt32BE(0) === 0x7f454c46) return 'elf';
  if (binary.readUInt16LE(0) === 0x5a4d) return 'pe';
  if (binary.readUInt32LE(0) === 0xfeedfacf) return 'macho';
  return 'unknown';
}
