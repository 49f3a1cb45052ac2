import { generateKeyPair } from '../../src/domain/certificates';
import type { ProxyOptions } from '../../src/app';
import { ManualClock } from '../../src/lib/clock';
import type { SandboxSettings } from '../../src/sandbox/deps';
import { completeLink, startLink, type LinkOutcome } from '../../src/services/linking';
import { startPairing } from '../../src/services/pairing';
import { insertCertificate } from '../../src/store/certificates';
import { registerApp, type TestApp } from './oauth1-client';
import { startTestProxy, type TestProxy } from './proxy';
import { startTestSandbox, type TestSandbox } from './sandbox';
import { asCli } from './actor';

export interface LinkedWorld {
  sandbox: TestSandbox;
  proxy: TestProxy;
  app: TestApp;
  /** The proxy's clock; `advance` moves it and the sandbox's together. */
  clock: ManualClock;
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A sandbox Xero and a proxy configured for one app type: the app is registered in the sandbox
 * (with a fresh certificate made and activated in the proxy for RSA apps).
 */
export async function startWorld(
  appType: 'private' | 'public' | 'partner',
  options: { organisationId?: string; proxy?: ProxyOptions; env?: Record<string, string>; sandboxRandom?: () => number; sandboxSettings?: Partial<SandboxSettings>; publicUrlIsSelf?: boolean } = {},
): Promise<LinkedWorld> {
  const sandbox = await startTestSandbox({ ...(options.sandboxRandom ? { random: options.sandboxRandom } : {}), ...(options.sandboxSettings ? { settings: options.sandboxSettings } : {}) });
  const clock = new ManualClock(Date.now());
  const pair = appType === 'public' ? undefined : generateKeyPair(clock);
  const app = await registerApp(sandbox.url, appType, {
    ...(pair ? { certificatePem: pair.info.certificatePem } : {}),
    ...(appType === 'private' && options.organisationId ? { organisationId: options.organisationId } : {}),
  });
  const proxy = await startTestProxy({
    clock,
    env: {
      XERO_PROXY_XERO_APP_TYPE: appType,
      XERO_PROXY_XERO_API_URL: sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: app.consumerSecret,
      // Browsers need the real address (the pages check Origin against it); other tests a name.
      ...(options.publicUrlIsSelf ? {} : { XERO_PROXY_SERVER_PUBLIC_URL: 'http://proxy.test' }),
      ...options.env,
    },
    publicUrlIsSelf: options.publicUrlIsSelf ?? false,
    ...(options.proxy ? { proxy: options.proxy } : {}),
  });
  const { deps } = proxy.running.proxy;
  if (pair) insertCertificate(deps.db, deps.keyring, clock, 'active', pair);
  return {
    sandbox,
    proxy,
    app,
    ...sharedTime(clock, sandbox, proxy),
  };
}

/**
 * The clock a world's proxy runs on, `advance` moving it and the sandbox's together, and `stop`
 * for both servers.
 */
export function sharedTime(clock: ManualClock, sandbox: TestSandbox, proxy: TestProxy): { clock: ManualClock; advance(seconds: number): Promise<void>; stop(): Promise<void> } {
  return {
    clock,
    advance: async (seconds) => {
      clock.advance(seconds * 1000);
      await fetch(`${sandbox.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
    },
    stop: async () => {
      await proxy.stop();
      await sandbox.stop();
    },
  };
}

/** Pairs a device and links an organisation for it, approving at the sandbox as a person would. */
export async function pairAndLink(world: Pick<LinkedWorld, 'proxy' | 'sandbox'>, deviceId: string, organisationId?: string): Promise<{ outcome: LinkOutcome; pairingId: string }> {
  const deps = world.proxy.running.proxy.deps;
  const pairing = startPairing(deps, { deviceId, name: deviceId, sourceAddress: '127.0.0.1' });
  const started = await startLink(asCli(deps), { pairingUserCode: pairing.userCode });
  if (started.kind === 'linked') return { outcome: { kind: 'linked', organisation: started.organisation, pairingUserCode: pairing.userCode, deviceId: null }, pairingId: pairing.pairingId };
  const token = new URL(started.authorizeUrl).searchParams.get('oauth_token')!;
  const approval = (await (
    await fetch(`${world.sandbox.url}/sandbox/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ oauthToken: token, organisationId, decision: 'allow' }) })
  ).json()) as { redirect: string };
  const callback = Object.fromEntries(new URL(approval.redirect).searchParams);
  return { outcome: await completeLink(deps, callback), pairingId: pairing.pairingId };
}

/** The device's key, collected as the app would: POST /api/v1/pair/token. */
export async function collectKey(world: Pick<LinkedWorld, 'proxy'>, pairingId: string): Promise<string> {
  const response = await fetch(`${world.proxy.url}/api/v1/pair/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingId }) });
  const body = (await response.json()) as { apiKey?: string; error?: string };
  if (!body.apiKey) throw new Error(`no key: ${JSON.stringify(body)}`);
  return body.apiKey;
}

/**
 * Runs `work` while time passes for both clocks, `stepSeconds` every few milliseconds: what a
 * caller the pacer makes wait needs when the proxy's clock stands still between `advance` calls.
 */
export async function whileTimePasses<T>(world: Pick<LinkedWorld, 'advance'>, work: Promise<T>, stepSeconds = 1): Promise<T> {
  let done = false;
  const settled = work.finally(() => (done = true));
  while (!done) {
    await world.advance(stepSeconds);
    await Promise.race([settled.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10))]);
  }
  return settled;
}

/**
 * Moves both clocks by `stepSeconds` every `everyMs` until stopped, for work that waits on the
 * pacer while a browser or a long request runs. `stop` waits for the step in flight, so none is
 * left talking to a sandbox the test is about to close.
 */
export function tickClocks(world: Pick<LinkedWorld, 'advance'>, everyMs = 100, stepSeconds = 1): { stop(): Promise<void> } {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(() => world.advance(stepSeconds)).catch(() => undefined);
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/**
 * Moves a world's clocks (the proxy's and the sandbox's) to five minutes past the next UTC
 * midnight. A test about one day's deliveries (the reconciliation's days are UTC days) then has
 * the whole day ahead of it, whatever the time of day it runs at: without it, a test run late in
 * the evening delivers on one day and moves its clocks into the next.
 */
export async function startOfNextUtcDay(world: Pick<LinkedWorld, 'clock' | 'advance'>): Promise<void> {
  const DAY_MS = 86_400_000;
  const now = world.clock.now().getTime();
  const target = (Math.floor(now / DAY_MS) + 1) * DAY_MS + 5 * 60_000;
  await world.advance(Math.ceil((target - now) / 1000));
}
