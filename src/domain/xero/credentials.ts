import type { Secret } from '../../lib/secret';
import type { SignatureMethod, SigningCredentials } from '../oauth1/sign-request';

/** A registered Xero app: public apps sign with HMAC-SHA1 and the consumer secret, private and partner apps with RSA-SHA1. */
export interface XeroConsumer {
  consumerKey: string;
  consumerSecret?: Secret;
  privateKeyPem?: Secret;
  signatureMethod: SignatureMethod;
}

/** A token the app acts with: a request token while linking, or an access token afterwards. */
export interface XeroAccess {
  token: string | Secret;
  /** Absent for a private app, whose RSA signature needs no token secret. */
  secret?: Secret;
}

/**
 * A private app's access: its token is its own consumer key and it has no token secret.
 * @see PROTOCOL.md §1.2 (Xero "Private applications")
 */
export function privateAppAccess(consumer: XeroConsumer): XeroAccess {
  return { token: consumer.consumerKey };
}

/** The signer's credentials for an app acting with a token (or with none, for RequestToken). */
export function signingCredentials(consumer: XeroConsumer, access?: XeroAccess): SigningCredentials {
  return {
    consumerKey: consumer.consumerKey,
    signatureMethod: consumer.signatureMethod,
    ...(consumer.consumerSecret ? { consumerSecret: consumer.consumerSecret } : {}),
    ...(consumer.privateKeyPem ? { privateKeyPem: consumer.privateKeyPem } : {}),
    ...(access ? { token: access.token } : {}),
    ...(access?.secret ? { tokenSecret: access.secret } : {}),
  };
}
