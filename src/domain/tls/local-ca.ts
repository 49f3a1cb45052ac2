import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { Clock } from '../../lib/clock';
import { Secret } from '../../lib/secret';
import { normaliseIp } from './ip-address';
import type { Permitted, ServerNames } from './lan-names';
import * as x509 from './x509-issue';

/** Ten years, like Caddy's local root: devices pin it, so it must outlast the hardware. */
export const CA_VALIDITY_DAYS = 3652;
/** At most 397 days, the longest any browser or Apple device accepts for a server certificate. */
export const SERVER_VALIDITY_DAYS = 397;
/** The server certificate is renewed when fewer days than this are left. */
export const RENEW_BEFORE_DAYS = 30;
/** Certificates start an hour back, so a device whose clock is a little behind accepts a fresh one. */
const BACKDATE_MS = 3_600_000;
const DAY_MS = 86_400_000;
const ORGANISATION = 'Xero Comms Proxy';

/** A certificate and its private key (PKCS#8 PEM), which never serialises. */
export interface IssuedPair {
  certificatePem: string;
  privateKey: Secret;
}

/**
 * Makes the proxy's own certificate authority: an ECDSA P-256 key and a self-signed root valid
 * ten years, name-constrained to `permitted` and allowed to sign only end-entity certificates.
 */
export function createLocalCa(clock: Clock, hostname: string, permitted: Permitted): IssuedPair {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const notBefore = startOfValidity(clock);
  const name = { commonName: `${ORGANISATION} CA ${hostname.replace(/[^\w.-]/g, '').slice(0, 24)} ${notBefore.toISOString().slice(0, 10)}`.trim(), organisation: ORGANISATION };
  const certificatePem = x509.issueCertificate({
    subject: name,
    publicKey: keys.publicKey,
    issuer: { name, ...keys },
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [x509.caConstraints(), x509.keyUsage('ca'), x509.nameConstraints(permitted), x509.subjectKeyIdentifier(keys.publicKey)],
  });
  return { certificatePem, privateKey: new Secret(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) };
}

/**
 * Issues a server certificate for `names` with a fresh key, signed by the CA: serverAuth only,
 * valid 397 days or until the CA ends, whichever is sooner.
 */
export function issueServerCertificate(clock: Clock, ca: IssuedPair, names: ServerNames): IssuedPair {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caCertificate = new X509Certificate(ca.certificatePem);
  const notBefore = startOfValidity(clock);
  const notAfter = new Date(Math.min(notBefore.getTime() + SERVER_VALIDITY_DAYS * DAY_MS, caCertificate.validToDate.getTime()));
  const certificatePem = x509.issueCertificate({
    subject: { commonName: names.dnsNames[0] ?? names.ipAddresses[0] ?? 'localhost' },
    publicKey: keys.publicKey,
    issuer: { name: caName(caCertificate), privateKey: createPrivateKey(ca.privateKey.reveal()), publicKey: caCertificate.publicKey },
    notBefore,
    notAfter,
    extensions: [x509.endEntity(), x509.keyUsage('server'), x509.serverAuth(), x509.subjectAltName(names), x509.subjectKeyIdentifier(keys.publicKey), x509.authorityKeyIdentifier(caCertificate.publicKey)],
  });
  return { certificatePem, privateKey: new Secret(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) };
}

/**
 * Why the server certificate must be renewed now, or undefined: none yet, not signed by this
 * CA, fewer than 30 days left, or a name or address the host now has that it lacks (one it no
 * longer has does no harm and is left until the next renewal).
 */
export function renewalReason(server: X509Certificate | undefined, ca: X509Certificate, wanted: ServerNames, clock: Clock): string | undefined {
  if (!server) return 'there is no server certificate yet';
  if (!server.checkIssued(ca) || !server.verify(ca.publicKey)) return 'the server certificate was not signed by the current CA';
  const daysLeft = (server.validToDate.getTime() - clock.now().getTime()) / DAY_MS;
  if (daysLeft < RENEW_BEFORE_DAYS) return daysLeft <= 0 ? 'the server certificate has expired' : `the server certificate has ${Math.ceil(daysLeft)} days left`;
  const missing = [...wanted.dnsNames.filter((name) => server.checkHost(name, { subject: 'never' }) === undefined), ...wanted.ipAddresses.filter((ip) => server.checkIP(ip) === undefined)];
  if (missing.length > 0) return `the host is now also reached as ${missing.join(', ')}`;
  return undefined;
}

/** When a server certificate issued now is renewed: 30 days before it ends. */
export function renewalDate(server: X509Certificate): Date {
  return new Date(server.validToDate.getTime() - RENEW_BEFORE_DAYS * DAY_MS);
}

/**
 * The SHA-256 of a certificate's SubjectPublicKeyInfo, in base64: what devices pin (the form
 * of HPKP's pin-sha256, curl's --pinnedpubkey and Chromium's --ignore-certificate-errors-spki-list).
 */
export function spkiSha256(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/** The DNS names and IP addresses a certificate carries, from Node's rendering of its SAN. */
export function sanNames(certificate: X509Certificate): ServerNames {
  const entries = (certificate.subjectAltName ?? '').split(', ').filter((entry) => entry !== '');
  return {
    dnsNames: entries.filter((entry) => entry.startsWith('DNS:')).map((entry) => entry.slice(4)),
    ipAddresses: entries.filter((entry) => entry.startsWith('IP Address:')).map((entry) => normaliseIp(entry.slice(11))),
  };
}

function caName(ca: X509Certificate): x509.CertificateName {
  const field = (key: string) => ca.subject.split('\n').find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1);
  return { commonName: field('CN') ?? ORGANISATION, organisation: field('O') };
}

// X.509 times have whole seconds.
function startOfValidity(clock: Clock): Date {
  return new Date(Math.floor((clock.now().getTime() - BACKDATE_MS) / 1000) * 1000);
}
