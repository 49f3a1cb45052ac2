import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { Secret } from '../lib/secret';

/** Xero's own recipe: `openssl req -new -x509 … -days 1825`. @see PROTOCOL.md §1.2 */
export const VALIDITY_DAYS = 1825;
/** Inside this many days of expiry, `doctor`, `cert list` and the server warn. */
export const EXPIRY_WARNING_DAYS = 30;
export const DEFAULT_COMMON_NAME = 'Xero Comms Proxy';

const DAY_MS = 86_400_000;

/** What the proxy records about a certificate; everything here is public. */
export interface CertificateInfo {
  /** e.g. `CN=Xero Comms Proxy, O=Harbourside Café` */
  subject: string;
  /** Colon hex, upper case, as `openssl x509 -fingerprint` and Xero's portal show it. */
  fingerprintSha1: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  keyBits: number;
  /** Normalised PEM (LF line ends), the file to upload to Xero. */
  certificatePem: string;
}

/** A key pair: the public certificate and its private key (PKCS#8 PEM), which never serialises. */
export interface KeyPair {
  info: CertificateInfo;
  privateKey: Secret;
}

export interface GenerateOptions {
  /** Becomes `O=` in the subject; optional. */
  organisationName?: string;
  /** 2048 unless a test asks otherwise. */
  keyBits?: number;
}

/**
 * Makes an RSA key pair and a self-signed X.509 certificate valid from now for 1825 days, the
 * pair a private or partner app signs RSA-SHA1 with. Node makes the key (OpenSSL, fast);
 * node-forge only assembles and signs the certificate, which Node cannot do.
 * @see PROTOCOL.md §1.2
 * @example const pair = generateKeyPair(systemClock, { organisationName: 'Harbourside Café' })
 */
export function generateKeyPair(clock: Clock, options: GenerateOptions = {}): KeyPair {
  const organisation = options.organisationName?.trim();
  if (organisation !== undefined && (organisation === '' || organisation.length > 64 || /[\u0000-\u001f\u007f]/.test(organisation))) {
    throw new AppError('invalid', 'organisation name: must be 1 to 64 printable characters (the X.509 limit for O=).', { field: 'organisationName' });
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = serialNumber();
  // X.509 times have whole seconds; dropping the milliseconds keeps the stored times exact.
  const notBefore = Math.floor(clock.now().getTime() / 1000) * 1000;
  cert.validity.notBefore = new Date(notBefore);
  cert.validity.notAfter = new Date(notBefore + VALIDITY_DAYS * DAY_MS);
  // UTF-8 strings, so an organisation name such as "Café" survives; forge defaults to PrintableString.
  // @types/node-forge types valueTagClass as an ASN.1 class, but forge reads it as the string tag.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const name: forge.pki.CertificateField[] = [{ shortName: 'CN', value: DEFAULT_COMMON_NAME, valueTagClass: utf8 }, ...(organisation ? [{ shortName: 'O', value: organisation, valueTagClass: utf8 }] : [])];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privatePem), forge.md.sha256.create());
  return { info: describeCertificate(new X509Certificate(forge.pki.certificateToPem(cert))), privateKey: new Secret(privatePem) };
}

/** The public facts of a parsed certificate, in the shape the store keeps. */
export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    subject: cert.subject.split('\n').join(', '),
    fingerprintSha1: cert.fingerprint,
    fingerprintSha256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    keyBits: rsaBits(cert.publicKey),
    certificatePem: cert.toString(),
  };
}

/** The modulus length of an RSA key, or 0 for any other kind. */
export function rsaBits(key: KeyObject): number {
  return key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : 0;
}

export type ExpiryLevel = 'ok' | 'warn' | 'expired';

export interface ExpiryStatus {
  level: ExpiryLevel;
  /** Days until `notAfter`, a part-day counting as one (a fresh pair shows 1825); negative once expired. */
  daysLeft: number;
  /** A sentence for `doctor`, logs and the status API. */
  detail: string;
}

/** How close a certificate is to its end: `warn` inside 30 days, `expired` from `notAfter` on. */
export function expiryStatus(notAfter: string, clock: Clock): ExpiryStatus {
  const msLeft = Date.parse(notAfter) - clock.now().getTime();
  const daysLeft = msLeft > 0 ? Math.ceil(msLeft / DAY_MS) : Math.floor(msLeft / DAY_MS);
  const day = notAfter.slice(0, 10);
  if (msLeft <= 0) return { level: 'expired', daysLeft, detail: `expired on ${day}; Xero refuses every request it signs. Run \`xero-proxy cert rotate\`, upload the new publickey.cer, then \`xero-proxy cert activate\`.` };
  if (msLeft < EXPIRY_WARNING_DAYS * DAY_MS) return { level: 'warn', daysLeft, detail: `expires on ${day} (${daysLeft} days left). Run \`xero-proxy cert rotate\` and upload the new publickey.cer before then.` };
  return { level: 'ok', daysLeft, detail: `valid until ${day} (${daysLeft} days left)` };
}

// A positive 128-bit serial: RFC 5280 §4.1.2.2 asks for positive and unique, at most 20 bytes.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}
