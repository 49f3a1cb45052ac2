import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import type { SandboxLimits } from '../../src/sandbox/deps';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { insertCertificate } from '../../src/store/certificates';
import { collectKey, pairAndLink } from './linked';
import { registerApp } from './oauth1-client';
import { startTestProxy, type TestProxy } from './proxy';
import { startTestSandbox, type TestSandbox } from './sandbox';

/** A proxy and sandbox on the real clock, Harbourside Café linked for one device. */
export interface RealTimeWorld {
  sandbox: TestSandbox;
  proxy: TestProxy;
  /** The proxy's id of the linked organisation (jobs name it). */
  organisationId: string;
  /** Xero's id of it (the sandbox's tables name it). */
  xeroOrganisationId: string;
  /** The linked device's API key, for the device API. */
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * Harbourside Café linked through a private app, with both sides on the system clock, for
 * timers and throughput (the LinkedWorld's manual clock would stop the pacer). `minuteMs`
 * scales the sandbox's minute window and the proxy's pacer alike; the delivery loop is the
 * caller's to build, once its jobs are in.
 */
export async function startRealTimeWorld(options: { minuteMs?: number; limits?: SandboxLimits } = {}): Promise<RealTimeWorld> {
  const xeroOrganisationId = DEMO_ORGANISATIONS[0]!.id;
  const sandbox = await startTestSandbox({ settings: { minuteMs: options.minuteMs, ...(options.limits ? { limits: options.limits } : {}) } });
  const pair = generateKeyPair(systemClock);
  const app = await registerApp(sandbox.url, 'private', { certificatePem: pair.info.certificatePem, organisationId: xeroOrganisationId });
  const proxy = await startTestProxy({
    clock: systemClock,
    env: {
      XERO_PROXY_XERO_APP_TYPE: 'private',
      XERO_PROXY_XERO_API_URL: sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: app.consumerSecret,
      XERO_PROXY_SERVER_PUBLIC_URL: 'http://proxy.test',
    },
    ...(options.minuteMs !== undefined ? { proxy: { paceMinuteMs: options.minuteMs } } : {}),
  });
  const stop = async () => {
    await proxy.stop();
    await sandbox.stop();
  };
  try {
    const { deps } = proxy.running.proxy;
    insertCertificate(deps.db, deps.keyring, systemClock, 'active', pair);
    const { pairingId, outcome } = await pairAndLink({ proxy, sandbox }, 'REAL-TIME-TILL');
    if (outcome.kind !== 'linked') throw new Error(`linking failed: ${JSON.stringify(outcome)}`);
    return { sandbox, proxy, organisationId: outcome.organisation.id, xeroOrganisationId, apiKey: await collectKey({ proxy }, pairingId), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
