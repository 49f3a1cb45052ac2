import { createHash, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, getCACertificates, setDefaultCACertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { DATABASE_FILE } from '../../src/app';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { findTlsCertificate } from '../../src/store/tls-certificates';

/** The CA certificate (PEM) the proxy with data directory `dataDir` made for itself (`server.tls = "auto"`). */
export function proxyCaPem(dataDir: string): string {
  const db = openDatabase(join(dataDir, DATABASE_FILE), { migrations: MIGRATIONS });
  try {
    const ca = findTlsCertificate(db, 'ca');
    if (!ca) throw new Error(`the proxy in ${dataDir} has made no CA yet`);
    return ca.certificatePem;
  } finally {
    db.close();
  }
}

/**
 * Trusts the proxy's CA in this test process's TLS clients, `fetch` included, as a computer that
 * installed the CA certificate does; for tests about something else that talk to an HTTPS proxy.
 */
export function trustProxyCa(dataDir: string): void {
  setDefaultCACertificates([...getCACertificates('default'), proxyCaPem(dataDir)]);
}

/** The SHA-256 of a certificate's SubjectPublicKeyInfo, base64, as the proxy shows it. */
export function spkiOf(pem: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The certificates the server presented, its own first. */
  chain: X509Certificate[];
}

export interface PinnedRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The only trust anchor (PEM); without it, nothing is verified (a first contact, before pinning). */
  ca?: string;
  /** The SHA-256 of the CA's SubjectPublicKeyInfo (base64) the chain must end in, as a device checks it. */
  pinCaSpki?: string;
}

/**
 * One HTTPS request as a till's Node client makes it, written as the README shows it: the
 * proxy's CA as the only trust anchor, the host name checked, and the chain's root checked
 * against the pinned fingerprint. Refusals reject with Node's error (its `code` says why).
 */
export function pinnedRequest(url: string, options: PinnedRequest = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        rejectUnauthorized: options.ca !== undefined,
        agent: false,
        checkServerIdentity: (host, certificate) => {
          const wrongName = checkServerIdentity(host, certificate);
          if (wrongName || options.pinCaSpki === undefined) return wrongName;
          let root = certificate as DetailedPeerCertificate;
          while (root.issuerCertificate && root.issuerCertificate !== root) root = root.issuerCertificate;
          const seen = spkiOf(root.raw);
          return seen === options.pinCaSpki ? undefined : Object.assign(new Error(`the chain ends in CA ${seen}, not the pinned ${options.pinCaSpki}`), { code: 'ERR_PIN_MISMATCH' });
        },
      },
      (response) => {
        const chain: X509Certificate[] = [];
        for (let at: DetailedPeerCertificate | undefined = (response.socket as TLSSocket).getPeerCertificate(true); at?.raw; at = at.issuerCertificate === at ? undefined : at.issuerCertificate) {
          chain.push(new X509Certificate(at.raw));
        }
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text, chain }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
