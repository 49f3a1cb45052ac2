import { probe } from './run-plan';

/**
 * Whether this process may change the system's services: root on Linux and macOS; on Windows an
 * elevated Administrator, which `fltmc` (and `net session`) answer with exit 0 only.
 */
export function isAdministrator(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return probe(['fltmc']).status === 0 || probe(['net', 'session']).status === 0;
  return process.getuid?.() === 0;
}
