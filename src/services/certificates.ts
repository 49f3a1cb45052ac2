import { importKeyPair, type ImportInput } from '../domain/certificate-import';
import { generateKeyPair, type GenerateOptions } from '../domain/certificates';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import type { Keyring } from '../lib/secret-box';
import { findActiveCertificate, findPendingCertificate, insertCertificate, retirePendingCertificate, type StoredCertificate } from '../store/certificates';
import { immediate, type Db } from '../store/db';

/** What the certificate use-cases need. */
export interface CertificateDeps {
  db: Db;
  keyring: Keyring;
  clock: Clock;
}

/**
 * Makes the first signing pair, which becomes active at once: with no pair there is nothing
 * to interrupt. With an active pair it refuses, because replacing it must go through
 * rotate → upload → activate so that signing never stops.
 */
export function createCertificate(deps: CertificateDeps, options: GenerateOptions = {}): StoredCertificate {
  refuseIfActive(deps.db);
  return insertCertificate(deps.db, deps.keyring, deps.clock, 'active', generateKeyPair(deps.clock, options));
}

export interface RotateOptions extends GenerateOptions {
  /** Retire a pending pair that will not be activated (lost, expired, never uploaded) and make a new one. */
  replacePending?: boolean;
}

/**
 * Makes a new pair beside the active one, as `pending`: the active pair keeps signing until
 * `activateCertificate` has proven the new one at Xero.
 */
export function rotateCertificate(deps: CertificateDeps, options: RotateOptions = {}): StoredCertificate {
  const { replacePending, ...generate } = options;
  const pending = findPendingCertificate(deps.db);
  if (pending && replacePending) {
    // The new pair is made first and the swap is one transaction, so any failure leaves the old pending pair pending.
    const pair = generateKeyPair(deps.clock, generate);
    return immediate(deps.db, () => {
      requireActive(deps.db);
      retirePendingCertificate(deps.db, deps.clock, pending.id);
      return insertCertificate(deps.db, deps.keyring, deps.clock, 'pending', pair);
    });
  }
  requireRotatable(deps.db);
  return insertCertificate(deps.db, deps.keyring, deps.clock, 'pending', generateKeyPair(deps.clock, generate));
}

/**
 * Stores an existing key pair after checking it: active when no pair is active yet (it is
 * presumably the one already uploaded to Xero), otherwise pending until `cert activate`.
 */
export function importCertificate(deps: CertificateDeps, input: ImportInput): { certificate: StoredCertificate; warnings: string[] } {
  const pair = importKeyPair(input, deps.clock);
  const state = findActiveCertificate(deps.db) ? 'pending' : 'active';
  if (state === 'pending') requireRotatable(deps.db);
  return { certificate: insertCertificate(deps.db, deps.keyring, deps.clock, state, pair), warnings: pair.warnings };
}

function refuseIfActive(db: Db): void {
  const active = findActiveCertificate(db);
  if (active) {
    throw new AppError('conflict', `There is already an active certificate (${active.id}); creating another would stop Xero accepting the proxy's requests.`, {
      hint: 'Use `xero-proxy cert rotate` to add a new pair beside it, upload its publickey.cer, then `xero-proxy cert activate`.',
    });
  }
}

function requireActive(db: Db): void {
  if (!findActiveCertificate(db)) {
    throw new AppError('conflict', 'There is no active certificate to rotate from.', { hint: 'Make the first pair with `xero-proxy cert create` (or `cert import`).' });
  }
}

function requireRotatable(db: Db): void {
  requireActive(db);
  const pending = findPendingCertificate(db);
  if (pending) {
    throw new AppError('conflict', `The certificate ${pending.id} is already pending; only one new pair can wait beside the active one.`, {
      hint: 'Upload its publickey.cer to Xero and run `xero-proxy cert activate`, or replace it with `xero-proxy cert rotate --replace-pending`.',
    });
  }
}
