import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WINSW_ASSET } from '../../src/service/winsw';
import { registryFile } from './node-binaries';

/**
 * WinSW 1.17 (MIT, CloudBees), the Windows service wrapper `service install` writes beside the
 * Windows executable, as the npm package node-windows 0.1.14 ships it in bin/winsw/winsw.exe.
 *
 * node-windows is not a dependency: npm would install it, and its own dependencies (optimist,
 * with a minimist 0.0.10 that npm audit flags), on every Windows development machine, and record
 * them all in package-lock.json. Only its tarball is needed, so it is pinned here as the lockfile
 * pins the others: the tarball's sha512 (what `npm view node-windows@0.1.14 dist.integrity`
 * says), then the file's own SHA-256, the one src/service/winsw.ts checks again before writing it.
 */
export const WINSW_PACKAGE = {
  name: 'node-windows',
  version: '0.1.14',
  integrity: 'sha512-2sz0i+ckeX/+22Z4KcDVis1ukyGOYZWx2WG9nQYauUwzIxEye5QcMrExkH7OaRSHkwM5bN/jesxsiQqkUb1O/w==',
  path: 'bin/winsw/winsw.exe',
} as const;

/** The path of winsw.exe, fetched and checked: 59,392 bytes with SHA-256 5859b114…df01. */
export async function winswExecutable(): Promise<string> {
  const file = await registryFile(WINSW_PACKAGE.name, WINSW_PACKAGE.path, { version: WINSW_PACKAGE.version, integrity: WINSW_PACKAGE.integrity });
  const bytes = readFileSync(file);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== WINSW_ASSET.sha256 || bytes.length !== WINSW_ASSET.bytes) {
    throw new Error(`${file}: ${bytes.length} bytes with SHA-256 ${digest}, expected WinSW 1.17's ${WINSW_ASSET.bytes} bytes with ${WINSW_ASSET.sha256}`);
  }
  return file;
}
