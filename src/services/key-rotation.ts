import { randomBytes } from 'node:crypto';
import { openStore } from '../app';
import type { Config } from '../config/types';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { KeyFileEntry, Keyring } from '../lib/secret-box';
import { immediate, type Db } from '../store/db';
import { recordAudit, type Actor } from './audit';
import { keepOnlyCheckOf } from '../store/key-check';
import { findSealingKeyId, recordKeyStates, retiredKeyIds } from '../store/key-states';
import { keyFilePath, readKeyFile, writeKeyFile } from '../store/keyring';
import { resealAll } from '../store/sealed-values';

/**
 * The points of a rotation, in order; a test stops the process at each to prove it crash-safe:
 * the new key is in the key file (`key-added`), every secret is sealed with it but not yet
 * committed (`resealed`), the switch is committed (`committed`), the old keys are marked retired
 * in the key file (`retired`).
 */
export const ROTATION_STEPS = ['key-added', 'resealed', 'committed', 'retired'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotationResult {
  /** The key that seals from now on. */
  keyId: string;
  /** The keys it replaced, now retired: they open only backups made before. */
  retired: string[];
  /** Stored secrets sealed again. */
  resealed: number;
  /** An earlier rotation had stopped half-way (the key file held its new key); this one finished it. */
  finished: boolean;
}

/**
 * `xero-proxy key rotate`: a new master key, beside a running server. The new key goes into the
 * key file first (the old ones stay), then one transaction seals every stored secret with it and
 * records it as the key that seals, then the old keys are marked retired in the key file. A crash
 * at any point leaves every secret readable: before the commit nothing in the database changed
 * and the file holds both keys; after it the database needs only the new key. Run again, it
 * finishes a rotation that stopped half-way. A running server seals with the key the database
 * records (read in its own transaction) and reads a key it does not know from the key file, so
 * nothing is sealed with an old key once the switch commits. The key file changes only while the
 * database's write lock is held, so two rotations never interleave.
 */
export function rotateMasterKey(config: Config, clock: Clock, options: { actor: Actor; onStep?: (step: RotationStep) => void }): RotationResult {
  if (config.storage.encryptionKey.reveal() !== '') {
    throw new AppError('invalid', 'storage.encryption_key is set, so there is no key file for `key rotate` to change.', {
      field: 'storage.encryption_key',
      hint: 'Empty storage.encryption_key and put its key in data_dir/master.key as the line "k0 <base64 key>", then run `xero-proxy key rotate`.',
    });
  }
  const step = options.onStep ?? (() => {});
  const path = keyFilePath(config);
  const { db } = openStore(config, clock);
  try {
    const result = immediate(db, () => {
      const entries = readKeyFile(path);
      const current = entries.filter((entry) => !entry.retired);
      // Two keys not retired: a rotation wrote its key and stopped before retiring the old one.
      const finished = current.length >= 2;
      const target: KeyFileEntry = finished ? current.at(-1)! : { id: nextKeyId(db, entries), key: randomBytes(32), retired: false };
      if (!finished) writeKeyFile(path, [...entries, target]);
      step('key-added');
      const everyKey: Keyring = { active: target, all: new Map([...entries, target].map((entry) => [entry.id, entry])) };
      const resealed = resealAll(db, everyKey, target);
      keepOnlyCheckOf(db, target, clock);
      const retired = [...new Set([...entries.map((entry) => entry.id), ...retiredKeyIds(db)])].filter((id) => id !== target.id).sort();
      recordKeyStates(db, clock, target.id, retired);
      recordAudit({ db, clock }, { actor: options.actor, action: 'key.rotated', subject: target.id, changes: { keyId: target.id, retired, resealed } });
      step('resealed');
      return { keyId: target.id, retired, resealed, finished };
    });
    step('committed');
    retireReplacedKeys(db, path);
    step('retired');
    return result;
  } finally {
    db.close();
  }
}

/**
 * Marks every key of the key file but the one the database seals with as retired, that one last.
 * Under the write lock, like every change of the key file, so a rotation starting meanwhile
 * cannot lose its new key to this rewrite.
 */
function retireReplacedKeys(db: Db, path: string): void {
  immediate(db, () => {
    const sealing = findSealingKeyId(db);
    const entries = readKeyFile(path);
    const active = entries.find((entry) => entry.id === sealing);
    if (!active) return;
    const next = [...entries.filter((entry) => entry.id !== sealing).map((entry) => ({ ...entry, retired: true })), { ...active, retired: false }];
    if (next.some((entry, index) => entry.id !== entries[index]!.id || entry.retired !== entries[index]!.retired)) writeKeyFile(path, next);
  });
}

/** `k<n>` one past the highest number any key of the file or the database was given. */
function nextKeyId(db: Db, entries: readonly KeyFileEntry[]): string {
  const known = [...entries.map((entry) => entry.id), ...retiredKeyIds(db), findSealingKeyId(db) ?? ''];
  const highest = Math.max(0, ...known.map((id) => /^k(\d+)$/.exec(id)).filter((match) => match !== null).map((match) => Number(match![1])));
  return `k${highest + 1}`;
}
