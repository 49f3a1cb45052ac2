import { planWarnings, type PlanWarning } from '../domain/organisation-plan';
import { payrollApiFor, type PayrollApi } from '../domain/documents/payroll-api';
import { findPayrollApiSetting } from '../store/organisation-payroll';
import { buildOrganisationRequest, organisationFields, processOrganisationResponse } from '../domain/xero/organisation';
import { AppError } from '../lib/errors';
import { listDevices } from '../store/devices';
import { openJobCounts, type OpenStatus } from '../store/overview-reads';
import { findOrganisation, getOrganisation, listOrganisations, upsertLinkedOrganisation, type Organisation } from '../store/organisations';
import { findTokenTimes } from '../store/token-times';
import { recordAudit, type Acting, type AuditValue } from './audit';
import type { ServiceDeps } from './deps';
import { disconnectOrganisation, type Disconnected } from './disconnect';
import type { XeroDeps } from './xero-app';
import type { XeroCalls } from './xero-calls';

/** How many of an organisation's documents are in each state that is not final (the overview's counts). */
export type WaitingCounts = Record<OpenStatus, number>;
const NO_WAITING: Readonly<WaitingCounts> = { queued: 0, sending: 0, held: 0, failed: 0, dead: 0 };

/** A device as an organisation's entry lists it. */
export interface OrganisationDevice {
  deviceId: string;
  name: string;
  status: 'active' | 'revoked';
}

/** An organisation as the administrator sees it: link, credentials' expiry, plan, devices and waiting documents. */
export interface OrganisationSummary {
  organisation: Organisation;
  /** When the access token ends (it is renewed ahead of time). */
  tokenExpiresAt: string | null;
  /** OAuth 1.0a partner apps: when the authorisation ends; OAuth 2.0: when the refresh token dies unused. */
  grantExpiresAt: string | null;
  devices: OrganisationDevice[];
  counts: WaitingCounts;
  /** Documents that have not gone yet and still will: queued, sending or held. */
  waiting: number;
  planWarnings: PlanWarning[];
  /** Which Xero payroll API its timesheets go to; null for a country without Xero Payroll. */
  payrollApi: PayrollApi | null;
}

const waitingOf = (counts: WaitingCounts) => counts.queued + counts.sending + counts.held;

function summaryOf(deps: Pick<ServiceDeps, 'db'>, organisation: Organisation, counts: WaitingCounts, devices: OrganisationDevice[]): OrganisationSummary {
  const times = organisation.tokenSetId ? findTokenTimes(deps.db, organisation.tokenSetId) : undefined;
  return {
    organisation,
    tokenExpiresAt: times?.expiresAt ?? null,
    grantExpiresAt: times?.authorizationExpiresAt ?? null,
    devices,
    counts,
    waiting: waitingOf(counts),
    planWarnings: planWarnings(organisation.planClass, organisation.edition),
    payrollApi: payrollApiFor(organisation.countryCode, findPayrollApiSetting(deps.db, organisation.id)) ?? null,
  };
}

/** Every organisation the proxy knows, linked or not, oldest first. */
export function organisationSummaries(deps: Pick<ServiceDeps, 'db'>): OrganisationSummary[] {
  const counts = openJobCounts(deps.db);
  const devices = listDevices(deps.db);
  return listOrganisations(deps.db).map((org) =>
    summaryOf(
      deps,
      org,
      counts.get(org.id) ?? { ...NO_WAITING },
      devices.filter((d) => d.organisationId === org.id).map(({ deviceId, name, status }) => ({ deviceId, name, status })),
    ),
  );
}

/** One organisation's summary, by our id, Xero's id, short code or name. */
export function organisationSummary(deps: Pick<ServiceDeps, 'db'>, text: string): OrganisationSummary {
  const organisation = getOrganisation(deps.db, text);
  return organisationSummaries(deps).find((s) => s.organisation.id === organisation.id)!;
}

/**
 * Reads the organisation's details from Xero again (name, short code, plan class, edition),
 * proving the link still works; the call is paced with every other call to that organisation.
 * @see PROTOCOL.md §4.1
 */
export async function refreshOrganisation(deps: XeroDeps & Acting, calls: XeroCalls, text: string): Promise<Organisation> {
  const found = getOrganisation(deps.db, text);
  const response = await calls.call(found.id, (auth) => buildOrganisationRequest({ apiUrl: deps.config.xero.apiUrl, auth }));
  const details = processOrganisationResponse(response);
  if (details.organisationId !== found.xeroOrganisationId) {
    throw new AppError('conflict', `Xero answered for another organisation (${details.name}) than ${found.name}, so nothing was changed.`, { hint: 'Link the organisation again.' });
  }
  const updated = deps.db.transaction(() => {
    const saved = upsertLinkedOrganisation(deps.db, deps.clock, { ...organisationFields(details), appType: found.appType, tenantId: found.tenantId, connectionId: found.connectionId }, found.tokenSetId);
    recordAudit(deps, { actor: deps.actor, action: 'organisation.refreshed', subject: saved.name, changes: changedFields(found, saved) });
    return saved;
  }).immediate();
  deps.logger.info('organisation refreshed from Xero', { organisation: updated.id, planClass: updated.planClass, edition: updated.edition });
  return updated;
}

/** The details Xero changed since the organisation was last read, each as a before and after. */
function changedFields(before: Organisation, after: Organisation): Record<string, AuditValue> {
  const fields = ['name', 'shortCode', 'countryCode', 'baseCurrency', 'planClass', 'edition'] as const;
  return Object.fromEntries(fields.filter((field) => before[field] !== after[field]).map((field) => [field, { from: before[field], to: after[field] }]));
}

/** What disconnecting an organisation would do, for the confirmation a person reads first. */
export interface DisconnectPreview {
  summary: OrganisationSummary;
  /** Devices that will keep their keys but cannot send until the organisation is linked again. */
  activeDevices: OrganisationDevice[];
}

/** What disconnecting `text` would leave behind: its waiting documents and its devices. */
export function disconnectPreview(deps: Pick<ServiceDeps, 'db'>, text: string): DisconnectPreview {
  const summary = organisationSummary(deps, text);
  if (summary.organisation.linkState === 'disconnected') {
    throw new AppError('conflict', `${summary.organisation.name} is already disconnected.`, { hint: 'Link it again to send its documents.' });
  }
  return { summary, activeDevices: summary.devices.filter((d) => d.status === 'active') };
}

/**
 * Disconnects an organisation (by our id, Xero's id, short code or name): Xero is told where it
 * can be (OAuth 2.0), the credentials are forgotten, its waiting documents are held until it is
 * linked again, and its devices' new documents are refused meanwhile.
 */
export async function disconnect(deps: XeroDeps & Acting, calls: XeroCalls, text: string): Promise<{ organisation: Organisation; done: Disconnected }> {
  const found = getOrganisation(deps.db, text);
  if (found.linkState === 'disconnected') throw new AppError('conflict', `${found.name} is already disconnected.`, { hint: 'Link it again to send its documents.' });
  const done = await disconnectOrganisation(deps, calls, found);
  return { organisation: findOrganisation(deps.db, found.id)!, done };
}
