import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types';
import { writeFileAtomic } from '../lib/atomic-write';
import { AppError } from '../lib/errors';
import { openToOthers } from '../lib/file-modes';
import { formatKeyFile, newKeyLine, parseKeyFile, parseKeyring, type BoxKey, type KeyFileEntry, type Keyring } from '../lib/secret-box';
import type { Db } from './db';
import { refuseWithoutKey } from './key-check';
import { findSealingKeyId } from './key-states';

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
  return parseKeyring(readKeyFileText(path), path);
}

/** The key file's lines, retired ones included (for `key rotate` and backups). */
export function readKeyFile(path: string): KeyFileEntry[] {
  return parseKeyFile(readKeyFileText(path), path);
}

/** Replaces (or with `exclusive`, only creates) the key file at once (temporary file, fsync, rename), owner-only. */
export function writeKeyFile(path: string, entries: readonly KeyFileEntry[], options: { exclusive?: boolean } = {}): void {
  writeFileAtomic(path, `${KEY_FILE_HEADER}${formatKeyFile(entries)}`, { mode: 0o600, ...options });
}

const KEY_FILE_HEADER = '# xero-proxy master key: "<id> <base64 key>" per line; the last line not marked retired seals.\n# Retired keys open only backups made before `xero-proxy key rotate` replaced them.\n';

function readKeyFileText(path: string): string {
  if (!existsSync(path)) {
    throw new AppError('invalid', `The encryption key file ${path} does not exist.`, { hint: 'Run `xero-proxy init` to create the data directory and its key.' });
  }
  if (openToOthers(statSync(path).mode)) {
    throw new AppError('invalid', `The key file ${path} can be read by other users (mode ${(statSync(path).mode & 0o777).toString(8)}).`, { hint: `Run: chmod 600 ${path}` });
  }
  return readFileSync(path, 'utf8');
}

/**
 * The keyring a process holds beside its database connection, which follows a `key rotate` run
 * by another process while it works. The key that seals is the one the database records
 * (`key_states`), read inside the sealing transaction, so no value is ever sealed with a key a
 * rotation has just replaced; a key this process has not seen yet (the rotation added it to the
 * key file first) is read from the key file when it is first needed, to seal or to open.
 */
export class LiveKeyring implements Keyring {
  #loaded: Keyring;
  readonly #keys: ReloadingKeys;

  constructor(
    private readonly config: Config,
    private readonly db: Db,
    initial: Keyring = loadKeyring(config),
  ) {
    this.#loaded = initial;
    this.#keys = new ReloadingKeys(initial.all, () => this.reload());
  }

  /** The key that seals; only inside a transaction, which is what makes reading it and sealing with it one step. */
  get active(): BoxKey {
    if (!this.db.inTransaction) throw new AppError('internal', 'A secret was sealed outside a transaction, where a key rotation could replace its key before it is stored.');
    return this.sealingKey();
  }

  get all(): ReadonlyMap<string, BoxKey> {
    return this.#keys;
  }

  get retired(): ReadonlyMap<string, BoxKey> {
    return this.#loaded.retired ?? new Map();
  }

  /** The key that seals now, for messages (`doctor`); seal inside a transaction instead of reading this. */
  sealingKey(): BoxKey {
    const id = findSealingKeyId(this.db);
    if (id === undefined) return this.#loaded.active;
    const key = this.#keys.get(id);
    if (!key) {
      throw new AppError('unavailable', `The database seals with key ${id}, which is not in ${keySource(this.config)}.`, {
        hint: 'Restore the key file that belongs to this database, or a backup of it.',
      });
    }
    return key;
  }

  /** Reads the key file again; the keys already known stay, in case the file is mid-replacement. */
  reload(): void {
    try {
      this.#loaded = loadKeyring(this.config);
    } catch {
      return;
    }
    this.#keys.replace(this.#loaded.all);
  }
}

/** The keys that open, looked up again in the key file when an id is not among them. */
class ReloadingKeys extends Map<string, BoxKey> {
  #reloading = false;
  constructor(
    initial: ReadonlyMap<string, BoxKey>,
    private readonly onMiss: () => void,
  ) {
    super(initial);
  }

  override get(id: string): BoxKey | undefined {
    if (!super.has(id)) this.#miss();
    return super.get(id);
  }

  override has(id: string): boolean {
    if (!super.has(id)) this.#miss();
    return super.has(id);
  }

  replace(keys: ReadonlyMap<string, BoxKey>): void {
    for (const [id, key] of keys) super.set(id, key);
  }

  #miss(): void {
    if (this.#reloading) return;
    this.#reloading = true;
    try {
      this.onMiss();
    } finally {
      this.#reloading = false;
    }
  }
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
