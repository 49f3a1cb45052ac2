import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors';

/** One 256-bit key with the id written beside every ciphertext it makes. */
export interface BoxKey {
  id: string;
  key: Buffer;
}

/** The keys that can open secrets, and the one that seals new ones. */
export interface Keyring {
  active: BoxKey;
  all: ReadonlyMap<string, BoxKey>;
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a secret with AES-256-GCM: a fresh nonce per call, the associated data binding it to
 * its row (so a ciphertext copied into another row does not open), and the key id in front so
 * keys can rotate. Output: `v1.<keyId>.<base64url nonce|ciphertext|tag>`.
 */
export function seal(keyring: Keyring, plaintext: string, associatedData: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.active.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const packed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  return `${VERSION}.${keyring.active.id}.${packed}`;
}

/** Opens a sealed secret; fails with `internal` if the key is missing or anything was altered. */
export function open(keyring: Keyring, sealed: string, associatedData: string): string {
  const [version, keyId, packed] = sealed.split('.');
  if (version !== VERSION || !keyId || !packed) throw new AppError('internal', 'A stored secret is not in a format this version can read.');
  const key = keyring.all.get(keyId);
  if (!key) {
    throw new AppError('unavailable', `A stored secret was sealed with key "${keyId}", which is not in the key file.`, {
      hint: 'Restore the key file that belongs to this database.',
    });
  }
  const bytes = Buffer.from(packed, 'base64url');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new AppError('internal', 'A stored secret is truncated.');
  const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('internal', 'A stored secret failed its integrity check (wrong key, or the row was altered).');
  }
}

/** Parses a key file: one `<id> <base64 key>` per line; the last line seals, all open. */
export function parseKeyring(text: string, source: string): Keyring {
  const keys = new Map<string, BoxKey>();
  let active: BoxKey | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    // A bare base64 key (from an env: or file: reference) gets the id "k0".
    const [id, encoded] = parts.length === 1 ? ['k0', parts[0]!] : [parts[0]!, parts[1]!];
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
      throw new AppError('invalid', `${source}, line ${index + 1}: expected "<id> <32-byte base64 key>".`, { hint: 'Generate a key with `xero-proxy init`.' });
    }
    active = { id, key };
    keys.set(id, active);
  }
  if (!active) throw new AppError('invalid', `${source} holds no key.`, { hint: 'Run `xero-proxy init` to create one.' });
  return { active, all: keys };
}

/** A new random key line for a key file. */
export function newKeyLine(id: string): string {
  return `${id} ${randomBytes(32).toString('base64')}\n`;
}
