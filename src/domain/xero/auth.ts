import { AppError } from '../../lib/errors';
import type { Secret } from '../../lib/secret';
import { signRequest } from '../oauth1/sign-request';
import { signingCredentials, type XeroAccess, type XeroConsumer } from './credentials';
import type { XeroRequest } from './http';

/**
 * How a request proves who sends it: an OAuth 1.0a signature (the app and a token, at a time),
 * or an OAuth 2.0 access token for one tenant. Build functions take one and never care which.
 */
export type XeroAuth =
  | { scheme: 'oauth1'; consumer: XeroConsumer; access: XeroAccess; now: Date; nonce?: string }
  | { scheme: 'oauth2'; accessToken: Secret; tenantId: string | null };

/** OAuth 1.0a: signed by the app with `access` (a private app's is `privateAppAccess(consumer)`). */
export function oauth1Auth(consumer: XeroConsumer, access: XeroAccess, now: Date, nonce?: string): XeroAuth {
  return { scheme: 'oauth1', consumer, access, now, ...(nonce !== undefined ? { nonce } : {}) };
}

/** OAuth 2.0: a Bearer access token acting for `tenantId` (a custom connection may leave it out). */
export function oauth2Auth(accessToken: Secret, tenantId: string | null): XeroAuth {
  return { scheme: 'oauth2', accessToken, tenantId };
}

/**
 * The headers that authorise one request: an OAuth 1.0a `Authorization` signed over the method,
 * URL and any form body; or `Authorization: Bearer` with `xero-tenant-id`.
 * @see PROTOCOL.md §1.2 (signatures), §6.2 (Bearer and xero-tenant-id)
 */
export function authHeaders(auth: XeroAuth, request: { method: string; url: string; form?: string }): Record<string, string> {
  if (auth.scheme === 'oauth2') {
    if (auth.accessToken.isEmpty) throw new AppError('internal', 'The OAuth 2.0 access token is empty.');
    return { Authorization: `Bearer ${auth.accessToken.reveal()}`, ...(auth.tenantId ? { 'xero-tenant-id': auth.tenantId } : {}) };
  }
  const { authorization } = signRequest({
    method: request.method,
    url: request.url,
    credentials: signingCredentials(auth.consumer, auth.access),
    now: auth.now,
    ...(request.form !== undefined ? { form: request.form } : {}),
    ...(auth.nonce !== undefined ? { nonce: auth.nonce } : {}),
  });
  return { Authorization: authorization };
}

/** Builds a GET asking for JSON: the shape of every read of reference data and lists. */
export function buildJsonGet(auth: XeroAuth, url: string): XeroRequest {
  return { method: 'GET', url, headers: { ...authHeaders(auth, { method: 'GET', url }), Accept: 'application/json' } };
}
