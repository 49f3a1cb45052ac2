import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load';
import { envNameFor } from '../config/schema';
import { systemClock } from '../lib/clock';
import { restoreBackup, type RestoreResult } from '../services/restore';
import { MAX_PASSPHRASE_LENGTH } from './backup';
import { cliActor } from './context';
import { printData, type Io } from './output';
import { readStdinSecret } from './stdin-secret';

/** `xero-proxy restore FILE [--data-dir DIR]`: puts a backup's database in place, while no server runs there. */
export function registerRestore(program: Command, io: Io): void {
  program
    .command('restore')
    .argument('<file>', 'a backup made by `xero-proxy backup`')
    .description('replace the database with a backup (the server must be stopped); the replaced database is kept beside it')
    .option('--data-dir <dir>', 'restore into this data directory instead of storage.data_dir (e.g. a new one)')
    .option('--passphrase-stdin', 'read the passphrase of a passphrase backup from standard input')
    .option('--key-file <path>', 'the key file (master.key) of the proxy that made a backup sealed with its master key, when it is not this data directory’s')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { dataDir?: string; passphraseStdin?: boolean; keyFile?: string; json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<{ config?: string }>();
      // --data-dir stands for storage.data_dir, resolved where the command runs, like a path typed there.
      const config = loadConfig({ path: global.config, ...(options.dataDir ? { env: { ...process.env, [envNameFor('storage.data_dir')]: resolve(options.dataDir) } } : {}) });
      const passphrase = options.passphraseStdin
        ? await readStdinSecret({ flag: '--passphrase-stdin', what: 'passphrase', maxLength: MAX_PASSPHRASE_LENGTH, hint: 'Pipe it in: printf %s "$PASSPHRASE" | xero-proxy restore FILE --passphrase-stdin' })
        : undefined;
      const result = restoreBackup(config, systemClock, { actor: cliActor(), file: resolve(file), ...(passphrase !== undefined ? { passphrase } : {}), ...(options.keyFile ? { keyFile: resolve(options.keyFile) } : {}) });
      printData(io, Boolean(options.json), result, () => restoreText(result));
    });
}

function restoreText(result: RestoreResult): string {
  return [
    `Restored the backup made ${result.backupCreatedAt} into ${result.database}.`,
    result.keptCopy ? `The database it replaced is kept as ${result.keptCopy}.` : undefined,
    result.keyWritten ? `The master key came from the backup: ${result.keyWritten}. Keep a copy of it apart from the backups.` : `Its secrets are sealed with this data directory's key ${result.keyId}.`,
    `${result.lookedUpFirst} document(s) not yet delivered will be looked up in Xero before they are sent again, so none is doubled; documents accepted after the backup was made are not in it, so apps must send those again.`,
    'Every browser was signed out. Start the server: xero-proxy serve',
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}
