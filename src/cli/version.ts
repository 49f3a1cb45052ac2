import { CommanderError, type Command } from 'commander';
import { sqliteVersion } from '../store/db';
import { VERSION } from '../version';
import type { Io } from './output';

/** What `--version --json` prints: enough to say which build, runtime and SQLite a report came from. */
export interface VersionReport {
  version: string;
  node: string;
  sqlite: string;
  platform: string;
  arch: string;
}

export function versionReport(): VersionReport {
  return { version: VERSION, node: process.versions.node, sqlite: sqliteVersion(), platform: process.platform, arch: process.arch };
}

/**
 * `-V, --version`: the version alone, or with `--json` anywhere on the line the report as JSON.
 * Commander's own version option cannot see `--json`, which belongs to the subcommands, so the
 * arguments are read as given.
 * @example xero-proxy --version --json
 */
export function registerVersion(program: Command, io: Io, argv: readonly string[]): void {
  program.option('-V, --version', 'print the version (with --json: also Node.js, SQLite and the platform)');
  program.on('option:version', () => {
    io.out(argv.includes('--json') ? JSON.stringify(versionReport(), null, 2) : VERSION);
    // Ends the parse the way commander's own --version does under exitOverride.
    throw new CommanderError(0, 'commander.version', VERSION);
  });
}
