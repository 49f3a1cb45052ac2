import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spkiSha256 } from '../domain/tls/local-ca';
import { invalid } from '../config/invalid';
import { Secret } from '../lib/secret';
import type { ServiceDeps } from './deps';
import type { ServedTls } from './tls';

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
