import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { databasePath } from '../app';
import { renderExampleConfig } from '../config/example';
import { loadConfig } from '../config/load';
import { CONFIG_PATH_ENV, DEFAULT_CONFIG_PATH } from '../config/schema';
import type { Config } from '../config/types';
import { writeFileAtomic } from '../lib/atomic-write';
import { openToOthers } from '../lib/file-modes';
import { refuseWithoutKey } from '../store/key-check';
import { createKeyFileIfMissing, keyFilePath } from '../store/keyring';
import { printData, table, type Io } from './output';

interface Step {
  item: string;
  path: string;
  action: 'created' | 'kept';
}

/**
 * `xero-proxy init`: creates what is missing (config, data directory, key) and never overwrites.
 * Never makes a key beside a database that holds sealed values: it refuses before creating anything.
 */
export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description('create the config file, the data directory and the encryption key, keeping whatever exists')
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<{ config?: string }>();
      const configPath = resolve(global.config ?? process.env[CONFIG_PATH_ENV] ?? DEFAULT_CONFIG_PATH);
      // A new key beside a sealed database would seal new values with a key that cannot open the
      // old ones, so the database the config names is looked at before anything is written.
      const planned = plannedConfig(configPath);
      if (planned.storage.encryptionKey.reveal() === '') refuseWithoutKey(databasePath(planned), keyFilePath(planned));
      const steps: Step[] = [];
      if (existsSync(configPath)) steps.push({ item: 'config', path: configPath, action: 'kept' });
      else {
        writeFileAtomic(configPath, renderExampleConfig(), { mode: 0o600, exclusive: true });
        steps.push({ item: 'config', path: configPath, action: 'created' });
      }
      const config = loadConfig({ path: configPath });
      const dataDir = config.storage.dataDir;
      if (existsSync(dataDir)) steps.push({ item: 'data directory', path: dataDir, action: 'kept' });
      else {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        // mkdir's mode is filtered by the umask; the data directory must be owner-only whatever it is.
        chmodSync(dataDir, 0o700);
        steps.push({ item: 'data directory', path: dataDir, action: 'created' });
      }
      if (config.storage.encryptionKey.reveal() === '') {
        const keyPath = keyFilePath(config);
        steps.push({ item: 'encryption key', path: keyPath, action: createKeyFileIfMissing(keyPath, databasePath(config)) ? 'created' : 'kept' });
      }
      const loose = openToOthers(statSync(dataDir).mode);
      printData(io, Boolean(options.json), { steps, warnings: loose ? [`${dataDir} is readable by other users`] : [] }, () =>
        [
          table(steps.map((s) => ({ item: s.item, action: s.action, path: s.path })), ['item', 'action', 'path']),
          ...(loose ? [`warning: ${dataDir} is readable by other users; run: chmod 700 ${dataDir}`] : []),
          '',
          `Next: edit ${configPath}, then run \`xero-proxy doctor\` and \`xero-proxy serve\`.`,
        ].join('\n'),
      );
    });
}

/** The config as it will be once `init` has run: the file's, or (before it exists) the example's defaults with the environment's overrides. */
function plannedConfig(configPath: string): Config {
  if (existsSync(configPath)) return loadConfig({ path: configPath });
  return loadConfig({ cwd: dirname(configPath), env: { ...process.env, [CONFIG_PATH_ENV]: '' } });
}
