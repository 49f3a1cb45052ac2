import { CAUSES, CAUSE_CODES } from '../domain/attention/causes';
import { expiryStatus } from '../domain/certificates';
import { findActiveCertificate } from '../store/certificates';
import { listDevices, type Device } from '../store/devices';
import { listOrganisations, type AppType, type LinkState } from '../store/organisations';
import { usageSince } from '../store/organisation-usage';
import { attentionCounts, openJobCounts, organisationTimes, type OpenStatus } from '../store/overview-reads';
import { allTokenTimes } from '../store/token-times';
import { backupStatus } from './backup-status';
import { certificateWarnings } from './certificate-warnings';
import { readHostFacts } from './host-facts';
import { unreviewedFindings } from './reconciliation-report';
import { tlsStatus } from './tls-status';
import type { ServiceDeps } from './deps';

/** Reads the pauses the process's pacer keeps in memory (a CLI process has none). */
export interface PauseReader {
  pauseOf(organisationId: string): { until: Date; daily: boolean; message: string } | undefined;
}

/** Token, grant and certificate ends are announced this many days ahead. */
export const EXPIRY_WARNING_DAYS = 30;

/** Where a warning is put right: a console page. */
export type FixHref = '/attention' | '/organisations' | '/settings' | '/documents' | '/reconciliation';

/** Something a person should act on, with the page where it is fixed. */
export interface OverviewWarning {
  code: 'attention' | 'relink' | 'budget' | 'stuck' | 'grant_expiry' | 'certificate' | 'https' | 'backup' | 'reconciliation';
  /** The organisation concerned; null for the whole proxy (the signing certificate, HTTPS, backups). */
  organisationId: string | null;
  message: string;
  href: FixHref;
  /** The link's words: "See what needs attention". */
  action: string;
}

/** Why an organisation's sending stands still, and until when (null: until a person acts). */
export interface OrganisationPause {
  reason: 'rate_limit' | 'daily_budget' | 'relink';
  message: string;
  until: string | null;
}

/** Everything the overview says about one organisation. */
export interface OrganisationOverview {
  id: string;
  name: string;
  shortCode: string | null;
  appType: AppType;
  linkState: LinkState;
  relinkReason: string | null;
  counts: Record<OpenStatus, number>;
  /** Queued, sending and held: the documents still on their way. */
  waiting: number;
  /** Failed, dead, or held for a cause a person must fix. */
  needsAttention: number;
  oldestWaitingAt: string | null;
  lastDeliveredAt: string | null;
  usage: { callsToday: number; dayLimit: number; xeroRemaining: number | null; usedPercent: number };
  pause: OrganisationPause | null;
  /** The access token's end (renewed by itself) and the authorisation's (a person must link again after it). */
  token: { expiresAt: string | null; authorizationExpiresAt: string | null } | null;
  /** OAuth 1.0a private and partner apps: the active signing certificate's end. */
  certificate: { id: string; notAfter: string; daysLeft: number } | null;
  devices: Array<{ name: string; deviceId: string; status: 'active' | 'revoked'; lastSeenAt: string | null }>;
}

export interface Overview {
  generatedAt: string;
  organisations: OrganisationOverview[];
  warnings: OverviewWarning[];
  /** Green: no warning, nothing failed, nothing on its way, and at least one organisation linked. */
  allDelivered: boolean;
  totals: { waiting: number; needsAttention: number };
}

// Causes that do not go by themselves; a relink is reported once per organisation instead.
const PERSON_CAUSES = CAUSE_CODES.filter((code) => !CAUSES[code].transient && code !== 'relink_needed');
const RSA_APPS = new Set<AppType>(['private', 'partner']);
const DAY_MS = 86_400_000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the overview page, `GET /api/v1/status` and `xero-proxy status` say: per organisation its
 * link, queue, last delivery, Xero budget, pauses and expiries, and the warnings that need a
 * person, each with the page where it is fixed.
 * @example const { warnings } = overview(deps, calls.pacer)
 */
export function overview(deps: ServiceDeps, pauses?: PauseReader): Overview {
  const now = deps.clock.now();
  const nowText = now.toISOString();
  const today = nowText.slice(0, 10);
  const dayLimit = deps.config.xero.rateLimit.perDay;
  const counts = openJobCounts(deps.db);
  const attention = attentionCounts(deps.db, PERSON_CAUSES);
  const usage = new Map(usageSince(deps.db, today).map((row) => [row.organisationId, row]));
  const devices = devicesByOrganisation(listDevices(deps.db));
  const times = organisationTimes(deps.db, nowText);
  // The times alone: the page never needs the sealed tokens, and opening a thousand costs.
  const tokenTimes = allTokenTimes(deps.db);
  const certificate = RSA_APPS.has(deps.config.xero.appType) ? findActiveCertificate(deps.db) : undefined;
  const warnings: OverviewWarning[] = [];
  // Findings nobody has marked dealt with, as the reconciliation_found alert counts them.
  const reconciliation = unreviewedFindings(deps);

  const organisations = listOrganisations(deps.db)
    .filter((org) => org.linkState !== 'disconnected' || counts.has(org.id))
    .map((org): OrganisationOverview => {
      const of = counts.get(org.id) ?? { queued: 0, sending: 0, held: 0, failed: 0, dead: 0 };
      const waiting = of.queued + of.sending + of.held;
      const needsAttention = attention.get(org.id) ?? 0;
      const day = usage.get(org.id);
      const callsToday = day?.calls ?? 0;
      const spent = Math.max(callsToday, day?.dayLimitRemaining != null ? dayLimit - day.dayLimitRemaining : 0);
      const usedPercent = Math.min(100, Math.round((spent / dayLimit) * 100));
      const tokens = org.tokenSetId ? tokenTimes.get(org.tokenSetId) : undefined;
      const paused = pauses?.pauseOf(org.id);
      const pause: OrganisationPause | null =
        org.linkState === 'needs_relink'
          ? { reason: 'relink', message: org.relinkReason ?? 'Xero no longer accepts this organisation’s link.', until: null }
          : paused
            ? { reason: paused.daily ? 'daily_budget' : 'rate_limit', message: paused.message, until: paused.until.toISOString() }
            : null;
      const lastDelivered = times.lastDeliveredAt(org.id) ?? null;

      if (org.linkState === 'needs_relink') {
        const wait = waiting > 0 ? `; ${plural(waiting, 'document waits', 'documents wait')} for it` : '';
        warnings.push({ code: 'relink', organisationId: org.id, message: `${org.name} must be linked again${wait}.`, href: '/organisations', action: `Link ${org.name} again` });
      }
      if (needsAttention > 0) {
        warnings.push({ code: 'attention', organisationId: org.id, message: `${plural(needsAttention, 'document needs', 'documents need')} attention for ${org.name}.`, href: '/attention', action: 'See what needs attention' });
      }
      const changedInXero = reconciliation.get(org.id);
      if (changedInXero) {
        const documents = plural(changedInXero.findings, 'document');
        warnings.push({ code: 'reconciliation', organisationId: org.id, message: `The daily reconciliation found ${documents} for ${org.name} voided, deleted or changed in Xero after delivery.`, href: '/reconciliation', action: 'See what was found' });
      }
      // The same thresholds the alerts use (alerts.budget_percent, alerts.stuck_minutes), so the page and the e-mail agree.
      if (usedPercent >= deps.config.alerts.budgetPercent) {
        warnings.push({ code: 'budget', organisationId: org.id, message: `Xero's daily call budget for ${org.name} is ${usedPercent} % used (${spent} of ${dayLimit} calls).`, href: '/settings', action: 'See the limits' });
      }
      const due = org.linkState === 'linked' && !pause ? times.oldestDueAt(org.id) : undefined;
      const stuckSince = due && Math.max(Date.parse(due), lastDelivered ? Date.parse(lastDelivered) : 0);
      if (stuckSince && now.getTime() - stuckSince >= deps.config.alerts.stuckMinutes * 60_000) {
        const minutes = Math.floor((now.getTime() - stuckSince) / 60_000);
        warnings.push({ code: 'stuck', organisationId: org.id, message: `The queue for ${org.name} has not moved for ${minutes} minutes.`, href: '/settings', action: 'Check the proxy' });
      }
      const grantEnd = tokens?.authorizationExpiresAt;
      if (org.linkState === 'linked' && grantEnd && Date.parse(grantEnd) - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
        const days = Math.max(0, Math.ceil((Date.parse(grantEnd) - now.getTime()) / DAY_MS));
        warnings.push({ code: 'grant_expiry', organisationId: org.id, message: `${org.name}'s authorisation at Xero ends on ${grantEnd.slice(0, 10)} (${plural(days, 'day')} left); link it again before then.`, href: '/organisations', action: `Link ${org.name} again` });
      }

      return {
        id: org.id,
        name: org.name,
        shortCode: org.shortCode,
        appType: org.appType,
        linkState: org.linkState,
        relinkReason: org.relinkReason,
        counts: of,
        waiting,
        needsAttention,
        oldestWaitingAt: times.oldestWaitingAt(org.id) ?? null,
        lastDeliveredAt: lastDelivered,
        usage: { callsToday, dayLimit, xeroRemaining: day?.dayLimitRemaining ?? null, usedPercent },
        pause,
        token: tokens ? { expiresAt: tokens.expiresAt, authorizationExpiresAt: tokens.authorizationExpiresAt } : null,
        certificate: certificate && RSA_APPS.has(org.appType) ? { id: certificate.id, notAfter: certificate.notAfter, daysLeft: expiryStatus(certificate.notAfter, deps.clock).daysLeft } : null,
        devices: devices.get(org.id) ?? [],
      };
    });

  // The signing certificate serves every organisation of a private or partner app.
  for (const warning of certificateWarnings(deps.db, deps.clock, { appType: deps.config.xero.appType })) {
    warnings.push({ code: 'certificate', organisationId: null, message: warning.message, href: '/settings', action: 'See the certificate' });
  }
  // HTTPS serves every device: a certificate file that cannot be used, a name the CA may not sign for, a CA ending.
  for (const problem of tlsStatus(deps, readHostFacts()).problems) {
    warnings.push({ code: 'https', organisationId: null, message: problem, href: '/settings', action: 'See HTTPS' });
  }
  // Backups concern the whole proxy: one that failed, or none for days while they are scheduled.
  const backups = backupStatus(deps);
  if (backups.problem) warnings.push({ code: 'backup', organisationId: null, message: backups.problem, href: '/settings', action: 'See the backups' });
  const totals = { waiting: organisations.reduce((n, org) => n + org.waiting, 0), needsAttention: organisations.reduce((n, org) => n + org.needsAttention, 0) };
  const failed = organisations.some((org) => org.counts.failed + org.counts.dead > 0);
  const allDelivered = warnings.length === 0 && !failed && totals.waiting === 0 && organisations.some((org) => org.linkState === 'linked');
  return { generatedAt: nowText, organisations, warnings, allDelivered, totals };
}

/** Devices by the organisation they send to, in the order listed: one pass, not one per organisation. */
function devicesByOrganisation(devices: readonly Device[]): Map<string, OrganisationOverview['devices']> {
  const byOrganisation = new Map<string, OrganisationOverview['devices']>();
  for (const { organisationId, name, deviceId, status, lastSeenAt } of devices) {
    if (!organisationId) continue;
    const list = byOrganisation.get(organisationId) ?? [];
    list.push({ name, deviceId, status, lastSeenAt });
    byOrganisation.set(organisationId, list);
  }
  return byOrganisation;
}

/** The warnings that concern one organisation (and the whole proxy), as `GET /api/v1/status` gives them. */
export function warningsFor(deps: ServiceDeps, organisationId: string, pauses?: PauseReader): OverviewWarning[] {
  return overview(deps, pauses).warnings.filter((warning) => warning.organisationId === organisationId || warning.organisationId === null);
}
