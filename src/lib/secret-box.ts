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
  /**
   * Keys a rotation replaced (`retired` in the key file): they open nothing in the database any
   * more and seal nothing, and are kept only so that backups made before the rotation open.
   */
  retired?: ReadonlyMap<string, BoxKey>;
}

/** One line of a key file. */
export interface KeyFileEntry extends BoxKey {
  retired: boolean;
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
  // Read once: a keyring that follows rotations looks the sealing key up each time.
  const active = keyring.active;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', active.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const packed = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  return `${VERSION}.${active.id}.${packed}`;
}

/** Opens a sealed secret; fails with `internal` if the key is missing or anything was altered. */
export function open(keyring: Keyring, sealed: string, associatedData: string): string {
  const [version, keyId, packed] = sealed.split('.');
  if (version !== VERSION || !keyId || !packed) throw new AppError('internal', 'A stored secret is not in a format this version can read.');
  const key = keyring.all.get(keyId);
  if (!key && keyring.retired?.has(keyId)) {
    throw new AppError('unavailable', `A stored secret was sealed with key "${keyId}", which a key rotation retired.`, {
      hint: 'Run `xero-proxy key rotate` again: it seals every stored secret with the current key.',
    });
  }
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

/**
 * Parses a key file: one `<id> <base64 key>` per line, `retired` after the key on a line a
 * rotation replaced; the last line that is not retired seals, all of those open.
 */
export function parseKeyring(text: string, source: string): Keyring {
  const entries = parseKeyFile(text, source);
  const current = entries.filter((entry) => !entry.retired);
  const active = current.at(-1);
  if (!active) throw new AppError('invalid', `${source} holds no key.`, { hint: 'Run `xero-proxy init` to create one.' });
  const boxKey = ({ id, key }: BoxKey): BoxKey => ({ id, key });
  return {
    active: boxKey(active),
    all: new Map(current.map((entry) => [entry.id, boxKey(entry)])),
    retired: new Map(entries.filter((entry) => entry.retired).map((entry) => [entry.id, boxKey(entry)])),
  };
}

/** The lines of a key file in order, retired ones included; refuses a malformed line or an id used twice. */
export function parseKeyFile(text: string, source: string): KeyFileEntry[] {
  const entries: KeyFileEntry[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    // A bare base64 key (from an env: or file: reference) gets the id "k0".
    const [id, encoded, mark] = parts.length === 1 ? ['k0', parts[0]!, undefined] : [parts[0]!, parts[1]!, parts[2]];
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || parts.length > 3 || (mark !== undefined && mark !== 'retired')) {
      throw new AppError('invalid', `${source}, line ${index + 1}: expected "<id> <32-byte base64 key>".`, { hint: 'Generate a key with `xero-proxy init`.' });
    }
    if (entries.some((entry) => entry.id === id)) throw new AppError('invalid', `${source}, line ${index + 1}: the key id ${id} is used twice.`, { hint: 'Each line needs its own id; restore the key file from a backup.' });
    entries.push({ id, key, retired: mark === 'retired' });
  }
  return entries;
}

/** A key file's text for `entries`, in order: what `parseKeyFile` reads back. */
export function formatKeyFile(entries: readonly KeyFileEntry[]): string {
  return entries.map((entry) => `${entry.id} ${entry.key.toString('base64')}${entry.retired ? ' retired' : ''}\n`).join('');
}

/** A new random key line for a key file. */
export function newKeyLine(id: string): string {
  return `${id} ${randomBytes(32).toString('base64')}\n`;
}
