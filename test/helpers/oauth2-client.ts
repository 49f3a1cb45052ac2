import { createHash, randomBytes } from 'node:crypto';
import * as assert from 'uvu/assert';
import type { TestSandbox } from './sandbox';

/** An OAuth 2.0 app registered with a test sandbox. */
export interface TestOAuth2App {
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
}

/** The JSON a token endpoint answered, with its status. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const REDIRECT_URI = 'http://localhost:7777/callback';

/** Registers an app through the control API. */
export async function registerOAuth2App(sb: TestSandbox, body: Record<string, unknown>): Promise<TestOAuth2App> {
  const response = await fetch(`${sb.url}/sandbox/oauth2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ redirectUris: [REDIRECT_URI], ...body }) });
  const answer = (await response.json()) as Record<string, unknown>;
  assert.is(response.status, 201, JSON.stringify(answer));
  return { clientId: answer['clientId'] as string, clientSecret: answer['clientSecret'] as string | null, redirectUri: REDIRECT_URI };
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorize URL for `app`. */
export function authorizeUrl(sb: TestSandbox, app: TestOAuth2App, scope: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: app.redirectUri, scope, state: 'st-123', ...extra });
  return `${sb.url}/identity/connect/authorize?${query}`;
}

/** Approves through the control API and returns the redirect it answered. */
export async function approve(sb: TestSandbox, url: string, organisationIds: string[], decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const response = await fetch(`${sb.url}/sandbox/oauth2/authorize`, { method: 'POST', body: JSON.stringify({ authorizeUrl: url, organisationIds, decision }) });
  const body = (await response.json()) as { redirect: string };
  assert.is(response.status, 200, JSON.stringify(body));
  return new URL(body.redirect);
}

/** POSTs a form to the token endpoint, with Basic client authentication when `basic` is given. */
export async function tokenRequest(sb: TestSandbox, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<TokenAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic) headers['Authorization'] = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  const response = await fetch(`${sb.url}/connect/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Links a web app to `organisationIds` and returns its first token answer. */
export async function linkWebApp(sb: TestSandbox, app: TestOAuth2App, organisationIds: string[], scope = 'offline_access accounting.transactions accounting.settings'): Promise<Record<string, unknown>> {
  const redirect = await approve(sb, authorizeUrl(sb, app, scope), organisationIds);
  const answer = await tokenRequest(sb, { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: app.redirectUri }, { id: app.clientId, secret: app.clientSecret! });
  assert.is(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

/** Calls the API with a bearer token and, when given, a tenant. */
export function bearerFetch(sb: TestSandbox, path: string, accessToken: string, tenantId?: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}`, Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) };
  if (tenantId) headers['xero-tenant-id'] = tenantId;
  return fetch(`${sb.url}${path}`, { ...init, headers });
}

/** Moves the sandbox clock forward. */
export async function advance(sb: TestSandbox, seconds: number): Promise<void> {
  const response = await fetch(`${sb.url}/sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: seconds }) });
  assert.is(response.status, 200);
}
