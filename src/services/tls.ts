import { X509Certificate } from 'node:crypto';
import { caPermitted, splitByPermission, urlHost, wantedNames, type HostFacts, type ServerNames } from '../domain/tls/lan-names';
import { createLocalCa, issueServerCertificate, renewalReason } from '../domain/tls/local-ca';
import { AppError } from '../lib/errors';
import type { Secret } from '../lib/secret';
import { findTlsCertificate, insertCaIfMissing, openTlsKey, replaceCa, saveServerCertificate, type StoredTlsCertificate } from '../store/tls-certificates';
import { recordAudit, type Actor } from './audit';
import type { ServiceDeps } from './deps';
import { readTlsFiles } from './tls-files';

/** What the HTTPS server presents: its key, and its certificate followed by the chain up to the CA. */
export interface ServedTls {
  key: Secret;
  /** PEM: the server certificate, then the CA's (the whole chain, so a client can check the CA it pins). */
  certificateChain: string;
  caCertificatePem: string;
  /** The SHA-256 of the CA's SubjectPublicKeyInfo, base64: what devices pin. */
  caSpkiSha256: string;
  /** The SHA-256 of the server certificate, colon hex: tells one issued certificate from the next. */
  serverFingerprint: string;
}

/** What `ensureAutoTls` did on the way: made the CA, renewed the server certificate (and why). */
export interface AutoTlsOutcome {
  served: ServedTls;
  caCreated: boolean;
  renewed: string | undefined;
  /** Names and addresses of this host that the CA may not sign for, so the certificate lacks them. */
  refused: string[];
}

/**
 * `server.tls = "auto"`: makes the CA on first use (sealed in the store), and issues the server
 * certificate when there is none, it has fewer than 30 days left, or the host has a name or LAN
 * address it lacks; otherwise returns what is stored.
 */
export function ensureAutoTls(deps: ServiceDeps, host: HostFacts): AutoTlsOutcome {
  const { db, keyring, clock, config } = deps;
  const publicHost = urlHost(config.server.publicUrl);
  let ca = findTlsCertificate(db, 'ca');
  let caCreated = false;
  if (!ca) {
    const permitted = caPermitted(host, publicHost);
    ca = insertCaIfMissing(db, keyring, clock, createLocalCa(clock, host.hostname, permitted), permitted);
    caCreated = true;
  }
  const { allowed, refused } = splitByPermission(wantedNames(host, publicHost), ca.permitted!);
  let server = findTlsCertificate(db, 'server');
  const caCertificate = new X509Certificate(ca.certificatePem);
  const renewed = renewalReason(server && new X509Certificate(server.certificatePem), caCertificate, allowed, clock);
  if (renewed !== undefined) server = issueFor(deps, ca, allowed);
  return { served: servedFromStore(deps, ca, server!), caCreated, renewed, refused };
}

/**
 * `tls renew`: issues a new server certificate now, for the names the host has now; with
 * `newCa`, first replaces the CA itself (devices must pin the new one).
 */
export function renewTls(deps: ServiceDeps, host: HostFacts, options: { newCa?: boolean } = {}): AutoTlsOutcome {
  requireAuto(deps);
  const { db, keyring, clock, config } = deps;
  const publicHost = urlHost(config.server.publicUrl);
  let ca = findTlsCertificate(db, 'ca');
  let caCreated = false;
  if (!ca || options.newCa) {
    const permitted = caPermitted(host, publicHost);
    ca = replaceCa(db, keyring, clock, createLocalCa(clock, host.hostname, permitted), permitted);
    caCreated = true;
  }
  const { allowed, refused } = splitByPermission(wantedNames(host, publicHost), ca.permitted!);
  const server = issueFor(deps, ca, allowed);
  return { served: servedFromStore(deps, ca, server), caCreated, renewed: options.newCa ? 'a new CA was made' : 'asked for', refused };
}

/**
 * Records in the audit log what making or renewing certificates changed: a new CA (devices must
 * pin its fingerprint) and a new server certificate, with why it was issued.
 */
export function auditTlsOutcome(deps: Pick<ServiceDeps, 'db' | 'clock'>, actor: Actor, outcome: AutoTlsOutcome): void {
  if (outcome.caCreated) recordAudit(deps, { actor, action: 'tls.ca_created', subject: 'HTTPS', changes: { caSpkiSha256: outcome.served.caSpkiSha256 } });
  if (outcome.renewed !== undefined) {
    recordAudit(deps, { actor, action: 'tls.certificate_issued', subject: 'HTTPS', changes: { reason: outcome.renewed, fingerprint: outcome.served.serverFingerprint } });
  }
}

/** What a device pins: the CA's SPKI fingerprint, and the CA certificate itself (public) to trust. */
export interface TlsPin {
  caSpkiSha256: string;
  caCertificate: string;
}

/** The CA devices pin, or undefined when HTTPS is off (or its certificate is not made or readable). */
export function tlsPin(deps: Pick<ServiceDeps, 'db' | 'config' | 'clock'>): TlsPin | undefined {
  const { tls } = deps.config.server;
  if (tls === 'off') return undefined;
  if (tls === 'files') {
    try {
      const served = readTlsFiles(deps);
      return { caSpkiSha256: served.caSpkiSha256, caCertificate: served.caCertificatePem };
    } catch {
      return undefined;
    }
  }
  const ca = findTlsCertificate(deps.db, 'ca');
  return ca && { caSpkiSha256: ca.spkiSha256, caCertificate: ca.certificatePem };
}

function issueFor(deps: ServiceDeps, ca: StoredTlsCertificate, names: ServerNames): StoredTlsCertificate {
  const caKey = openTlsKey(deps.db, deps.keyring, 'ca')!;
  return saveServerCertificate(deps.db, deps.keyring, deps.clock, issueServerCertificate(deps.clock, { certificatePem: ca.certificatePem, privateKey: caKey }, names));
}

function servedFromStore(deps: ServiceDeps, ca: StoredTlsCertificate, server: StoredTlsCertificate): ServedTls {
  return {
    key: openTlsKey(deps.db, deps.keyring, 'server')!,
    certificateChain: server.certificatePem + ca.certificatePem,
    caCertificatePem: ca.certificatePem,
    caSpkiSha256: ca.spkiSha256,
    serverFingerprint: new X509Certificate(server.certificatePem).fingerprint256,
  };
}

function requireAuto(deps: ServiceDeps): void {
  if (deps.config.server.tls !== 'auto') {
    throw new AppError('conflict', `server.tls is "${deps.config.server.tls}", so the proxy makes no certificates of its own.`, {
      hint: deps.config.server.tls === 'files' ? 'Replace the files named by server.tls_cert and server.tls_key; the server reads them again within a minute.' : 'Set server.tls = "auto" in the config file to have the proxy make them.',
    });
  }
}

