import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors';

/**
 * A backup file: `XERO-PROXY-BACKUP\n`, the length of a JSON header (4 bytes, big-endian), the
 * header, then one AES-256-GCM message (12-byte nonce, ciphertext, 16-byte tag) whose associated
 * data is everything before it, so the header cannot be altered either. The plaintext is the key
 * file's length (4 bytes), the key file (passphrase backups only) and the database image. One
 * message, not chunks: the proxy's databases are megabytes, and restoring reads it whole anyway.
 */
const MAGIC = Buffer.from('XERO-PROXY-BACKUP\n', 'utf8');
const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const INFO = Buffer.from('xero-proxy backup v1', 'utf8');

/** The scrypt cost of a passphrase: about a second here, as for the administrator password. */
export const BACKUP_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

/** How the backup's key was made: from a master key named by its id, or from a passphrase. */
export type BackupKeyHeader =
  | { mode: 'master-key'; keyId: string; salt: string; check: string }
  | { mode: 'passphrase'; kdf: 'scrypt'; N: number; r: number; p: number; salt: string; check: string };

/** What the header says in clear: enough to tell what the file is and what opens it. */
export interface BackupHeader {
  format: number;
  createdAt: string;
  proxyVersion: string;
  /** The newest migration of the database inside. */
  schema: number;
  key: BackupKeyHeader;
}

/** What seals a backup: the master key that seals the database (with its id), or a passphrase. */
export type BackupSecret = { mode: 'master-key'; keyId: string; key: Buffer } | { mode: 'passphrase'; passphrase: string; cost?: { N: number; r: number; p: number } };

export interface BackupContent {
  image: Buffer;
  /** The key file's text: carried by passphrase backups, so that one file restores everything. */
  keyFile?: string;
}

/** Encrypts a database image (and, with a passphrase, the key file) into a backup file's bytes. */
export function sealBackup(about: Pick<BackupHeader, 'createdAt' | 'proxyVersion' | 'schema'>, content: BackupContent, secret: BackupSecret): Buffer {
  const salt = randomBytes(16);
  const cost = secret.mode === 'passphrase' ? (secret.cost ?? BACKUP_SCRYPT) : undefined;
  const { encryption, check } = derive(secret, salt, cost);
  const key: BackupKeyHeader =
    secret.mode === 'master-key'
      ? { mode: 'master-key', keyId: secret.keyId, salt: salt.toString('base64'), check: check.toString('hex') }
      : { mode: 'passphrase', kdf: 'scrypt', ...cost!, salt: salt.toString('base64'), check: check.toString('hex') };
  const headerBytes = Buffer.from(JSON.stringify({ format: FORMAT, ...about, key } satisfies BackupHeader), 'utf8');
  const prefix = Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes]);
  const keyFile = Buffer.from(content.keyFile ?? '', 'utf8');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryption, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(prefix);
  const body = Buffer.concat([cipher.update(u32(keyFile.length)), cipher.update(keyFile), cipher.update(content.image), cipher.final()]);
  return Buffer.concat([prefix, nonce, body, cipher.getAuthTag()]);
}

/** Reads the clear header of a backup file; `invalid` when the bytes are not one this version reads. */
export function readBackupHeader(bytes: Buffer, name: string): { header: BackupHeader; prefixLength: number } {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AppError('invalid', `${name} is not a xero-proxy backup.`, { hint: 'Name a file made by `xero-proxy backup` (xero-proxy-<time>.backup).' });
  }
  const length = bytes.readUInt32BE(MAGIC.length);
  const end = MAGIC.length + 4 + length;
  let header: BackupHeader;
  try {
    if (end + NONCE_BYTES + TAG_BYTES > bytes.length) throw new Error('short');
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, end).toString('utf8')) as BackupHeader;
  } catch {
    throw new AppError('invalid', `${name} is cut short or damaged: its header cannot be read.`, { hint: 'Use another backup; copy backups whole (a copy stopped half-way is shorter than the original).' });
  }
  if (header.format !== FORMAT) throw new AppError('invalid', `${name} is a backup of format ${header.format}, made by xero-proxy ${header.proxyVersion}; this version reads format ${FORMAT}.`, { hint: `Restore it with xero-proxy ${header.proxyVersion} or newer.` });
  return { header, prefixLength: end };
}

/** Whether a master key is the one a `master-key` backup was sealed with (cheap: no decryption). */
export function backupKeyMatches(header: BackupHeader, secret: Buffer): boolean {
  const { check } = derive(secretOf(header, secret), Buffer.from(header.key.salt, 'base64'), header.key.mode === 'passphrase' ? header.key : undefined);
  const stored = Buffer.from(header.key.check, 'hex');
  return stored.length === check.length && timingSafeEqual(stored, check);
}

/**
 * Decrypts a backup with the master key (for `master-key` backups) or the passphrase; `invalid`
 * when the secret is not the one it was made with, or the file was altered or cut short.
 */
export function openBackup(bytes: Buffer, name: string, secret: Buffer | string): { header: BackupHeader } & Required<BackupContent> {
  const { header, prefixLength } = readBackupHeader(bytes, name);
  const { encryption, check } = derive(secretOf(header, secret), Buffer.from(header.key.salt, 'base64'), header.key.mode === 'passphrase' ? header.key : undefined);
  const stored = Buffer.from(header.key.check, 'hex');
  if (stored.length !== check.length || !timingSafeEqual(stored, check)) {
    throw new AppError('invalid', header.key.mode === 'passphrase' ? `The passphrase is not the one ${name} was made with.` : `${name} was made with another master key ${header.key.keyId} than this one.`, {
      hint: header.key.mode === 'passphrase' ? 'Type the passphrase given to `xero-proxy backup --passphrase-stdin`.' : 'Give the key file of the proxy that made it with --key-file, or restore a passphrase backup.',
    });
  }
  const nonce = bytes.subarray(prefixLength, prefixLength + NONCE_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', encryption, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(bytes.subarray(0, prefixLength));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(bytes.subarray(prefixLength + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new AppError('invalid', `${name} is damaged or was altered: it fails its integrity check.`, { hint: 'Use another backup; nothing was restored.' });
  }
  const keyLength = plain.readUInt32BE(0);
  return { header, keyFile: plain.subarray(4, 4 + keyLength).toString('utf8'), image: plain.subarray(4 + keyLength) };
}

function secretOf(header: BackupHeader, secret: Buffer | string): BackupSecret {
  return header.key.mode === 'master-key' ? { mode: 'master-key', keyId: header.key.keyId, key: Buffer.isBuffer(secret) ? secret : Buffer.alloc(0) } : { mode: 'passphrase', passphrase: String(secret) };
}

/** 64 bytes from the master key (HKDF-SHA256) or the passphrase (scrypt): the AES key, then a check that reveals nothing of it. */
function derive(secret: BackupSecret, salt: Buffer, cost: { N: number; r: number; p: number } | undefined): { encryption: Buffer; check: Buffer } {
  let bytes: Buffer;
  try {
    bytes =
      secret.mode === 'master-key'
        ? Buffer.from(hkdfSync('sha256', secret.key, salt, INFO, 64))
        : scryptSync(secret.passphrase.normalize('NFC'), Buffer.concat([INFO, salt]), 64, { N: cost!.N, r: cost!.r, p: cost!.p, maxmem: 256 * 1024 * 1024 });
  } catch {
    // Only a damaged header gets here: a cost out of scrypt's range, or no key at all.
    throw new AppError('invalid', 'The backup names a key derivation this version cannot perform; the file is damaged.', { hint: 'Use another backup; nothing was restored.' });
  }
  return { encryption: bytes.subarray(0, 32), check: bytes.subarray(32, 48) };
}

function u32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
}
