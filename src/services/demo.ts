import type { DeviceRight } from '../domain/device-rights';
import { AppError } from '../lib/errors';
import { DEMO_ORGANISATIONS } from '../sandbox/organisations';
import { findLinkRequest } from '../store/link-requests';
import { findOrganisationByXeroId, type Organisation } from '../store/organisations';
import { hasAdministrators, setAdminPassword } from './administrators';
import type { Acting } from './audit';
import { ensureDemoMappings } from './demo-shift';
import { addDevice } from './devices';
import { startLink } from './linking';
import { openOwnPage } from './proxy-probe';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** The demo's fixed names, so a restarted demo finds its own links again. */
export const DEMO = {
  /** The demo's OAuth 2.0 web app, registered in the (in-memory) sandbox on every start; sandbox-only credentials. */
  clientId: 'DEMOPROXYOAUTH2CLIENTID000000001',
  clientSecret: 'DEMOPROXY-sandbox-only-not-a-real-secret-000001',
  deviceId: 'DEMO-TILL-1',
  deviceName: 'Demo till',
  /** What the README's device API examples use: the cached pick lists and accounting reads through /xero; no payroll, no writes. */
  deviceRights: ['reference', 'accounting.read'],
  adminPassword: 'harbourside-demo',
  organisation: DEMO_ORGANISATIONS[0]!,
} as const;

export interface DemoReady {
  organisation: Organisation;
  deviceId: string;
  apiKey: string;
  rights: readonly DeviceRight[];
  /** Set only when this start chose the password (it is never printed again otherwise). */
  adminPassword: string | undefined;
}

/**
 * Makes the demo usable with nothing to configure: the demo's OAuth 2.0 web app registered in
 * the embedded sandbox, the sandbox's café linked through its identity server as a real
 * installation links it, with the mappings its till's shifts need, an administrator for the
 * pages ("admin", who may sign in without two-step sign-in: the demo runs with admin.require_mfa
 * off), and a demo device with a fresh key. The proxy must be listening: Xero's answer comes
 * back to its own callback.
 */
export async function prepareDemo(deps: XeroDeps & Acting, calls: XeroCalls, sandboxUrl: string): Promise<DemoReady> {
  await sandboxControl(deps, `${sandboxUrl}/sandbox/oauth2/apps`, 201, {
    type: 'web',
    clientId: DEMO.clientId,
    clientSecret: DEMO.clientSecret,
    name: 'Xero Comms Proxy demo',
    redirectUris: [deps.config.xero.redirectUri],
  });
  const organisation = await linkCafe(deps, sandboxUrl);
  await ensureDemoMappings(deps, calls, organisation.id);
  let adminPassword: string | undefined;
  if (!hasAdministrators(deps)) {
    await setAdminPassword(deps, DEMO.adminPassword);
    adminPassword = DEMO.adminPassword;
  }
  const device = addDevice(deps, { deviceId: DEMO.deviceId, name: DEMO.deviceName, organisation: organisation.id, rights: DEMO.deviceRights });
  return { organisation, deviceId: DEMO.deviceId, apiKey: device.apiKey, rights: device.device.rights, adminPassword };
}

/**
 * Links the café with a new grant, on every start: the sandbox is new each time, so an earlier
 * run's tokens mean nothing to it. The grant replaces the old one on the same organisation row,
 * so devices and jobs keep pointing at it.
 */
async function linkCafe(deps: XeroDeps & Acting, sandboxUrl: string): Promise<Organisation> {
  const started = await startLink(deps, {});
  if (started.kind !== 'redirect') throw new AppError('internal', 'The demo app is an OAuth 2.0 web app and should send the browser to Xero.');
  // This stands in for the person at Xero's consent page who ticks the café and clicks Allow.
  const { redirect } = (await sandboxControl(deps, `${sandboxUrl}/sandbox/oauth2/authorize`, 200, {
    authorizeUrl: started.authorizeUrl,
    organisationIds: [DEMO.organisation.id],
    decision: 'allow',
  })) as { redirect: string };
  if (!redirect.startsWith(`${deps.config.xero.redirectUri}?`)) {
    throw new AppError('unavailable', `The sandbox sent the browser to ${redirect}, not to the proxy's callback ${deps.config.xero.redirectUri}.`);
  }
  // Then the browser's next step: the proxy's own callback, over the same HTTPS a browser that
  // trusts the proxy's CA uses, so the proxy exchanges the code, reads /connections and links.
  const landed = await openOwnPage(deps, redirect).catch((error: unknown) => {
    throw new AppError('unavailable', `The demo could not open the proxy's own callback ${deps.config.xero.redirectUri}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const organisation = findOrganisationByXeroId(deps.db, DEMO.organisation.id);
  if (findLinkRequest(deps.db, started.linkRequestId)?.state !== 'completed' || organisation?.linkState !== 'linked') {
    throw new AppError('unavailable', `The proxy's callback did not link ${DEMO.organisation.name} (it answered ${landed.status}); its log says why.`);
  }
  return organisation;
}

/** One call to the sandbox's control API, which answers JSON with `status` when it works. */
async function sandboxControl(deps: XeroDeps, url: string, status: number, body: Record<string, unknown>): Promise<unknown> {
  const response = await deps.transport(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
    redirect: 'manual',
  });
  if (response.status !== status) throw new AppError('unavailable', `The demo's call to the sandbox (${new URL(url).pathname}) failed: ${response.status} ${await response.text()}`);
  return response.json();
}
