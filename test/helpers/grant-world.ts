import type { ProxyOptions } from '../../src/app';
import { ManualClock } from '../../src/lib/clock';
import { chooseOrganisation } from '../../src/services/grant-choice';
import { completeLink, startLink } from '../../src/services/linking';
import { startPairing } from '../../src/services/pairing';
import type { Organisation } from '../../src/store/organisations';
import { approveAtXero, startOAuth2Front, type FrontAppType, type OAuth2Front } from './oauth2-front';
import { freePort, startTestProxy, type TestProxy } from './proxy';
import { startTestSandbox, type TestSandbox } from './sandbox';

export type OAuth2AppType = 'oauth2' | 'oauth2_pkce' | 'custom_connection';

/** A sandbox with Xero's OAuth 2.0 side in front of it, and a proxy configured for an OAuth 2.0 app. */
export interface GrantWorld {
  sandbox: TestSandbox;
  /** Where the proxy finds Xero: login, identity and API URLs all point here. */
  front: OAuth2Front;
  proxy: TestProxy;
  client: { clientId: string; clientSecret: string };
  /** The environment the proxy was started with, for a CLI process beside it. */
  env: Record<string, string>;
  clock: ManualClock;
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

const FRONT_TYPE: Record<OAuth2AppType, FrontAppType> = { oauth2: 'web', oauth2_pkce: 'pkce', custom_connection: 'custom_connection' };

/**
 * Starts the sandbox, registers an OAuth 2.0 app (redirecting to the proxy's own callback unless
 * `redirectUri` says otherwise) and starts the proxy for it on a port known in advance.
 */
export async function startGrantWorld(
  appType: OAuth2AppType,
  options: { tenant?: string; redirectUri?: (self: string) => string; proxy?: ProxyOptions; env?: Record<string, string> } = {},
): Promise<GrantWorld> {
  const sandbox = await startTestSandbox();
  const clock = new ManualClock(Date.now());
  const front = await startOAuth2Front(sandbox, clock);
  const port = await freePort();
  const self = `http://127.0.0.1:${port}`;
  const redirectUri = options.redirectUri ? options.redirectUri(self) : `${self}/connect/callback`;
  const client = front.registerApp({ type: FRONT_TYPE[appType], redirectUris: [redirectUri], ...(options.tenant ? { tenant: options.tenant } : {}) });
  const env: Record<string, string> = {
    XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`,
    XERO_PROXY_SERVER_PUBLIC_URL: self,
    XERO_PROXY_XERO_APP_TYPE: appType,
    XERO_PROXY_XERO_CLIENT_ID: client.clientId,
    ...(client.clientSecret ? { XERO_PROXY_XERO_CLIENT_SECRET: client.clientSecret } : {}),
    ...(options.redirectUri ? { XERO_PROXY_XERO_REDIRECT_URI: redirectUri } : {}),
    XERO_PROXY_XERO_API_URL: front.url,
    XERO_PROXY_XERO_LOGIN_URL: front.url,
    XERO_PROXY_XERO_IDENTITY_URL: front.url,
    ...options.env,
  };
  const proxy = await startTestProxy({ clock, env, ...(options.proxy ? { proxy: options.proxy } : {}) });
  return {
    sandbox,
    front,
    proxy,
    client,
    env: { ...env, XERO_PROXY_STORAGE_DATA_DIR: proxy.dataDir },
    clock,
    advance: async (seconds) => {
      clock.advance(seconds * 1000);
      await fetch(`${sandbox.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
    },
    stop: async () => {
      await proxy.stop();
      await front.close();
      await sandbox.stop();
    },
  };
}

/**
 * Pairs a device, authorises `tenants` at Xero's consent page and, back at the proxy, chooses
 * `choose` for the device, as a person on the connect page would (service calls, no pages).
 */
export async function pairAndGrant(world: GrantWorld, deviceId: string, tenants: readonly string[], choose: string): Promise<{ pairingId: string; organisations: Organisation[]; chosen: Organisation }> {
  const deps = world.proxy.running.proxy.deps;
  const pairing = startPairing(deps, { deviceId, name: deviceId, sourceAddress: '127.0.0.1' });
  const started = await startLink(deps, { pairingUserCode: pairing.userCode });
  if (started.kind !== 'redirect') throw new Error('expected a redirect to Xero');
  const landed = await approveAtXero(started.authorizeUrl, tenants);
  const outcome = await completeLink(deps, Object.fromEntries(new URL(landed).searchParams));
  if (outcome.kind !== 'granted' || !outcome.choice) throw new Error(JSON.stringify(outcome));
  const organisation = outcome.organisations.find((org) => org.xeroOrganisationId === choose);
  if (!organisation) throw new Error(`${choose} is not among ${outcome.organisations.map((org) => org.xeroOrganisationId).join(', ')}`);
  const { organisation: chosen } = chooseOrganisation(deps, { linkRequestId: outcome.linkRequestId, proof: outcome.choice.proof, organisationId: organisation.id });
  return { pairingId: pairing.pairingId, organisations: outcome.organisations, chosen };
}

/** How many refresh requests reached Xero's token endpoint. */
export const refreshes = (world: GrantWorld): number => world.front.log.filter((entry) => entry.path === '/connect/token' && entry.grantType === 'refresh_token').length;
