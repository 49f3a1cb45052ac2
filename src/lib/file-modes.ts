/**
 * Whether a file's POSIX mode lets users other than its owner read it. Windows has no such bits:
 * Node reports 0o666 (0o444 when read-only) for every file there, and who may read one is
 * decided by its access list instead, which `service install` sets on the data directory
 * (SYSTEM and Administrators only). So on Windows the mode says nothing and is not held against a file.
 */
export function openToOthers(mode: number, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32' && (mode & 0o077) !== 0;
}
