import { X509Certificate } from 'node:crypto';
import type { Db } from '../../store/db';

export type AppType = 'private' | 'public' | 'partner';

/** An app registered with the sandbox, as Xero's developer portal held it. */
export interface SandboxApp {
  consumerKey: string;
  type: AppType;
  name: string;
  consumerSecret: string;
  /** The X.509 certificate private and partner apps sign against; undefined for public apps. */
  certificatePem: string | undefined;
  /** A private app's one organisation; undefined for public and partner apps. */
  organisationId: string | undefined;
  createdAt: string;
}

interface AppRow {
  consumer_key: string;
  app_type: AppType;
  name: string;
  consumer_secret: string;
  certificate_pem: string | null;
  organisation_id: string | null;
  created_at: string;
}

const fromRow = (row: AppRow): SandboxApp => ({
  consumerKey: row.consumer_key,
  type: row.app_type,
  name: row.name,
  consumerSecret: row.consumer_secret,
  certificatePem: row.certificate_pem ?? undefined,
  organisationId: row.organisation_id ?? undefined,
  createdAt: row.created_at,
});

export function insertApp(db: Db, app: SandboxApp): void {
  db.prepare(
    'INSERT INTO apps (consumer_key, app_type, name, consumer_secret, certificate_pem, organisation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(app.consumerKey, app.type, app.name, app.consumerSecret, app.certificatePem ?? null, app.organisationId ?? null, app.createdAt);
}

/** Replaces the certificate of a private or partner app, as uploading a new one in Xero's portal did. */
export function updateAppCertificate(db: Db, consumerKey: string, certificatePem: string): void {
  db.prepare('UPDATE apps SET certificate_pem = ? WHERE consumer_key = ?').run(certificatePem, consumerKey);
}

export function findApp(db: Db, consumerKey: string): SandboxApp | undefined {
  const row = db.prepare('SELECT * FROM apps WHERE consumer_key = ?').get(consumerKey) as AppRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function listApps(db: Db): SandboxApp[] {
  return (db.prepare('SELECT * FROM apps ORDER BY created_at, consumer_key').all() as AppRow[]).map(fromRow);
}

/** What `/sandbox/apps` shows of an app: the consumer secret only when asked (the registration answer). */
export function describeApp(app: SandboxApp, options: { withSecret: boolean }): Record<string, unknown> {
  let certificate: Record<string, string> | null = null;
  if (app.certificatePem) {
    const cert = new X509Certificate(app.certificatePem);
    certificate = {
      subject: cert.subject,
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      fingerprint256: cert.fingerprint256,
    };
  }
  return {
    consumerKey: app.consumerKey,
    ...(options.withSecret ? { consumerSecret: app.consumerSecret } : {}),
    type: app.type,
    name: app.name,
    signatureMethod: app.type === 'public' ? 'HMAC-SHA1' : 'RSA-SHA1',
    organisationId: app.organisationId ?? null,
    certificate,
    createdAt: app.createdAt,
  };
}
