/**
 * A TEST-ONLY stand-in for Xero's OAuth 2.0 side, in front of the real sandbox, until the
 * sandbox's own identity server exists (issue 5 §5; remove this file when it lands and point the
 * tests at the sandbox, whose URLs are the same). It is written from PROTOCOL.md §6 alone:
 * - the identity server: a consent page with tenant checkboxes, `/connect/token` for
 *   authorization_code (Basic, or client_id + PKCE S256), refresh_token (strict rotation, the
 *   previous token honoured for 30 minutes only while its successor is unused, the whole grant
 *   revoked when a rotated token is replayed after that) and client_credentials, and
 *   `/connect/revocation`;
 * - `GET /connections` and `DELETE /connections/{id}`;
 * - every API call: Bearer and `xero-tenant-id` checked (401 TokenExpired, 403
 *   AuthenticationUnsuccessful), then forwarded to the real sandbox signed as that tenant's
 *   private app, so documents land in the sandbox's ledger with its validation and limits.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { registerApp, signRequest, TEST_CERTIFICATE, type TestApp } from './oauth1-client';
import type { TestSandbox } from './sandbox';

export type FrontAppType = 'web' | 'pkce' | 'custom_connection';

/** One request the front answered: what tests assert on. */
export interface FrontRequest {
  method: string;
  path: string;
  status: number;
  grantType?: string;
  tenant?: string;
  idempotencyKey?: string;
  problem?: string;
}

export interface OAuth2Front {
  url: string;
  log: FrontRequest[];
  /** Faults: the next N refresh answers are committed, then the connection is dropped. */
  faults: { dropRefreshAnswers: number };
  registerApp(input: { type: FrontAppType; redirectUris: string[]; tenant?: string }): { clientId: string; clientSecret: string };
  /** Revokes every grant (as a person removing the app in Xero would). */
  revokeAllGrants(): void;
  /** Grants revoked because a rotated refresh token was replayed: must stay 0. */
  replays(): number;
  close(): Promise<void>;
}

interface App {
  type: FrontAppType;
  secret: string;
  redirectUris: string[];
  tenant?: string;
}
interface Grant {
  clientId: string;
  tenants: Map<string, string>;
  revoked: boolean;
}
interface RefreshRecord {
  grant: Grant;
  usedAt?: number;
  successor?: string;
}

const ACCESS_MS = 30 * 60_000;
const GRACE_MS = 30 * 60_000;

/** Starts the front on a free port; `clock` is the world's, advanced together with the sandbox's. */
export async function startOAuth2Front(sandbox: TestSandbox, clock: Clock): Promise<OAuth2Front> {
  const apps = new Map<string, App>();
  const privateApps = new Map<string, TestApp>();
  for (const org of DEMO_ORGANISATIONS) privateApps.set(org.id, await registerApp(sandbox.url, 'private', { certificatePem: TEST_CERTIFICATE, organisationId: org.id }));
  const pending = new Map<string, { clientId: string; redirectUri: string; state: string; challenge?: string }>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge?: string; tenants: string[]; expiresAt: number }>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const grants: Grant[] = [];
  let replays = 0;
  const log: FrontRequest[] = [];
  const faults = { dropRefreshAnswers: 0 };
  const now = () => clock.now().getTime();

  const issue = (grant: Grant, withRefresh: boolean) => {
    const access = randomBytes(24).toString('base64url');
    accessTokens.set(access, { grant, expiresAt: now() + ACCESS_MS });
    const refresh = withRefresh ? randomBytes(24).toString('base64url') : undefined;
    if (refresh) refreshTokens.set(refresh, { grant });
    return { access_token: access, expires_in: 1800, token_type: 'Bearer', ...(refresh ? { refresh_token: refresh } : {}), scope: 'offline_access accounting.invoices' };
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(request, response, body).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const url = new URL(request.url!, 'http://front');
    const entry: FrontRequest = { method: request.method!, path: url.pathname, status: 0 };
    log.push(entry);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
    };
    const oauthError = (status: number, error: string) => ((entry.problem = error), json(status, { error }));
    const form = new URLSearchParams(body);

    if (url.pathname === '/identity/connect/authorize' && request.method === 'GET') {
      const clientId = url.searchParams.get('client_id') ?? '';
      const app = apps.get(clientId);
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      // Xero shows its own error page for a bad client or redirect URI (PROTOCOL.md §6.2).
      if (!app || app.type === 'custom_connection' || !app.redirectUris.includes(redirectUri) || url.searchParams.get('response_type') !== 'code') {
        entry.status = 500;
        return void response.writeHead(500, { 'content-type': 'text/html' }).end('<p>Sorry, something went wrong (unauthorized_client).</p>');
      }
      const challenge = url.searchParams.get('code_challenge') ?? undefined;
      if (app.type === 'pkce' && (!challenge || url.searchParams.get('code_challenge_method') !== 'S256')) return oauthError(400, 'invalid_request');
      const id = randomUUID();
      pending.set(id, { clientId, redirectUri, state: url.searchParams.get('state') ?? '', ...(challenge ? { challenge } : {}) });
      entry.status = 200;
      const boxes = DEMO_ORGANISATIONS.map((org) => `<label><input type="checkbox" name="tenant" value="${org.id}"> ${org.name}</label>`).join('\n');
      return void response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<form method="post" action="/identity/connect/authorize"><input type="hidden" name="request" value="${id}">\n${boxes}\n<button name="decision" value="allow">Allow access</button><button name="decision" value="deny">Cancel</button></form>`);
    }
    if (url.pathname === '/identity/connect/authorize' && request.method === 'POST') {
      const asked = pending.get(form.get('request') ?? '');
      if (!asked) return oauthError(400, 'invalid_request');
      pending.delete(form.get('request')!);
      const back = new URL(asked.redirectUri);
      const tenants = form.getAll('tenant');
      if (form.get('decision') !== 'allow' || tenants.length === 0) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { clientId: asked.clientId, redirectUri: asked.redirectUri, tenants, expiresAt: now() + 5 * 60_000, ...(asked.challenge ? { challenge: asked.challenge } : {}) });
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', asked.state);
      entry.status = 302;
      return void response.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/connect/token' && request.method === 'POST') {
      const grantType = form.get('grant_type') ?? '';
      entry.grantType = grantType;
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      // RFC 6749 §2.3.1: each part form-encoded; what Xero's SDKs send (not encoded) decodes the same.
      const [clientId, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' '))) : [form.get('client_id') ?? '', undefined];
      const app = apps.get(clientId ?? '');
      if (!app || (app.type !== 'pkce' && secret !== app.secret)) return oauthError(400, 'invalid_client');
      if (grantType === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!code || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri') || code.expiresAt < now()) return oauthError(400, 'invalid_grant');
        if (code.challenge && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== code.challenge) return oauthError(400, 'invalid_grant');
        const grant: Grant = { clientId: clientId!, tenants: new Map(code.tenants.map((tenant) => [tenant, randomUUID()])), revoked: false };
        grants.push(grant);
        return json(200, issue(grant, true));
      }
      if (grantType === 'refresh_token') {
        const token = form.get('refresh_token') ?? '';
        const record = refreshTokens.get(token);
        if (!record || record.grant.revoked || record.grant.clientId !== clientId) return oauthError(400, 'invalid_grant');
        if (record.usedAt !== undefined) {
          // Rotated already: honoured again only while its successor is unused, for 30 minutes.
          const successorUsed = record.successor !== undefined && refreshTokens.get(record.successor)?.usedAt !== undefined;
          if (successorUsed) {
            record.grant.revoked = true;
            replays += 1;
            return oauthError(400, 'invalid_grant');
          }
          if (now() - record.usedAt > GRACE_MS) return oauthError(400, 'invalid_grant');
          if (record.successor) refreshTokens.delete(record.successor);
        }
        record.usedAt = now();
        const answer = issue(record.grant, true);
        record.successor = answer.refresh_token;
        if (faults.dropRefreshAnswers > 0) {
          faults.dropRefreshAnswers -= 1;
          entry.status = -1;
          return void request.socket.destroy();
        }
        return json(200, answer);
      }
      if (grantType === 'client_credentials') {
        if (app.type !== 'custom_connection' || !app.tenant) return oauthError(400, 'unauthorized_client');
        const grant: Grant = grants.find((g) => g.clientId === clientId) ?? { clientId: clientId!, tenants: new Map([[app.tenant, randomUUID()]]), revoked: false };
        if (!grants.includes(grant)) grants.push(grant);
        return json(200, issue(grant, false));
      }
      return oauthError(400, 'unsupported_grant_type');
    }
    if (url.pathname === '/connect/revocation' && request.method === 'POST') {
      const record = refreshTokens.get(form.get('token') ?? '');
      if (record) record.grant.revoked = true;
      entry.status = 200;
      return void response.writeHead(200).end();
    }

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const access = bearer ? accessTokens.get(bearer) : undefined;
    if (!access || access.grant.revoked) return json(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    if (access.expiresAt <= now()) return json(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: `TokenExpired: token expired at ${new Date(access.expiresAt).toISOString()}` });
    const grant = access.grant;
    if (url.pathname === '/connections' && request.method === 'GET') {
      return json(200, [...grant.tenants].map(([tenantId, id]) => ({ id, authEventId: 'auth-event', tenantId, tenantType: 'ORGANISATION', tenantName: DEMO_ORGANISATIONS.find((o) => o.id === tenantId)?.name, createdDateUtc: '2026-11-28T00:00:00' })));
    }
    const removing = /^\/connections\/([^/]+)$/.exec(url.pathname)?.[1];
    if (removing && request.method === 'DELETE') {
      const tenant = [...grant.tenants].find(([, id]) => id === removing)?.[0];
      if (!tenant) return json(404, { Title: 'Not Found', Status: 404 });
      grant.tenants.delete(tenant);
      entry.status = 204;
      return void response.writeHead(204).end();
    }
    const tenant = String(request.headers['xero-tenant-id'] ?? '');
    entry.tenant = tenant;
    const app = apps.get(grant.clientId);
    const reachable = app?.type === 'custom_connection' && tenant === '' ? app.tenant! : tenant;
    if (!grant.tenants.has(reachable)) return json(403, { Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
    if (request.headers['idempotency-key']) entry.idempotencyKey = String(request.headers['idempotency-key']);
    await forward(request, response, body, url, privateApps.get(reachable)!, entry);
  }

  async function forward(request: IncomingMessage, response: ServerResponse, body: string, url: URL, app: TestApp, entry: FrontRequest): Promise<void> {
    const target = `${sandbox.url}${url.pathname}${url.search}`;
    const type = String(request.headers['content-type'] ?? '');
    const isForm = /application\/x-www-form-urlencoded/i.test(type);
    const signed = signRequest({ method: request.method!, url: target, credentials: app.credentials, now: () => clock.now(), ...(isForm ? { form: body } : {}) });
    const headers: Record<string, string> = { Authorization: signed.authorization };
    for (const name of ['accept', 'content-type', 'if-modified-since', 'idempotency-key']) if (request.headers[name]) headers[name] = String(request.headers[name]);
    const answer = await fetch(target, { method: request.method!, headers, ...(body !== '' && request.method !== 'GET' ? { body } : {}), redirect: 'manual' });
    const text = await answer.text();
    entry.status = answer.status;
    const passed: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) passed[name] = value;
    });
    response.writeHead(answer.status, passed).end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    faults,
    registerApp: (input) => {
      const clientId = randomBytes(16).toString('hex').toUpperCase();
      const clientSecret = input.type === 'pkce' ? '' : randomBytes(24).toString('base64url');
      apps.set(clientId, { type: input.type, secret: clientSecret, redirectUris: input.redirectUris, ...(input.tenant ? { tenant: input.tenant } : {}) });
      return { clientId, clientSecret };
    },
    revokeAllGrants: () => grants.forEach((grant) => (grant.revoked = true)),
    replays: () => replays,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A person at the consent page: ticks `tenants` and allows (or cancels); returns where Xero sends the browser. */
export async function approveAtXero(authorizeUrl: string, tenants: readonly string[], decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 200)}`);
  const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1]!, authorizeUrl);
  const pairs: Array<[string, string]> = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]);
  for (const tenant of tenants) pairs.push(['tenant', tenant]);
  pairs.push(['decision', decision]);
  const answer = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(pairs).toString(), redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the consent form answered ${answer.status}`);
  return location;
}

