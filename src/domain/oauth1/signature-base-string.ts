import OAuth from 'oauth-1.0a';
import { AppError } from '../../lib/errors';
import type { Pair } from './form-encoding';

/** The hash step the package calls with (base string, signing key); one is made per signature. */
export type HashFunction = (baseString: string, signingKey: string) => string;

/**
 * An oauth-1.0a engine for exactly one signature. A fresh instance per call means a fresh
 * `hash_function`, so no Sign object or key state is ever shared between requests, and the
 * signature method is always named: the package's own default is PLAINTEXT.
 */
export function packageEngine(options: { consumerKey: string; consumerSecret: string; signatureMethod: string; hash: HashFunction }): OAuth {
  return new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: options.signatureMethod,
    hash_function: options.hash,
  });
}

/**
 * The package request that makes `getBaseString` / `getSignature` conformant: a URL that is
 * already normalised and has no `?` (so the package's own query parser, which truncates values
 * at `=`, keeps `+`, double-encodes names and drops repeats, never runs) and every parameter,
 * protocol ones included, passed explicitly as decoded values grouped by name. The package then
 * only percent-encodes, sorts by encoded name and value, and joins, which it does correctly.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3.2
 */
export function packageRequest(method: string, baseUri: string, parameters: readonly Pair[]): OAuth.RequestOptions {
  if (baseUri.includes('?') || baseUri.includes('#')) throw new AppError('internal', 'The base string URI must not carry a query or fragment.');
  // A null-prototype object so names like "constructor" are plain keys.
  const grouped = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of parameters) {
    // The package copies parameters into ordinary objects, where "__proto__" is a setter and
    // the parameter would silently vanish from the signature; no Xero API uses the name.
    if (name === '__proto__') throw new AppError('invalid', 'A request parameter may not be named "__proto__".');
    const seen = grouped[name];
    if (seen === undefined) grouped[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else grouped[name] = [seen, value];
  }
  return { method: method.toUpperCase(), url: baseUri, data: grouped };
}

/**
 * The RFC 5849 signature base string for a request whose URL is already normalised and whose
 * parameters (query, form body, oauth_* protocol parameters but not oauth_signature) are decoded.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 * @example signatureBaseString('GET', 'https://api.xero.com/api.xro/2.0/Invoices', [['page', '1'], …])
 */
export function signatureBaseString(method: string, baseUri: string, parameters: readonly Pair[]): string {
  const engine = packageEngine({ consumerKey: '', consumerSecret: '', signatureMethod: 'HMAC-SHA1', hash: unused });
  // The second argument is the package's "oauth data", which it merges into (mutates); the
  // protocol parameters already travel in the request, so it gets a fresh empty object.
  return engine.getBaseString(packageRequest(method, baseUri, parameters), emptyOAuthData());
}

/** A fresh object for the package's `oauth_data` argument, which it mutates. */
export const emptyOAuthData = (): OAuth.Data => Object.create(null) as OAuth.Data;

const unused: HashFunction = () => {
  throw new AppError('internal', 'The base string engine never signs.');
};
