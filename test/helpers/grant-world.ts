import type { ProxyOptions } from '../../src/app';
import type { Transport } from '../../src/domain/xero/send';
import { ManualClock } from '../../src/lib/clock';
import { chooseOrganisation } from '../../src/services/grant-choice';
import { completeLink, startLink } from '../../src/services/linking';
import { startPairing } from '../../src/services/pairing';
import { findOrganisation, type Organisation } from '../../src/store/organisations';
import { getTokenSet } from '../../src/store/token-sets';
import { freePort, startTestProxy, type TestProxy } from './proxy';
import { startTestSandbox, type TestSandbox } from './sandbox';
import { sharedTime } from './linked';
import { asCli } from './actor';

export type OAuth2AppType = 'oauth2' | 'oauth2_pkce' | 'custom_connection';

/** What the proxy sent to Xero, recorded on the way out (its transport is real fetch). */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The sandbox Xero, an OAuth 2.0 app registered with it, and a proxy configured for that app. */
export interface GrantWorld {
  sandbox: TestSandbox;
  proxy: TestProxy;
  client: { clientId: string; clientSecret: string | null };
  /** The environment the proxy was started with, for a CLI process beside it. */
  env: Record<string, string>;
  /** Every request the proxy sent to the sandbox, oldest first. */
  sent: SentRequest[];
  clock: ManualClock;
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

const SANDBOX_TYPE: Record<OAuth2AppType, string> = { oauth2: 'web', oauth2_pkce: 'pkce', custom_connection: 'custom_connection' };

/**
 * Starts the sandbox, registers an OAuth 2.0 app there (redirecting to the proxy's own callback
 * unless `redirectUri` says otherwise) and starts the proxy for it on a port known in advance.
 */
export async function startGrantWorld(
  appType: OAuth2AppType,
  options: { tenant?: string; redirectUri?: (self: string) => string; proxy?: ProxyOptions; env?: Record<string, string>; https?: boolean } = {},
): Promise<GrantWorld> {
  const sandbox = await startTestSandbox();
  const clock = new ManualClock(Date.now());
  const port = await freePort();
  // With `https` the proxy serves its own HTTPS (server.tls = "auto"), its public URL https too.
  const self = `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  const redirectUri = options.redirectUri ? options.redirectUri(self) : `${self}/connect/oauth2/callback`;
  const registered = await fetch(`${sandbox.url}/sandbox/oauth2/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: SANDBOX_TYPE[appType], redirectUris: [redirectUri], ...(options.tenant ? { tenant: options.tenant } : {}) }),
  });
  if (registered.status !== 201) throw new Error(`registering the app failed: ${registered.status} ${await registered.text()}`);
  const client = (await registered.json()) as GrantWorld['client'];
  const env: Record<string, string> = {
    XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`,
    XERO_PROXY_SERVER_PUBLIC_URL: self,
    XERO_PROXY_XERO_APP_TYPE: appType,
    XERO_PROXY_XERO_CLIENT_ID: client.clientId,
    ...(client.clientSecret ? { XERO_PROXY_XERO_CLIENT_SECRET: client.clientSecret } : {}),
    ...(options.redirectUri ? { XERO_PROXY_XERO_REDIRECT_URI: redirectUri } : {}),
    XERO_PROXY_XERO_API_URL: sandbox.url,
    XERO_PROXY_XERO_LOGIN_URL: sandbox.url,
    XERO_PROXY_XERO_IDENTITY_URL: sandbox.url,
    ...(options.https ? { XERO_PROXY_SERVER_TLS: 'auto' } : {}),
    ...options.env,
  };
  const sent: SentRequest[] = [];
  const transport: Transport = (url, init) => {
    sent.push({ method: init.method, url, headers: init.headers });
    return fetch(url, init);
  };
  const proxy = await startTestProxy({ clock, env, proxy: { transport, ...options.proxy } });
  return {
    sandbox,
    proxy,
    client,
    env: { ...env, XERO_PROXY_STORAGE_DATA_DIR: proxy.dataDir },
    sent,
    ...sharedTime(clock, sandbox, proxy),
  };
}

/** A person at Xero ticks `tenants` and allows (or denies); returns where Xero sends the browser. */
export async function approveAtXero(world: Pick<GrantWorld, 'sandbox'>, authorizeUrl: string, tenants: readonly string[], decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const response = await fetch(`${world.sandbox.url}/sandbox/oauth2/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorizeUrl, organisationIds: tenants, decision }) });
  const body = (await response.json()) as { redirect?: string };
  if (!body.redirect) throw new Error(`approving failed: ${response.status} ${JSON.stringify(body)}`);
  return body.redirect;
}

/**
 * Pairs a device, authorises `tenants` at Xero and, back at the proxy, chooses `choose` for the
 * device, as a person on the connect page would (service calls; the pages have their own tests).
 */
export async function pairAndGrant(world: GrantWorld, deviceId: string, tenants: readonly string[], choose: string): Promise<{ pairingId: string; organisations: Organisation[]; chosen: Organisation }> {
  const deps = world.proxy.running.proxy.deps;
  const pairing = startPairing(deps, { deviceId, name: deviceId, sourceAddress: '127.0.0.1' });
  const started = await startLink(asCli(deps), { pairingUserCode: pairing.userCode });
  if (started.kind !== 'redirect') throw new Error('expected a redirect to Xero');
  const landed = await approveAtXero(world, started.authorizeUrl, tenants);
  const outcome = await completeLink(deps, Object.fromEntries(new URL(landed).searchParams));
  if (outcome.kind !== 'granted' || !outcome.choice) throw new Error(JSON.stringify(outcome));
  const organisation = outcome.organisations.find((org) => org.xeroOrganisationId === choose);
  if (!organisation) throw new Error(`${choose} is not among ${outcome.organisations.map((org) => org.xeroOrganisationId).join(', ')}`);
  const { organisation: chosen } = chooseOrganisation(deps, { linkRequestId: outcome.linkRequestId, proof: outcome.choice.proof, organisationId: organisation.id });
  return { pairingId: pairing.pairingId, organisations: outcome.organisations, chosen };
}

/** The sandbox's token endpoint calls, oldest first, read from its request log (the grant type is in the body). */
export function tokenCalls(world: Pick<GrantWorld, 'sandbox'>): Array<{ grantType: string; status: number; problem: string | null }> {
  const rows = world.sandbox.sandbox.deps.db.prepare(`SELECT request_body, status, problem FROM request_log WHERE path = '/connect/token' ORDER BY id`).all() as Array<{ request_body: string | null; status: number; problem: string | null }>;
  return rows.map((row) => ({ grantType: new URLSearchParams(row.request_body ?? '').get('grant_type') ?? '', status: row.status, problem: row.problem }));
}

/** How many refresh requests reached the sandbox's token endpoint. */
export const refreshes = (world: Pick<GrantWorld, 'sandbox'>): number => tokenCalls(world).filter((call) => call.grantType === 'refresh_token').length;

/** Grants the sandbox revoked: after a replayed refresh token, or a revocation. */
export const revokedGrants = (world: Pick<GrantWorld, 'sandbox'>): number =>
  world.sandbox.sandbox.deps.db.prepare('SELECT COUNT(*) FROM oauth2_grants WHERE revoked_at IS NOT NULL').pluck().get() as number;

/** Revokes the organisation's grant at Xero, as a person removing the app in Xero's settings would. */
export async function revokeAtXero(world: GrantWorld, organisationId: string): Promise<void> {
  const { db, keyring } = world.proxy.running.proxy.deps;
  const tokens = getTokenSet(db, keyring, findOrganisation(db, organisationId)!.tokenSetId!);
  if (tokens.kind !== 'oauth2' || !tokens.credentials.refreshToken) throw new Error('not an OAuth 2.0 grant');
  const basic = Buffer.from(`${world.client.clientId}:${world.client.clientSecret}`).toString('base64');
  const response = await fetch(`${world.sandbox.url}/connect/revocation`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokens.credentials.refreshToken.reveal() }),
  });
  if (response.status !== 200) throw new Error(`revocation answered ${response.status}`);
}

/** Makes the sandbox commit the next `count` token answers, then drop the connection. */
export async function dropNextTokenAnswers(world: Pick<GrantWorld, 'sandbox'>, count = 1): Promise<void> {
  const response = await fetch(`${world.sandbox.url}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropNextTokenResponses: count }) });
  if (!response.ok) throw new Error(`faults answered ${response.status}`);
}
