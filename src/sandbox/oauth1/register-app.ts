import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Db } from '../../store/db';
import { findOrganisation, listOrganisations } from '../organisations';
import { findApp, insertApp, type SandboxApp } from './apps';
import { newCredential } from './codes';

const APP_TYPES = ['private', 'public', 'partner'] as const;

/**
 * Registers an app from the JSON `/sandbox/apps` receives, as Xero's developer portal did:
 * a generated consumer key and secret unless given, the certificate of the RSA key for private
 * and partner apps, and a private app's one organisation (default: the first demo organisation).
 * @example registerApp(db, clock, { type: 'private', certificatePem })
 */
export function registerApp(db: Db, clock: Clock, body: Record<string, unknown>): SandboxApp {
  const type = body['type'];
  if (!APP_TYPES.includes(type as never)) {
    throw new AppError('invalid', 'type: must be "private", "public" or "partner".', { field: 'type' });
  }
  const appType = type as SandboxApp['type'];
  const consumerKey = optionalCredential(body, 'consumerKey') ?? newCredential();
  const consumerSecret = optionalCredential(body, 'consumerSecret') ?? newCredential();
  const name = body['name'] ?? `Sandbox ${appType} app`;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    throw new AppError('invalid', 'name: must be text of 1 to 100 characters.', { field: 'name' });
  }
  const app: SandboxApp = {
    consumerKey,
    type: appType,
    name: name.trim(),
    consumerSecret,
    certificatePem: appType === 'public' ? refuse(body, 'certificatePem', 'public apps sign with HMAC-SHA1 and take no certificate') : checkCertificatePem(body['certificatePem']),
    organisationId: appType === 'private' ? organisation(db, body['organisationId']) : refuse(body, 'organisationId', 'only a private app is tied to one organisation; the user picks one when authorising a public or partner app'),
    createdAt: clock.now().toISOString(),
  };
  if (findApp(db, consumerKey)) throw new AppError('conflict', `consumerKey: an app with the consumer key ${consumerKey} is already registered.`, { field: 'consumerKey' });
  insertApp(db, app);
  return app;
}

function optionalCredential(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(value)) {
    throw new AppError('invalid', `${field}: must be 1 to 100 printable ASCII characters without spaces.`, { field });
  }
  return value;
}

function refuse(body: Record<string, unknown>, field: string, why: string): undefined {
  if (body[field] !== undefined) throw new AppError('invalid', `${field}: not accepted for this app type: ${why}.`, { field });
  return undefined;
}

/** The `certificatePem` field of a control request: a PEM X.509 certificate of an RSA key. */
export function checkCertificatePem(pem: unknown): string {
  const field = 'certificatePem';
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new AppError('invalid', `${field}: required for private and partner apps: the PEM X.509 certificate of the RSA key the app signs with.`, { field });
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new AppError('invalid', `${field}: is not a PEM X.509 certificate ("-----BEGIN CERTIFICATE-----"); send the certificate, never the private key.`, { field });
  }
  const keyType = cert.publicKey.asymmetricKeyType;
  if (keyType !== 'rsa') throw new AppError('invalid', `${field}: the certificate's key type is ${keyType ?? 'unknown'}, but RSA-SHA1 needs an RSA key.`, { field });
  return pem;
}

function organisation(db: Db, id: unknown): string {
  const field = 'organisationId';
  if (id === undefined) {
    const first = listOrganisations(db)[0];
    if (!first) throw new AppError('invalid', `${field}: the sandbox has no organisations to tie the private app to.`, { field });
    return first.id;
  }
  if (typeof id !== 'string' || !findOrganisation(db, id)) {
    throw new AppError('invalid', `${field}: no sandbox organisation has the id ${JSON.stringify(id)}; GET /sandbox/organisations lists them.`, { field });
  }
  return id;
}
