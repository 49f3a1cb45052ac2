import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types';
import { writeFileAtomic } from '../lib/atomic-write';
import { AppError } from '../lib/errors';
import { openToOthers } from '../lib/file-modes';
import { newKeyLine, parseKeyring, type Keyring } from '../lib/secret-box';
import { refuseWithoutKey } from './key-check';

export const KEY_FILE_NAME = 'master.key';

/** Where the key file lives when `storage.encryption_key` is not set. */
export function keyFilePath(config: Config): string {
  return join(config.storage.dataDir, KEY_FILE_NAME);
}

/** Where the key comes from, for messages: the key file's path, or `storage.encryption_key`. */
export function keySource(config: Config): string {
  return config.storage.encryptionKey.reveal() === '' ? keyFilePath(config) : 'storage.encryption_key';
}

/**
 * Loads the key that seals secrets: from `storage.encryption_key` (already resolved from an
 * env:/file: reference) or from the key file beside the database. Never invents a key silently:
 * a database sealed with a lost key would be unreadable, so only `init` creates one.
 */
export function loadKeyring(config: Config): Keyring {
  const configured = config.storage.encryptionKey.reveal();
  if (configured !== '') return parseKeyring(configured, 'storage.encryption_key');
  const path = keyFilePath(config);
  if (!existsSync(path)) {
    throw new AppError('invalid', `The encryption key file ${path} does not exist.`, { hint: 'Run `xero-proxy init` to create the data directory and its key.' });
  }
  if (openToOthers(statSync(path).mode)) {
    throw new AppError('invalid', `The key file ${path} can be read by other users (mode ${(statSync(path).mode & 0o777).toString(8)}).`, { hint: `Run: chmod 600 ${path}` });
  }
  return parseKeyring(readFileSync(path, 'utf8'), path);
}

/**
 * Creates the key file (mode 0600) if it is missing; returns whether it was created. Given the
 * database beside it, refuses (`invalid`) when that database already holds sealed values or key
 * checks: a new key could not open them.
 */
export function createKeyFileIfMissing(path: string, besideDatabase?: string): boolean {
  if (existsSync(path)) return false;
  if (besideDatabase !== undefined) refuseWithoutKey(besideDatabase, path);
  writeFileAtomic(path, newKeyLine('k1'), { mode: 0o600, exclusive: true });
  return true;
}
