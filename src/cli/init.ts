import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { databasePath } from '../app';
import { renderExampleConfig } from '../config/example';
import { checkClientId, clientSecretRef, newConfigApp } from '../config/new-install';
import { isOAuth2AppType } from '../config/oauth2';
import { loadConfig } from '../config/load';
import { CONFIG_PATH_ENV, DEFAULT_CONFIG_PATH, envNameFor } from '../config/schema';
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
    .option('--client-id <id>', "the client id of your Xero app (developer.xero.com, My Apps); asked for on a terminal when left out")
    .option('--client-secret-env <name>', 'a web app: the environment variable that will hold its client secret (the config names it, never the secret)')
    .option('--client-secret-file <path>', 'a web app: the owner-only file that holds its client secret (the config names it, never the secret)')
    .option('--json', 'print the result as JSON')
    .action(async (options: InitOptions, command: Command) => {
      const global = command.optsWithGlobals<{ config?: string }>();
      const configPath = resolve(global.config ?? process.env[CONFIG_PATH_ENV] ?? DEFAULT_CONFIG_PATH);
      // A new key beside a sealed database would seal new values with a key that cannot open the
      // old ones, so the database the config names is looked at before anything is written.
      const planned = plannedConfig(configPath);
      if (planned.storage.encryptionKey.reveal() === '') refuseWithoutKey(databasePath(planned), keyFilePath(planned));
      const steps: Step[] = [];
      const notes: string[] = [];
      const xeroApp = xeroAppOptions(options);
      if (existsSync(configPath)) {
        steps.push({ item: 'config', path: configPath, action: 'kept' });
        if (xeroApp.given) notes.push(`${configPath} was kept as it is, so the Xero app options were not used: edit its [xero] section instead.`);
      } else {
        const clientId = xeroApp.clientId ?? (await askClientId(io));
        writeFileAtomic(configPath, renderExampleConfig(newConfigApp(clientId, xeroApp.clientSecretRef)), { mode: 0o600, exclusive: true });
        steps.push({ item: 'config', path: configPath, action: 'created' });
      }
      const config = loadConfig({ path: configPath, env: INIT_ENV() });
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
      notes.push(...nextSteps(config, configPath, xeroApp.clientSecretRef));
      printData(io, Boolean(options.json), { steps, warnings: loose ? [`${dataDir} is readable by other users`] : [], next: notes }, () =>
        [
          table(steps.map((s) => ({ item: s.item, action: s.action, path: s.path })), ['item', 'action', 'path']),
          ...(loose ? [`warning: ${dataDir} is readable by other users; run: chmod 700 ${dataDir}`] : []),
          '',
          ...notes,
        ].join('\n'),
      );
    });
}

/** The config as it will be once `init` has run: the file's, or (before it exists) the example's defaults with the environment's overrides. */
function plannedConfig(configPath: string): Config {
  if (existsSync(configPath)) return loadConfig({ path: configPath, env: INIT_ENV() });
  return loadConfig({ cwd: dirname(configPath), env: { ...INIT_ENV(), [CONFIG_PATH_ENV]: '' } });
}

/**
 * The environment `init` reads the config in. It needs the data directory and the public URL,
 * never the client secret, whose env:NAME or file:PATH is often made after `init` (in the
 * service's environment, by whoever holds the secret): so the secret is not resolved here.
 */
const INIT_ENV = (): NodeJS.ProcessEnv => ({ ...process.env, [envNameFor('xero.client_secret')]: '' });

interface InitOptions {
  clientId?: string;
  clientSecretEnv?: string;
  clientSecretFile?: string;
  json?: boolean;
}

/** The Xero app options as given, checked before anything is written. */
function xeroAppOptions(options: InitOptions): { given: boolean; clientId: string | undefined; clientSecretRef: string | undefined } {
  const file = options.clientSecretFile === undefined ? undefined : resolve(options.clientSecretFile);
  return {
    given: options.clientId !== undefined || options.clientSecretEnv !== undefined || options.clientSecretFile !== undefined,
    clientId: options.clientId === undefined ? undefined : checkClientId(options.clientId),
    clientSecretRef: clientSecretRef({ envName: options.clientSecretEnv, file }),
  };
}

/** Asks a person at a terminal for the client id; a script (no terminal) leaves it for later. */
async function askClientId(io: Io): Promise<string> {
  if (!process.stdin.isTTY) return '';
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    io.err("Your Xero app's client id (developer.xero.com → My Apps → New app, \"Auth code with PKCE\"; Enter to set it later):");
    return checkClientId(await prompt.question('client id: '));
  } finally {
    prompt.close();
  }
}

/** What is left to do before `serve` can link an organisation, in the order to do it. */
function nextSteps(config: Config, configPath: string, secretRef: string | undefined): string[] {
  const { appType, clientId } = config.xero;
  if (!isOAuth2AppType(appType)) {
    return [`${configPath} names an OAuth 1.0a app (app_type = "${appType}"), which cannot reach today's Xero: \`xero-proxy doctor\` says what to choose instead.`];
  }
  const steps: string[] = [];
  if (clientId === '' && appType !== 'custom_connection') {
    steps.push(
      `Next: make an app at developer.xero.com (My Apps → New app → "Auth code with PKCE"), with the redirect URI ${redirectUriOf(config)},`,
      `then set its client id as xero.client_id in ${configPath}.`,
    );
  } else if (clientId === '') {
    steps.push(`Next: set xero.client_id (and xero.client_secret) in ${configPath} to your custom connection's.`);
  } else {
    steps.push(`The Xero app: ${appType}, client id ${clientId}; register the redirect URI ${redirectUriOf(config)} with it.`);
  }
  if (appType === 'oauth2' && secretRef !== undefined) {
    steps.push(secretRef.startsWith('env:') ? `Put its client secret in the environment variable ${secretRef.slice(4)} of whatever runs \`xero-proxy serve\`.` : `Put its client secret alone in ${secretRef.slice(5)}, readable by its owner only (chmod 600).`);
  }
  steps.push('Then run `xero-proxy doctor` and `xero-proxy serve`.');
  return steps;
}

function redirectUriOf(config: Config): string {
  return config.xero.redirectUri || `${config.server.publicUrl}/connect/oauth2/callback`;
}
