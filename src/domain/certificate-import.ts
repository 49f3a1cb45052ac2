import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { Secret } from '../lib/secret';
import { describeCertificate, rsaBits, type KeyPair } from './certificates';

/** Xero's old recipe made 1024-bit keys (`openssl genrsa … 1024`); anything smaller is refused. */
export const MINIMUM_KEY_BITS = 1024;
export const RECOMMENDED_KEY_BITS = 2048;

/** An operator's key and certificate files, with the names to quote in messages. */
export interface ImportInput {
  key: { source: string; bytes: Buffer };
  certificate: { source: string; bytes: Buffer };
}

/** An accepted pair, and the sentences an operator should still read (weak key, near expiry). */
export interface ImportedPair extends KeyPair {
  warnings: string[];
}

/**
 * Checks an existing key pair before the proxy signs with it: a PEM private key (PKCS#1
 * `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`, unencrypted) and its certificate (`.cer`, PEM or
 * DER). The key must be RSA of at least 1024 bits, belong to the certificate, and the certificate
 * must not have expired. Parsing is Node's (OpenSSL); the key is kept as PKCS#8 PEM.
 * @see PROTOCOL.md §1.2
 */
export function importKeyPair(input: ImportInput, clock: Clock): ImportedPair {
  const warnings: string[] = [];
  const cert = parseCertificate(input.certificate.source, input.certificate.bytes);
  const key = parsePrivateKey(input.key.source, input.key.bytes);
  const { source: keyFile } = input.key;
  const { source: certFile } = input.certificate;

  const bits = rsaBits(key);
  if (bits === 0) throw new AppError('invalid', `${keyFile}: the key is ${key.asymmetricKeyType ?? 'of an unknown type'}, but RSA-SHA1 signing needs an RSA key.`, { field: 'key' });
  if (bits < MINIMUM_KEY_BITS) throw new AppError('invalid', `${keyFile}: the RSA key has ${bits} bits; at least ${MINIMUM_KEY_BITS} are needed (${RECOMMENDED_KEY_BITS} recommended).`, { field: 'key' });
  if (bits < RECOMMENDED_KEY_BITS) {
    warnings.push(`${keyFile}: the RSA key has ${bits} bits, as Xero's old recipe made; it is accepted, but replace it with a ${RECOMMENDED_KEY_BITS}-bit pair (\`xero-proxy cert rotate\`) when you can.`);
  }
  if (!cert.checkPrivateKey(key)) {
    throw new AppError('invalid', `${keyFile} does not belong to ${certFile}: the certificate holds a different public key.`, {
      field: 'key',
      hint: 'Pass the private key the certificate was made from, or make a new pair with `xero-proxy cert create`.',
    });
  }
  const info = describeCertificate(cert);
  const now = clock.now().getTime();
  if (Date.parse(info.notAfter) <= now) {
    throw new AppError('invalid', `${certFile}: the certificate expired on ${info.notAfter.slice(0, 10)}; Xero refuses signatures from an expired certificate.`, {
      field: 'certificate',
      hint: 'Make a new pair with `xero-proxy cert create` (or `cert rotate`) and upload its publickey.cer to Xero.',
    });
  }
  // A certificate made minutes ago on a machine whose clock runs ahead is still usable, so warn only.
  if (Date.parse(info.notBefore) > now) warnings.push(`${certFile}: the certificate is not valid until ${info.notBefore}; check this machine's clock.`);
  return { info, privateKey: new Secret(key.export({ type: 'pkcs8', format: 'pem' }) as string), warnings };
}

/** A `.cer` file as Xero's recipe wrote it (PEM) or as Windows tools export it (DER). */
export function parseCertificate(source: string, bytes: Buffer): X509Certificate {
  const text = bytes.toString('latin1');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new AppError('invalid', `${source}: is a private key, not a certificate; pass the private key with --key and the certificate (publickey.cer) with --cert.`, { field: 'certificate' });
  }
  try {
    return new X509Certificate(bytes);
  } catch {
    throw new AppError('invalid', `${source}: is not an X.509 certificate (PEM "-----BEGIN CERTIFICATE-----" or DER).`, { field: 'certificate' });
  }
}

/** An unencrypted PEM private key, PKCS#1 or PKCS#8. */
export function parsePrivateKey(source: string, bytes: Buffer): KeyObject {
  const text = bytes.toString('utf8');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new AppError('invalid', `${source}: the private key is protected by a passphrase; the proxy needs it unencrypted (it seals it with its own key).`, {
      field: 'key',
      hint: `Decrypt a copy first: openssl rsa -in ${source} -out privatekey-plain.pem`,
    });
  }
  if (/-----BEGIN CERTIFICATE-----/.test(text)) {
    throw new AppError('invalid', `${source}: is a certificate, not a private key; pass the certificate with --cert and the private key (privatekey.pem) with --key.`, { field: 'key' });
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) {
    throw new AppError('invalid', `${source}: is not a PEM private key ("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----").`, { field: 'key' });
  }
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new AppError('invalid', `${source}: the PEM private key is damaged and cannot be read.`, { field: 'key' });
  }
}
