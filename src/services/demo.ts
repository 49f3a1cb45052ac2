import type { DeviceRight } from '../domain/device-rights';
import { AppError } from '../lib/errors';
import { DEMO_ORGANISATIONS } from '../sandbox/organisations';
import { findActiveCertificate } from '../store/certificates';
import type { Organisation } from '../store/organisations';
import { hasAdministrators, setAdminPassword } from './administrators';
import type { Acting } from './audit';
import { createCertificate } from './certificates';
import { ensureDemoMappings } from './demo-shift';
import { addDevice } from './devices';
import { startLink } from './linking';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** The demo's fixed names, so a restarted demo finds its own links again. */
export const DEMO = {
  consumerKey: 'DEMOPRIVATEAPPCONSUMERKEY00001',
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
 * Makes the demo usable with nothing to configure: a signing certificate, the demo private app
 * registered in the embedded sandbox with it, the sandbox's café linked with the mappings its
 * till's shifts need, an administrator for the pages ("admin", who may sign in without two-step
 * sign-in: the demo runs with admin.require_mfa off), and a demo device with a fresh key.
 */
export async function prepareDemo(deps: XeroDeps & Acting, calls: XeroCalls, sandboxUrl: string): Promise<DemoReady> {
  const certificate = findActiveCertificate(deps.db) ?? createCertificate(deps, { organisationName: 'Xero Comms Proxy demo' });
  const registered = await deps.transport(`${sandboxUrl}/sandbox/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'private', consumerKey: DEMO.consumerKey, name: 'Xero Comms Proxy demo', certificatePem: certificate.certificatePem, organisationId: DEMO.organisation.id }),
    signal: AbortSignal.timeout(10_000),
    redirect: 'manual',
  });
  if (registered.status !== 201) throw new AppError('unavailable', `The demo could not register its app in the sandbox: ${registered.status} ${await registered.text()}`);
  const linked = await startLink(deps, {});
  if (linked.kind !== 'linked') throw new AppError('internal', 'The demo app is private and should link without a user step.');
  await ensureDemoMappings(deps, calls, linked.organisation.id);
  let adminPassword: string | undefined;
  if (!hasAdministrators(deps)) {
    await setAdminPassword(deps, DEMO.adminPassword);
    adminPassword = DEMO.adminPassword;
  }
  const device = addDevice(deps, { deviceId: DEMO.deviceId, name: DEMO.deviceName, organisation: linked.organisation.id, rights: DEMO.deviceRights });
  return { organisation: linked.organisation, deviceId: DEMO.deviceId, apiKey: device.apiKey, rights: device.device.rights, adminPassword };
}
