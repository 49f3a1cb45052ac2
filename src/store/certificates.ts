import type { KeyPair } from '../domain/certificates';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { Secret } from '../lib/secret';
import { open, seal, type Keyring } from '../lib/secret-box';
import { immediate, type Db } from './db';

export type CertificateState = 'active' | 'pending' | 'retired';

/** A stored certificate without its private key, which only `load…SigningKey` opens. */
export interface StoredCertificate {
  id: string;
  state: CertificateState;
  subject: string;
  fingerprintSha1: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  certificatePem: string;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
}

interface CertificateRow {
  id: string;
  state: CertificateState;
  subject: string;
  fingerprint_sha1: string;
  fingerprint_sha256: string;
  not_before: string;
  not_after: string;
  certificate_pem: string;
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
}

// Never SELECT *: the sealed key stays in the database unless a signing key is asked for.
const COLUMNS = 'id, state, subject, fingerprint_sha1, fingerprint_sha256, not_before, not_after, certificate_pem, created_at, activated_at, retired_at';
// The associated data binds each sealed key to its row, so a key copied into another row does not open.
const aad = (id: string) => `certificates:${id}`;

const toCertificate = (row: CertificateRow): StoredCertificate => ({
  id: row.id,
  state: row.state,
  subject: row.subject,
  fingerprintSha1: row.fingerprint_sha1,
  fingerprintSha256: row.fingerprint_sha256,
  notBefore: row.not_before,
  notAfter: row.not_after,
  certificatePem: row.certificate_pem,
  createdAt: row.created_at,
  activatedAt: row.activated_at,
  retiredAt: row.retired_at,
});

/**
 * Stores a key pair as `active` (the first one) or `pending` (beside the active one, until
 * proven at Xero), its private key sealed. The unique indexes refuse a second active or pending
 * pair and a certificate stored before; each becomes a `conflict` with what to do instead.
 */
export function insertCertificate(db: Db, keyring: Keyring, clock: Clock, state: 'active' | 'pending', pair: KeyPair): StoredCertificate {
  const id = newId('crt');
  const now = clock.now().toISOString();
  const { info } = pair;
  return immediate(db, () => {
    const sameCertificate = db.prepare('SELECT id, state FROM certificates WHERE fingerprint_sha256 = ?').get(info.fingerprintSha256) as { id: string; state: string } | undefined;
    if (sameCertificate) throw new AppError('conflict', `This certificate is already stored as ${sameCertificate.id} (${sameCertificate.state}).`, { hint: 'List certificates with `xero-proxy cert list`.' });
    const taken = db.prepare('SELECT id FROM certificates WHERE state = ?').get(state) as { id: string } | undefined;
    if (taken) {
      throw new AppError('conflict', `There is already ${state === 'active' ? 'an active' : 'a pending'} certificate (${taken.id}).`, {
        hint: state === 'active' ? 'Use `xero-proxy cert rotate` to add a new pair beside it.' : 'Activate it with `xero-proxy cert activate`, or wait: only one pair can be pending.',
      });
    }
    db.prepare(
      `INSERT INTO certificates (id, state, subject, fingerprint_sha1, fingerprint_sha256, not_before, not_after, certificate_pem, sealed_private_key, created_at, activated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, state, info.subject, info.fingerprintSha1, info.fingerprintSha256, info.notBefore, info.notAfter, info.certificatePem, seal(keyring, pair.privateKey.reveal(), aad(id)), now, state === 'active' ? now : null);
    return getCertificate(db, id);
  });
}

export function findCertificate(db: Db, id: string): StoredCertificate | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE id = ?`).get(id) as CertificateRow | undefined;
  return row ? toCertificate(row) : undefined;
}

export function getCertificate(db: Db, id: string): StoredCertificate {
  const found = findCertificate(db, id);
  if (!found) throw new AppError('not_found', `No certificate has the id ${id}.`, { hint: 'List certificates with `xero-proxy cert list`.' });
  return found;
}

/** The pair the proxy signs with now, if any. */
export function findActiveCertificate(db: Db): StoredCertificate | undefined {
  return findByState(db, 'active');
}

/** The pair waiting for `cert activate`, if any. */
export function findPendingCertificate(db: Db): StoredCertificate | undefined {
  return findByState(db, 'pending');
}

/** Every pair: active first, then pending, then retired, newest first within each. */
export function listCertificates(db: Db): StoredCertificate[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM certificates ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, created_at DESC, id`).all() as CertificateRow[];
  return rows.map(toCertificate);
}

/**
 * Makes the pending pair active and retires the old active pair, in one transaction, so there is
 * never a moment without a signing key. `pendingId` must still be the pending pair: the one that
 * was proven at Xero, not one another process put there meanwhile.
 */
export function activatePendingCertificate(db: Db, clock: Clock, pendingId: string): { activated: StoredCertificate; retired: StoredCertificate | undefined } {
  const now = clock.now().toISOString();
  return immediate(db, () => {
    const pending = findPendingCertificate(db);
    if (!pending || pending.id !== pendingId) {
      throw new AppError('conflict', `The certificate ${pendingId} is no longer the pending one; nothing was changed.`, { hint: 'Check with `xero-proxy cert list` and try again.' });
    }
    const active = findActiveCertificate(db);
    // Retire first: the partial unique index allows only one active row at any instant.
    if (active) db.prepare("UPDATE certificates SET state = 'retired', retired_at = ? WHERE id = ?").run(now, active.id);
    db.prepare("UPDATE certificates SET state = 'active', activated_at = ? WHERE id = ?").run(now, pending.id);
    return { activated: getCertificate(db, pending.id), retired: active ? getCertificate(db, active.id) : undefined };
  });
}

/** Retires a pending pair that will never be activated (lost, expired, or never uploaded). */
export function retirePendingCertificate(db: Db, clock: Clock, pendingId: string): void {
  const changed = db.prepare("UPDATE certificates SET state = 'retired', retired_at = ? WHERE id = ? AND state = 'pending'").run(clock.now().toISOString(), pendingId).changes;
  if (changed === 0) throw new AppError('conflict', `The certificate ${pendingId} is no longer the pending one; nothing was changed.`, { hint: 'Check with `xero-proxy cert list` and try again.' });
}

/** Opens the private key (PKCS#8 PEM) of one stored pair. */
export function loadSigningKey(db: Db, keyring: Keyring, id: string): Secret {
  const row = db.prepare('SELECT sealed_private_key FROM certificates WHERE id = ?').get(id) as { sealed_private_key: string } | undefined;
  if (!row) throw new AppError('not_found', `No certificate has the id ${id}.`);
  return new Secret(open(keyring, row.sealed_private_key, aad(id)));
}

/** The active pair's private key, or `undefined` when no pair is active. */
export function loadActiveSigningKey(db: Db, keyring: Keyring): Secret | undefined {
  const active = findActiveCertificate(db);
  return active ? loadSigningKey(db, keyring, active.id) : undefined;
}

function findByState(db: Db, state: CertificateState): StoredCertificate | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE state = ?`).get(state) as CertificateRow | undefined;
  return row ? toCertificate(row) : undefined;
}
