import { resolve } from 'node:path';
import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { createBackup, MIN_PASSPHRASE_LENGTH, type BackupRecord } from '../services/backup';
import { keySource } from '../store/keyring';
import { withStore } from './context';
import { printData, type Io } from './output';
import { readStdinSecret } from './stdin-secret';

export const PASSPHRASE_HINT = 'In scripts, pipe it in: printf %s "$PASSPHRASE" | xero-proxy backup --passphrase-stdin';
// Long enough for any passphrase; short enough that reading it cannot be made expensive.
export const MAX_PASSPHRASE_LENGTH = 1024;

/** `xero-proxy backup [--out FILE] [--passphrase-stdin]`: a consistent, encrypted copy of the database, beside a running server. */
export function registerBackup(program: Command, io: Io): void {
  program
    .command('backup')
    .description('write an encrypted backup of the database; the server may keep running')
    .option('--out <file>', 'where to write it (default: backup.dir/xero-proxy-<time>.backup)')
    .option('--passphrase-stdin', `seal it with a passphrase read from standard input (at least ${MIN_PASSPHRASE_LENGTH} characters); it then carries the master key and restores on its own`)
    .option('--json', 'print the result as JSON')
    .action(async (options: { out?: string; passphraseStdin?: boolean; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const passphrase = options.passphraseStdin ? await readStdinSecret({ flag: '--passphrase-stdin', what: 'passphrase', maxLength: MAX_PASSPHRASE_LENGTH, hint: PASSPHRASE_HINT }) : undefined;
        const record = createBackup(
          { ...store, logger: silentLogger },
          { actor: store.actor, ...(options.out ? { out: resolve(options.out) } : {}), ...(passphrase !== undefined ? { passphrase } : {}) },
        );
        printData(io, Boolean(options.json), record, () => backupText(record, keySource(store.config)));
      });
    });
}

function backupText(record: BackupRecord, keySource: string): string {
  const size = record.bytes >= 1024 * 1024 ? `${(record.bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(record.bytes / 1024)} KiB`;
  const opens =
    record.keyMode === 'passphrase'
      ? 'It is sealed with your passphrase and carries the master key: with the passphrase it restores everything on its own.'
      : `It is sealed with a key derived from the master key (${keySource}): keep a copy of that file apart from the backups; without it this backup cannot be restored.`;
  return `Backup written: ${record.file} (${size}).\n${opens}`;
}
