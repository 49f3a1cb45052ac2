import { createHmac, timingSafeEqual, verify as verifySignature, X509Certificate } from 'node:crypto';
import { percentDecode, percentEncode, type Parameter } from './base-string';

/**
 * Pure RFC 5849 verification: the `Authorization: OAuth …` header and the HMAC-SHA1 and
 * RSA-SHA1 signature checks. Written from the RFC, sharing nothing with any client signer.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 */

export type AuthorizationHeader =
  | { kind: 'none' }
  | { kind: 'oauth'; parameters: Parameter[] }
  | { kind: 'malformed' };

/**
 * Parses `OAuth realm="x", oauth_consumer_key="…", …` (RFC 5849 §3.5.1): names and values are
 * percent-decoded (a "+" stays a "+"). Another scheme, or no header, is `none`.
 * @example parseAuthorizationHeader('OAuth oauth_nonce="a%20b"') // { kind: 'oauth', parameters: [['oauth_nonce', 'a b']] }
 */
export function parseAuthorizationHeader(header: string | undefined): AuthorizationHeader {
  const scheme = /^\s*OAuth(?:\s+([\s\S]*))?$/i.exec(header ?? '');
  if (!scheme) return { kind: 'none' };
  const rest = (scheme[1] ?? '').trim();
  // RFC 5849 asks for quoted values; unquoted tokens are accepted as RFC 2617 allows them.
  const pair = /\s*([^\s=,"]+)\s*=\s*(?:"([^"]*)"|([^\s,"]*))\s*(?:,|$)/y;
  const parameters: Parameter[] = [];
  while (pair.lastIndex < rest.length) {
    const match = pair.exec(rest);
    if (!match) return { kind: 'malformed' };
    parameters.push([percentDecode(match[1]!), percentDecode(match[2] ?? match[3] ?? '')]);
  }
  return { kind: 'oauth', parameters };
}

/** RFC 2045 §6.8 base64, padded; anything else is not a signature. */
function decodeSignature(signature: string): Buffer | undefined {
  const strict = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  if (signature === '' || !strict.test(signature)) return undefined;
  return Buffer.from(signature, 'base64');
}

/**
 * RFC 5849 §3.4.2: HMAC-SHA1 over the base string, keyed by the encoded consumer secret "&"
 * the encoded token secret, compared in constant time.
 */
export function verifyHmacSha1(baseString: string, consumerSecret: string, tokenSecret: string, signature: string): boolean {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  const expected = createHmac('sha1', key).update(baseString, 'utf8').digest();
  const provided = decodeSignature(signature);
  if (!provided || provided.length !== expected.length) return false;
  return timingSafeEqual(provided, expected);
}

/** RFC 5849 §3.4.3: RSASSA-PKCS1-v1_5 with SHA-1, checked with the registered certificate's public key. */
export function verifyRsaSha1(baseString: string, certificatePem: string, signature: string): boolean {
  const provided = decodeSignature(signature);
  if (!provided) return false;
  try {
    const publicKey = new X509Certificate(certificatePem).publicKey;
    return verifySignature('sha1', Buffer.from(baseString, 'utf8'), publicKey, provided);
  } catch {
    return false;
  }
}
