import { X509Certificate } from 'node:crypto';
import type { IssuedPair } from '../domain/tls/local-ca';
import { spkiSha256 } from '../domain/tls/local-ca';
import type { Permitted } from '../domain/tls/lan-names';
import type { Clock } from '../lib/clock';
import { Secret } from '../lib/secret';
import { open, seal, type Keyring } from '../lib/secret-box';
import { immediate, type Db } from './db';

export type TlsRole = 'ca' | 'server';

/** A stored certificate of the proxy's own HTTPS, without its private key (see `openTlsKey`). */
export interface StoredTlsCertificate {
  role: TlsRole;
  certificatePem: string;
  spkiSha256: string;
  notBefore: string;
  notAfter: string;
  /** The CA's name constraints; undefined for the server certificate. */
  permitted: Permitted | undefined;
  createdAt: string;
}

interface Row {
  role: TlsRole;
  certificate_pem: string;
  spki_sha256: string;
  not_before: string;
  not_after: string;
  permitted: string | null;
  created_at: string;
}

// Never SELECT *: the sealed key stays in the database unless it is asked for.
const COLUMNS = 'role, certificate_pem, spki_sha256, not_before, not_after, permitted, created_at';
// The associated data binds each sealed key to its row, so the server's key cannot pose as the CA's.
const aad = (role: TlsRole) => `tls_certificates:${role}`;

const toStored = (row: Row): StoredTlsCertificate => ({
  role: row.role,
  certificatePem: row.certificate_pem,
  spkiSha256: row.spki_sha256,
  notBefore: row.not_before,
  notAfter: row.not_after,
  permitted: row.permitted === null ? undefined : (JSON.parse(row.permitted) as Permitted),
  createdAt: row.created_at,
});

export function findTlsCertificate(db: Db, role: TlsRole): StoredTlsCertificate | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM tls_certificates WHERE role = ?`).get(role) as Row | undefined;
  return row ? toStored(row) : undefined;
}

/** The private key of the stored `role`, opened; undefined when there is none. */
export function openTlsKey(db: Db, keyring: Keyring, role: TlsRole): Secret | undefined {
  const sealed = db.prepare('SELECT sealed_private_key FROM tls_certificates WHERE role = ?').pluck().get(role) as string | undefined;
  return sealed === undefined ? undefined : new Secret(open(keyring, sealed, aad(role)));
}

/**
 * Stores the CA unless one is stored already, and returns the one that is: when two processes
 * make one at once, the first stays and the other's is dropped (the server certificate is then
 * issued by the CA that stayed).
 */
export function insertCaIfMissing(db: Db, keyring: Keyring, clock: Clock, pair: IssuedPair, permitted: Permitted): StoredTlsCertificate {
  return immediate(db, () => {
    const info = facts(pair);
    db.prepare(
      `INSERT INTO tls_certificates (role, certificate_pem, sealed_private_key, spki_sha256, not_before, not_after, permitted, created_at)
       VALUES ('ca', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(role) DO NOTHING`,
    ).run(pair.certificatePem, seal(keyring, pair.privateKey.reveal(), aad('ca')), info.spki, info.notBefore, info.notAfter, JSON.stringify(permitted), clock.now().toISOString());
    return findTlsCertificate(db, 'ca')!;
  });
}

/** Replaces the CA (`tls renew --new-ca`) and drops the server certificate it no longer vouches for, in one transaction. */
export function replaceCa(db: Db, keyring: Keyring, clock: Clock, pair: IssuedPair, permitted: Permitted): StoredTlsCertificate {
  return immediate(db, () => {
    db.prepare('DELETE FROM tls_certificates').run();
    return insertCaIfMissing(db, keyring, clock, pair, permitted);
  });
}

/** Stores a new server certificate in place of the old one; sealed in the transaction that stores it. */
export function saveServerCertificate(db: Db, keyring: Keyring, clock: Clock, pair: IssuedPair): StoredTlsCertificate {
  return immediate(db, () => {
    const info = facts(pair);
    db.prepare(
      `INSERT INTO tls_certificates (role, certificate_pem, sealed_private_key, spki_sha256, not_before, not_after, permitted, created_at)
       VALUES ('server', ?, ?, ?, ?, ?, NULL, ?)
       ON CONFLICT(role) DO UPDATE SET certificate_pem = excluded.certificate_pem, sealed_private_key = excluded.sealed_private_key, spki_sha256 = excluded.spki_sha256,
         not_before = excluded.not_before, not_after = excluded.not_after, created_at = excluded.created_at`,
    ).run(pair.certificatePem, seal(keyring, pair.privateKey.reveal(), aad('server')), info.spki, info.notBefore, info.notAfter, clock.now().toISOString());
    return findTlsCertificate(db, 'server')!;
  });
}

function facts(pair: IssuedPair): { spki: string; notBefore: string; notAfter: string } {
  const certificate = new X509Certificate(pair.certificatePem);
  return { spki: spkiSha256(certificate), notBefore: certificate.validFromDate.toISOString(), notAfter: certificate.validToDate.toISOString() };
}
