import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { caPermitted, splitByPermission, urlHost, wantedNames, type HostFacts, type Permitted, type ServerNames } from '../domain/tls/lan-names';
import { createLocalCa, issueServerCertificate, renewalDate, renewalReason, sanNames, spkiSha256 } from '../domain/tls/local-ca';
import { invalid } from '../config/invalid';
import { AppError } from '../lib/errors';
import { Secret } from '../lib/secret';
import { findTlsCertificate, insertCaIfMissing, openTlsKey, replaceCa, saveServerCertificate, type StoredTlsCertificate } from '../store/tls-certificates';
import type { ServiceDeps } from './deps';

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
 * `server.tls = "files"`: reads the certificate chain and key where they are (never copied),
 * and refuses, naming the key of the config, a file that cannot be read, holds no certificate
 * or an encrypted key, a key that is not the certificate's, or a certificate that has expired.
 */
export function readTlsFiles(deps: Pick<ServiceDeps, 'config' | 'clock'>): ServedTls {
  const { tlsCert, tlsKey } = deps.config.server;
  const chainText = readText('server.tls_cert', tlsCert!);
  const certificates = pemBlocks(chainText, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
  if (certificates.length === 0) throw invalid('server.tls_cert', `${tlsCert} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  const keyText = readText('server.tls_key', tlsKey!);
  if (/ENCRYPTED/.test(keyText)) throw invalid('server.tls_key', `${tlsKey} is encrypted with a passphrase, which the proxy cannot ask for; write it unencrypted (openssl pkey -in key.pem -out key-plain.pem) and keep the file owner-only`);
  let key;
  try {
    key = createPrivateKey(keyText);
  } catch {
    throw invalid('server.tls_key', `${tlsKey} holds no private key in PEM`);
  }
  const leaf = certificates[0]!;
  if (!leaf.checkPrivateKey(key)) throw invalid('server.tls_key', `${tlsKey} is not the private key of the first certificate in ${tlsCert} (${leaf.subject.replace(/\n/g, ', ')})`);
  if (leaf.validToDate.getTime() <= deps.clock.now().getTime()) throw invalid('server.tls_cert', `the certificate in ${tlsCert} expired on ${leaf.validToDate.toISOString().slice(0, 10)}`);
  const top = certificates[certificates.length - 1]!;
  return {
    key: new Secret(keyText),
    certificateChain: certificates.map((certificate) => certificate.toString()).join(''),
    caCertificatePem: top.toString(),
    caSpkiSha256: spkiSha256(top),
    serverFingerprint: leaf.fingerprint256,
  };
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

/** The public side of the proxy's HTTPS, for `tls show`, `doctor`, the settings page and pairing; never makes anything. */
export interface TlsStatus {
  mode: 'auto' | 'files' | 'off';
  /** What devices pin; undefined when HTTPS is off, or nothing is made (auto: before the server's first start) or readable (files). */
  caSpkiSha256: string | undefined;
  caCertificatePem: string | undefined;
  ca: { subject: string; notBefore: string; notAfter: string; permitted: Permitted | undefined } | undefined;
  server: { subject: string; names: ServerNames; notBefore: string; notAfter: string; fingerprintSha256: string; renewsAt: string | undefined } | undefined;
  /** Sentences for a person, each with the way to fix it; empty when all is well. */
  problems: string[];
}

/** Reads what HTTPS presents, from the store (`auto`) or the files (`files`). */
export function tlsStatus(deps: ServiceDeps, host: HostFacts): TlsStatus {
  const mode = deps.config.server.tls;
  const none = { caSpkiSha256: undefined, caCertificatePem: undefined, ca: undefined, server: undefined };
  if (mode === 'off') return { mode, ...none, problems: [] };
  if (mode === 'files') {
    try {
      const served = readTlsFiles(deps);
      const chain = pemBlocks(served.certificateChain, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
      const problems = chain.length === 1 ? [`${deps.config.server.tlsCert} holds the server certificate alone: devices can pin only the server's own key, which changes with the certificate. Append the CA certificate to the file.`] : [];
      return { mode, caSpkiSha256: served.caSpkiSha256, caCertificatePem: served.caCertificatePem, ca: describe(chain[chain.length - 1]!, undefined), server: describeServer(chain[0]!, undefined), problems: [...problems, ...expiryProblems(chain[0]!, deps, 'files')] };
    } catch (error) {
      return { mode, ...none, problems: [toSentence(error)] };
    }
  }
  const ca = findTlsCertificate(deps.db, 'ca');
  // Nothing to put right: the server makes both at its first start.
  if (!ca) return { mode, ...none, problems: [] };
  const caCertificate = new X509Certificate(ca.certificatePem);
  const stored = findTlsCertificate(deps.db, 'server');
  const server = stored && new X509Certificate(stored.certificatePem);
  const problems: string[] = [];
  const publicHost = urlHost(deps.config.server.publicUrl);
  const { allowed, refused } = splitByPermission(wantedNames(host, publicHost), ca.permitted!);
  if (refused.length > 0) {
    const who = refused.includes(publicHost) ? `server.public_url names ${publicHost}, so devices would be refused` : 'devices that reach the proxy by them would be refused';
    problems.push(
      `The proxy's CA may not sign for ${refused.join(', ')} (it was made when this host had other names), so the server certificate lacks ${refused.length === 1 ? 'it' : 'them'}: ${who}. Run \`xero-proxy tls renew --new-ca\` and pin the new CA on every device, or use a name or LAN address the certificate has.`,
    );
  }
  const due = renewalReason(server, caCertificate, allowed, deps.clock);
  if (due !== undefined && server) problems.push(`The server certificate is due for renewal (${due}); the running server renews it within a minute, or run \`xero-proxy tls renew\`.`);
  const caDaysLeft = (caCertificate.validToDate.getTime() - deps.clock.now().getTime()) / 86_400_000;
  if (caDaysLeft < 90) problems.push(`The proxy's CA ends on ${ca.notAfter.slice(0, 10)}. Run \`xero-proxy tls renew --new-ca\` before then and pin the new CA on every device.`);
  return {
    mode,
    caSpkiSha256: ca.spkiSha256,
    caCertificatePem: ca.certificatePem,
    ca: describe(caCertificate, ca.permitted),
    server: server && describeServer(server, renewalDate(server).toISOString()),
    problems,
  };
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

function describe(certificate: X509Certificate, permitted: Permitted | undefined): NonNullable<TlsStatus['ca']> {
  return { subject: certificate.subject.split('\n').join(', '), notBefore: certificate.validFromDate.toISOString(), notAfter: certificate.validToDate.toISOString(), permitted };
}

function describeServer(certificate: X509Certificate, renewsAt: string | undefined): NonNullable<TlsStatus['server']> {
  return { ...describe(certificate, undefined), names: sanNames(certificate), fingerprintSha256: certificate.fingerprint256, renewsAt };
}

function expiryProblems(certificate: X509Certificate, deps: Pick<ServiceDeps, 'clock' | 'config'>, mode: 'files'): string[] {
  const daysLeft = Math.ceil((certificate.validToDate.getTime() - deps.clock.now().getTime()) / 86_400_000);
  return mode === 'files' && daysLeft < 30 ? [`The certificate in ${deps.config.server.tlsCert} ends in ${daysLeft} days: replace the files; the server reads them again within a minute.`] : [];
}

function readText(key: 'server.tls_cert' | 'server.tls_key', path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(key, `${path} cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied for this user' : (code ?? 'unknown error')})`);
  }
}

/** Every PEM block of `label` in `text`, normalised. */
export function pemBlocks(text: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((match) => `${match[0].replace(/\r\n/g, '\n')}\n`);
}

/** A digest of the files' contents, so a change is noticed without keeping their text. */
export function filesDigest(deps: Pick<ServiceDeps, 'config'>): string {
  const hash = createHash('sha256');
  for (const path of [deps.config.server.tlsCert!, deps.config.server.tlsKey!]) {
    try {
      hash.update(readFileSync(path));
    } catch {
      hash.update(`unreadable:${path}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function toSentence(error: unknown): string {
  const problem = error instanceof AppError ? error : undefined;
  return problem ? `${problem.message}${problem.hint ? ` ${problem.hint}` : ''}` : String(error);
}
