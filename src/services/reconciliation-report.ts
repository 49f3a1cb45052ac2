import { findingWords, type FindingWords } from '../domain/reconcile/sentence';
import { AppError } from '../lib/errors';
import { listOrganisations } from '../store/organisations';
import { findDeliveredDocument, findRunById, markRunReviewed, runsSince, type Finding, type ReconciliationRun } from '../store/reconciliations';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

/** How long unreviewed findings keep alerting, and how far back the page shows runs. */
export const ALERT_DAYS = 7;
export const SHOWN_DAYS = 14;

/** A finding with its words (generic ones should its job be gone, which only an edited database allows). */
export type FindingView = Finding & { words: FindingWords };

export interface RunView extends Omit<ReconciliationRun, 'findings'> {
  organisationName: string;
  findings: FindingView[];
}

export interface ReconciliationReport {
  /** Linked organisations, for the form that runs a day now. */
  organisations: Array<{ id: string; name: string }>;
  /** Runs of the last SHOWN_DAYS days, newest day first. */
  runs: RunView[];
  /** Yesterday (UTC): the form's default day. */
  yesterday: string;
}

const dayBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);

/** A run with every finding in words, as the page, the CLI and the alert show it. */
export function runView(deps: Pick<ServiceDeps, 'db'>, run: ReconciliationRun, organisationName: string): RunView {
  const findings = run.findings.map((finding) => {
    const document = findDeliveredDocument(deps.db, finding.jobId);
    const words: FindingWords = document
      ? findingWords(finding, document)
      : { subject: finding.xeroNumber ?? finding.jobId, sentence: `${finding.xeroNumber ?? finding.jobId}: ${finding.finding}.`, action: 'Look it up in Xero.' };
    return { ...finding, words };
  });
  return { ...run, organisationName, findings };
}

/** What the reconciliation page shows: recent runs (of one organisation, or all) with their findings in words. */
export function reconciliationReport(deps: Pick<ServiceDeps, 'db' | 'clock'>, filter: { organisationId?: string | undefined } = {}): ReconciliationReport {
  const now = deps.clock.now();
  const organisations = listOrganisations(deps.db);
  const names = new Map(organisations.map((org) => [org.id, org.name]));
  const runs = runsSince(deps.db, dayBefore(now, SHOWN_DAYS), filter.organisationId).map((run) => runView(deps, run, names.get(run.organisationId) ?? run.organisationId));
  return { organisations: organisations.filter((org) => org.linkState === 'linked').map((org) => ({ id: org.id, name: org.name })), runs, yesterday: dayBefore(now, 1) };
}

/** Per organisation, the findings of the last ALERT_DAYS days nobody has marked dealt with, for the alert. */
export function unreviewedFindings(deps: Pick<ServiceDeps, 'db' | 'clock'>): Map<string, { days: string[]; findings: number; example: string }> {
  const out = new Map<string, { days: string[]; findings: number; example: string }>();
  for (const run of runsSince(deps.db, dayBefore(deps.clock.now(), ALERT_DAYS))) {
    if (run.state !== 'found' || run.reviewedAt !== null || run.findings.length === 0) continue;
    const entry = out.get(run.organisationId);
    if (entry) {
      entry.days.push(run.day);
      entry.findings += run.findings.length;
      continue;
    }
    // Runs come newest day first: the example is the newest day's first finding.
    out.set(run.organisationId, { days: [run.day], findings: run.findings.length, example: runView(deps, run, '').findings[0]!.words.sentence });
  }
  return out;
}

/** The newest run of each organisation, for the overview. */
export function latestRuns(deps: Pick<ServiceDeps, 'db' | 'clock'>): Map<string, ReconciliationRun> {
  const latest = new Map<string, ReconciliationRun>();
  for (const run of runsSince(deps.db, dayBefore(deps.clock.now(), SHOWN_DAYS))) if (!latest.has(run.organisationId)) latest.set(run.organisationId, run);
  return latest;
}

/** Marks a run's findings dealt with (the page's button): its alert stops, and the audit records who did. */
export function reviewRun(deps: ServiceDeps & Acting, runId: string): ReconciliationRun {
  const run = findRunById(deps.db, runId);
  if (!run) throw new AppError('not_found', 'That reconciliation run is no longer kept; run the day again to see what it finds.', { field: 'run' });
  if (markRunReviewed(deps.db, run.id, deps.clock.now().toISOString(), deps.actor.name)) {
    recordAudit(deps, { actor: deps.actor, action: 'reconciliation.reviewed', subject: run.day, changes: { organisation: run.organisationId, findings: run.findings.length } });
  }
  return findRunById(deps.db, run.id)!;
}
