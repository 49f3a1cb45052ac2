import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../store/db';
import { findOAuth2App, type OAuth2App } from './apps';
import { TokenError } from './token-error';

/**
 * Authenticates the client of a token or revocation request: `Authorization: Basic` of the
 * form-encoded `client_id:client_secret`, or both as form fields, or (a PKCE app, which has no
 * secret) the `client_id` field alone. A failure is `invalid_client`, 401.
 * @see RFC 6749 §2.3.1; PROTOCOL.md §6.2, §6.5
 */
export function authenticateClient(db: Db, authorization: string | undefined, form: Record<string, string>): OAuth2App | TokenError {
  let clientId: string | undefined;
  let secret: string | undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return invalidClient('The Basic credentials must be client_id:client_secret', true);
    clientId = safeDecode(decoded.slice(0, colon));
    secret = safeDecode(decoded.slice(colon + 1));
    if (form['client_id'] !== undefined && form['client_id'] !== clientId) return invalidClient('client_id differs between the Authorization header and the body', true);
  } else {
    clientId = form['client_id'];
    secret = form['client_secret'];
  }
  const app = clientId ? findOAuth2App(db, clientId) : undefined;
  if (!app) return invalidClient('Unknown client', Boolean(basic));
  if (app.type === 'pkce') {
    if (secret !== undefined && secret !== '') return invalidClient('A PKCE app has no client secret; send client_id only', Boolean(basic));
    return app;
  }
  if (secret === undefined || !sameSecret(secret, app.clientSecret ?? '')) return invalidClient('Invalid client secret', Boolean(basic));
  return app;
}

function invalidClient(description: string, basic: boolean): TokenError {
  return new TokenError(401, 'invalid_client', description, basic ? { 'WWW-Authenticate': 'Basic realm="identity"' } : {});
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
