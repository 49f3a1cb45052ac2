import { createHmac, createPrivateKey, createSign, randomBytes, type KeyObject } from 'node:crypto';
import type OAuth from 'oauth-1.0a';
import { AppError } from '../../lib/errors';
import type { Secret } from '../../lib/secret';
import { assertWellFormed, decodeForm, type Pair } from './form-encoding';
import { normalizeRequestUrl } from './request-url';
import { emptyOAuthData, packageEngine, packageRequest, type HashFunction } from './signature-base-string';

/** The two methods Xero accepted: HMAC-SHA1 (public apps) and RSA-SHA1 (private and partner). */
export type SignatureMethod = 'HMAC-SHA1' | 'RSA-SHA1';

/** Who signs: the app (consumer) and, once there is one, the token it acts with. */
export interface SigningCredentials {
  consumerKey: string;
  /** HMAC-SHA1 only. */
  consumerSecret?: Secret;
  /** RSA-SHA1 only: the app's PEM private key. */
  privateKeyPem?: Secret;
  /** A request or access token; a private app's token is its consumer key. */
  token?: string | Secret;
  /** HMAC-SHA1 only; RSA-SHA1 does not use it. */
  tokenSecret?: Secret;
  signatureMethod: SignatureMethod;
}

/** One request to sign: method and URL as sent, the form body if any, who signs, and when. */
export interface SignRequestInput {
  method: string;
  /** The full URL exactly as it will be requested; its query is signed. */
  url: string;
  /** An `application/x-www-form-urlencoded` body (as sent, or as decoded pairs); never a raw XML or JSON body. */
  form?: readonly Pair[] | string;
  credentials: SigningCredentials;
  /** Further protocol parameters: oauth_callback, oauth_verifier, oauth_session_handle. */
  extraOAuth?: Record<string, string>;
  now: Date;
  /** Only for tests and published vectors; by default 128 bits from the system CSPRNG. */
  nonce?: string;
}

/** Parameters the signer owns; a caller may not set them through `extraOAuth`. */
const OWN = new Set(['oauth_consumer_key', 'oauth_token', 'oauth_nonce', 'oauth_timestamp', 'oauth_signature_method', 'oauth_version', 'oauth_signature']);

/**
 * Signs a request with OAuth 1.0a and returns its `Authorization` header. The oauth-1.0a
 * package (2.2.6) computes the base string, signing key and header only from inputs this
 * function prepares: URL normalised here, query and body decoded here, nonce and timestamp
 * made here, a new engine and hash function per call. Its own URL parsing, nonce, clock,
 * `authorize()` and PLAINTEXT default are never used; test/domain/oauth1-sign.test.ts pins each
 * measured defect against the raw package beside the wrapper's correct result.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3
 */
export function signRequest(input: SignRequestInput): { authorization: string } {
  const { credentials } = input;
  if (!/^[A-Za-z]+$/.test(input.method)) throw new AppError('invalid', `"${input.method}" is not an HTTP method.`);
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) throw new AppError('invalid', 'The signing time must be a valid date.');
  if (credentials.consumerKey === '') throw new AppError('invalid', 'The consumer key is empty.', { field: 'consumerKey' });
  const hash = hashFor(credentials);
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  if (nonce === '') throw new AppError('invalid', 'The nonce must not be empty.');

  const protocol: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: nonce,
    oauth_signature_method: credentials.signatureMethod,
    oauth_timestamp: String(Math.floor(input.now.getTime() / 1000)),
    oauth_version: '1.0',
  };
  if (credentials.token !== undefined) protocol['oauth_token'] = reveal(credentials.token);
  for (const [name, value] of Object.entries(input.extraOAuth ?? {})) {
    // The package's header builder silently drops names without the oauth_ prefix.
    if (!name.startsWith('oauth_') || OWN.has(name)) throw new AppError('invalid', `"${name}" cannot be passed as an extra OAuth parameter.`);
    protocol[name] = value;
  }
  for (const value of Object.values(protocol)) assertWellFormed(value);

  const { baseUri, query } = normalizeRequestUrl(input.url);
  const body = input.form === undefined ? [] : typeof input.form === 'string' ? decodeForm(input.form) : [...input.form];
  for (const text of body.flat()) assertWellFormed(text);
  const request = packageRequest(input.method, baseUri, [...query, ...body, ...Object.entries(protocol)]);

  const consumerSecret = credentials.consumerSecret?.reveal() ?? '';
  const tokenSecret = credentials.tokenSecret?.reveal();
  for (const text of [consumerSecret, tokenSecret ?? '']) assertWellFormed(text);
  const engine = packageEngine({ consumerKey: credentials.consumerKey, consumerSecret, signatureMethod: credentials.signatureMethod, hash });
  // getSignature = hash(getBaseString(request), percentEncode(consumer secret) & percentEncode(token secret)).
  const signature = engine.getSignature(request, tokenSecret, emptyOAuthData());
  const header = engine.toHeader({ ...protocol, oauth_signature: signature } as unknown as OAuth.Authorization);
  return { authorization: header.Authorization };
}

function hashFor(credentials: SigningCredentials): HashFunction {
  switch (credentials.signatureMethod) {
    case 'HMAC-SHA1':
      if (credentials.consumerSecret === undefined) throw new AppError('invalid', 'HMAC-SHA1 signing needs the consumer secret.', { field: 'consumerSecret' });
      return (baseString, signingKey) => createHmac('sha1', signingKey).update(baseString).digest('base64');
    case 'RSA-SHA1': {
      if (credentials.privateKeyPem === undefined) throw new AppError('invalid', 'RSA-SHA1 signing needs the private key.', { field: 'privateKeyPem' });
      const key = rsaKey(credentials.privateKeyPem);
      // A Sign object is single-use (a second sign() throws "Not initialised"), so each call makes its own.
      return (baseString) => createSign('RSA-SHA1').update(baseString).sign(key, 'base64');
    }
    default:
      throw new AppError('invalid', `The signature method must be HMAC-SHA1 or RSA-SHA1, not "${String(credentials.signatureMethod)}".`, { field: 'signatureMethod' });
  }
}

function rsaKey(pem: Secret): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.reveal());
  } catch {
    throw new AppError('invalid', 'The private key could not be read; it must be a PEM-encoded RSA private key.', { field: 'privateKeyPem' });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new AppError('invalid', `The private key is ${key.asymmetricKeyType ?? 'not'} an RSA key; RSA-SHA1 needs an RSA key.`, { field: 'privateKeyPem' });
  return key;
}

const reveal = (value: string | Secret): string => (typeof value === 'string' ? value : value.reveal());
