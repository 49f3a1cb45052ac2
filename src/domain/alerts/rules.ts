import { utcText } from '../../lib/utc-text';
import { CAUSES, isCauseCode } from '../attention/causes';

/**
 * What needs a person, one stable code per kind of alert. Stored in `alerts.cause` with the
 * organisation (or '' for the whole proxy); never rename one.
 */
export const ALERT_CAUSES = ['documents_need_attention', 'relink_needed', 'grant_expiring', 'certificate_expiring', 'queue_stuck', 'budget_nearly_spent', 'reconciliation_found', 'mapping_target_archived'] as const;
export type AlertCause = (typeof ALERT_CAUSES)[number];

/** A token or grant this close to its end is announced (the sweep renews well before it, unless something stops it). */
export const GRANT_WARNING_DAYS = 7;

/** What the rules need to know about one organisation, read by the service from the store. */
export interface OrganisationFacts {
  id: string;
  name: string;
  linkState: 'linked' | 'needs_relink' | 'disconnected';
  relinkReason: string | null;
  /** Failed, dead and held documents by their cause code (`null`: no cause recorded). */
  notDelivered: ReadonlyArray<{ status: 'failed' | 'dead' | 'held'; cause: string | null; count: number }>;
  /** Documents waiting to go (queued or held). */
  waiting: number;
  /** The oldest `not_before` of a queued document that is due now, if any. */
  oldestDueAt: string | null;
  /** When a document of this organisation last reached Xero. */
  lastDeliveredAt: string | null;
  /** When the token or grant can no longer be renewed (partner authorisation, OAuth 2.0 refresh token). */
  grantExpiresAt: string | null;
  /** Xero calls today, as far as known, and the day's limit. */
  callsToday: number | null;
  dayLimit: number;
  /** What the daily reconciliation found in its runs of the last days, if anything: the days, how many findings, and the first in words. */
  reconciliation?: { days: readonly string[]; findings: number; example: string } | null;
  /** Mappings the daily check found pointing at an archived or deleted target, each in words. */
  mappingProblems?: readonly string[];
}

export interface AlertRules {
  stuckMinutes: number;
  budgetPercent: number;
}

/** One thing a person should act on now. `organisationId` is '' for the whole proxy. */
export interface ActiveAlert {
  organisationId: string;
  organisationName: string | null;
  cause: AlertCause;
  /** One sentence: what happened. */
  summary: string;
  /** What to do about it. */
  action: string;
  /** The console page where it is put right. */
  path: string;
}

/** Whether a failed, dead or held document needs a person: a cause that does not go by itself, or none recorded on a failure. */
export function needsPerson(status: 'failed' | 'dead' | 'held', cause: string | null): boolean {
  // Documents held for a relink are announced by the relink alert, with their number.
  if (cause === 'relink_needed') return false;
  if (cause === null || !isCauseCode(cause)) return status !== 'held';
  // "Goes by itself" is true only of a document that still waits: one the proxy gave up on
  // (dead) or that Xero refused (failed) goes nowhere without a person.
  return status !== 'held' || !CAUSES[cause].transient;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The alerts that hold for one organisation now. Pure: the same facts and time give the same
 * alerts, so the repeat window and recoveries are decided apart from sending.
 */
export function organisationAlerts(facts: OrganisationFacts, rules: AlertRules, now: Date): ActiveAlert[] {
  const alerts: ActiveAlert[] = [];
  const base = { organisationId: facts.id, organisationName: facts.name };
  const attention = facts.notDelivered.filter((group) => needsPerson(group.status, group.cause));
  const count = attention.reduce((sum, group) => sum + group.count, 0);
  if (count > 0) {
    const titles = [...new Set(attention.map((group) => (group.cause && isCauseCode(group.cause) ? CAUSES[group.cause].title : CAUSES.unknown.title)))];
    alerts.push({
      ...base,
      cause: 'documents_need_attention',
      summary: `${plural(count, 'document')} for ${facts.name} did not reach Xero and ${count === 1 ? 'needs' : 'need'} attention: ${titles.join('; ')}.`,
      action: 'Open "Needs attention" on the console: each cause says what to do, and Retry all sends them again once it is put right.',
      path: '/attention',
    });
  }
  const mappingProblems = facts.mappingProblems ?? [];
  if (mappingProblems.length > 0) {
    alerts.push({
      ...base,
      cause: 'mapping_target_archived',
      summary: `${plural(mappingProblems.length, 'mapping')} of ${facts.name} ${mappingProblems.length === 1 ? 'points' : 'point'} at something Xero no longer takes: ${mappingProblems.join('; ')}. Documents that use ${mappingProblems.length === 1 ? 'it' : 'them'} would be refused.`,
      action: 'Map the names to an active account, tax rate, employee or earnings rate on the mappings page (or restore it in Xero) before documents use them.',
      path: '/mappings',
    });
  }
  if (facts.linkState === 'needs_relink') {
    alerts.push({
      ...base,
      cause: 'relink_needed',
      summary: `${facts.name} must be linked to Xero again${facts.relinkReason ? ` (${facts.relinkReason.replace(/\.$/, '')})` : ''}; ${plural(facts.waiting, 'document')} ${facts.waiting === 1 ? 'waits' : 'wait'} for it.`,
      action: 'Press Link again for it on the organisations page; the waiting documents then go by themselves.',
      path: '/organisations',
    });
  }
  if (facts.linkState === 'linked' && facts.grantExpiresAt !== null) {
    const left = Date.parse(facts.grantExpiresAt) - now.getTime();
    if (left <= GRANT_WARNING_DAYS * 86_400_000) {
      const when = left <= 0 ? 'has ended' : `ends on ${utcText(facts.grantExpiresAt)}`;
      alerts.push({
        ...base,
        cause: 'grant_expiring',
        summary: `The proxy's access to ${facts.name} in Xero ${when} and cannot be renewed after that.`,
        action: 'Link the organisation again on the organisations page before then, so documents keep going.',
        path: '/organisations',
      });
    }
  }
  if (facts.oldestDueAt !== null) {
    const dueMs = now.getTime() - Date.parse(facts.oldestDueAt);
    const lastMs = facts.lastDeliveredAt === null ? Number.POSITIVE_INFINITY : now.getTime() - Date.parse(facts.lastDeliveredAt);
    const limitMs = rules.stuckMinutes * 60_000;
    if (dueMs >= limitMs && lastMs >= limitMs) {
      alerts.push({
        ...base,
        cause: 'queue_stuck',
        summary: `Documents for ${facts.name} have waited ${Math.floor(dueMs / 60_000)} minutes to go to Xero and none was delivered in that time.`,
        action: 'Check on the overview whether Xero is paused or unreachable, and on the settings page that the checks pass; the proxy keeps trying by itself.',
        path: '/',
      });
    }
  }
  if (facts.callsToday !== null && facts.dayLimit > 0) {
    const percent = Math.floor((facts.callsToday / facts.dayLimit) * 100);
    if (percent >= rules.budgetPercent) {
      alerts.push({
        ...base,
        cause: 'budget_nearly_spent',
        summary: `${facts.name} has used ${Math.min(percent, 100)}% of today's Xero calls (${facts.callsToday} of ${facts.dayLimit}).`,
        action: 'Documents that do not fit today go after midnight UTC. A till that sends one end-of-shift summary uses far fewer calls than an invoice per sale.',
        path: '/',
      });
    }
  }
  if (facts.reconciliation && facts.reconciliation.findings > 0) {
    const { days, findings, example } = facts.reconciliation;
    const more = findings > 1 ? ` (and ${plural(findings - 1, 'more finding')})` : '';
    alerts.push({
      ...base,
      cause: 'reconciliation_found',
      summary: `The daily reconciliation found ${plural(findings, 'document')} for ${facts.name} that Xero no longer holds as the proxy delivered ${findings === 1 ? 'it' : 'them'} (${days.join(', ')}): ${example}${more}`,
      action: 'Open Reconciliation on the console: each finding says what happened in Xero and how to put it right; press Mark as dealt with once it is.',
      path: `/reconciliation?organisation=${encodeURIComponent(facts.id)}`,
    });
  }
  return alerts;
}

/** The proxy-wide alert for the signing certificates (OAuth 1.0a apps), from their warnings. */
export function certificateAlert(messages: readonly string[]): ActiveAlert | undefined {
  if (messages.length === 0) return undefined;
  return {
    organisationId: '',
    organisationName: null,
    cause: 'certificate_expiring',
    summary: messages.join(' '),
    action: 'Make a new pair with `xero-proxy cert rotate`, upload its publickey.cer to the app in the Xero developer portal, then run `xero-proxy cert activate`.',
    path: '/settings',
  };
}
