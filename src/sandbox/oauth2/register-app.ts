import type { Clock } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import type { Db } from '../../store/db';
import { randomCode } from '../oauth1/codes';
import { findOrganisation, listOrganisations } from '../organisations';
import { findOAuth2App, insertOAuth2App, type OAuth2App, type OAuth2AppType } from './apps';
import { DEFAULT_API_SCOPES, KNOWN_SCOPES } from './scopes';

const APP_TYPES = ['web', 'pkce', 'custom_connection'] as const;
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A client id as Xero issues them: 32 uppercase hexadecimal characters. */
export const newClientId = (): string => randomCode(32, '0123456789ABCDEF');

/**
 * Registers an OAuth 2.0 app from the JSON `/sandbox/oauth2/apps` receives, as Xero's developer
 * portal does: a web app gets a secret, a PKCE app none, a custom connection a secret and one
 * organisation (default: the first). Redirect URIs must be https, or http on localhost.
 * @example registerOAuth2App(db, clock, { type: 'pkce', redirectUris: ['http://localhost:5000/cb'] })
 */
export function registerOAuth2App(db: Db, clock: Clock, body: Record<string, unknown>): OAuth2App {
  const type = body['type'];
  if (!APP_TYPES.includes(type as never)) throw new AppError('invalid', 'type: must be "web", "pkce" or "custom_connection".', { field: 'type' });
  const appType = type as OAuth2AppType;
  const clientId = credential(body, 'clientId') ?? newClientId();
  const clientSecret = appType === 'pkce' ? refuse(body, 'clientSecret', 'a PKCE app has no client secret') : (credential(body, 'clientSecret') ?? randomCode(48, SECRET_ALPHABET));
  const name = body['name'] ?? `Sandbox ${appType.replace('_', ' ')} app`;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) throw new AppError('invalid', 'name: must be text of 1 to 100 characters.', { field: 'name' });
  const app: OAuth2App = {
    clientId,
    type: appType,
    name: name.trim(),
    clientSecret,
    redirectUris: appType === 'custom_connection' ? [] : redirectUris(body['redirectUris']),
    scopes: scopes(body['scopes'], appType),
    tenantId: appType === 'custom_connection' ? tenant(db, body['tenant']) : refuse(body, 'tenant', 'only a custom connection is tied to one organisation'),
    createdAt: clock.now().toISOString(),
  };
  if (findOAuth2App(db, clientId)) throw new AppError('conflict', `clientId: an app with the client id ${clientId} is already registered.`, { field: 'clientId' });
  insertOAuth2App(db, app);
  return app;
}

function credential(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(value) || value.includes(':')) {
    throw new AppError('invalid', `${field}: must be 1 to 100 printable ASCII characters without spaces or colons.`, { field });
  }
  return value;
}

function refuse(body: Record<string, unknown>, field: string, why: string): undefined {
  if (body[field] !== undefined) throw new AppError('invalid', `${field}: not accepted for this app type: ${why}.`, { field });
  return undefined;
}

function redirectUris(value: unknown): string[] {
  const field = 'redirectUris';
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) throw new AppError('invalid', `${field}: must be a list of 1 to 50 URLs.`, { field });
  return value.map((uri) => {
    let url: URL | undefined;
    try {
      url = typeof uri === 'string' ? new URL(uri) : undefined;
    } catch {
      url = undefined;
    }
    const local = url?.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (!url || url.hash !== '' || !(url.protocol === 'https:' || local)) {
      throw new AppError('invalid', `${field}: ${JSON.stringify(uri)} must be an https URL, or http on localhost, without a fragment.`, { field });
    }
    return uri as string;
  });
}

function scopes(value: unknown, type: OAuth2AppType): string[] {
  const field = 'scopes';
  if (value === undefined) return type === 'custom_connection' ? [...DEFAULT_API_SCOPES] : [...KNOWN_SCOPES];
  if (!Array.isArray(value) || value.some((scope) => typeof scope !== 'string' || !KNOWN_SCOPES.includes(scope))) {
    throw new AppError('invalid', `${field}: must be a list of known scopes, e.g. ["offline_access", "accounting.invoices"].`, { field });
  }
  return [...new Set(value as string[])];
}

function tenant(db: Db, id: unknown): string {
  const field = 'tenant';
  if (id === undefined) {
    const first = listOrganisations(db)[0];
    if (!first) throw new AppError('invalid', `${field}: the sandbox has no organisations to connect.`, { field });
    return first.id;
  }
  if (typeof id !== 'string' || !findOrganisation(db, id)) {
    throw new AppError('invalid', `${field}: no sandbox organisation has the id ${JSON.stringify(id)}; GET /sandbox/organisations lists them.`, { field });
  }
  return id;
}
