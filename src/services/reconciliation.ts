import { buildChangedSinceRead, processChangedSinceRead } from '../domain/xero/changed-since-read';
import { compareKind, type DeliveredDocument, type Finding } from '../domain/reconcile/compare';
import { RECONCILE_SPECS, RECONCILED_KINDS } from '../domain/reconcile/kinds';
import { AppError, toAppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { findOrganisation, listOrganisations, type Organisation } from '../store/organisations';
import { deliveredOnDay, saveRun, type ReconciliationRun, type RunTrigger } from '../store/reconciliations';
import { recordAudit, type Acting } from './audit';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** Ids per read when documents are asked for by id: 40 GUIDs keep the URL near 1,600 characters. */
const IDS_PER_READ = 40;

/** How one reconciliation runs: who asked, and how long each call may wait for the organisation's turn at Xero. */
export interface ReconcileOptions {
  trigger: RunTrigger;
  /** The pacer wait per call; the schedule can wait longer than a person at the console. */
  waitMs?: number;
}

/** `YYYY-MM-DD` of a real calendar day, not after today (UTC); throws `invalid` naming `--date`. */
export function checkDay(day: string, now: Date): string {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00.000Z`).toISOString().slice(0, 10) === day;
  if (!valid) throw new AppError('invalid', `date: "${day}" is not a day written YYYY-MM-DD, e.g. 2026-11-28.`, { field: 'date' });
  if (day > now.toISOString().slice(0, 10)) throw new AppError('invalid', `date: ${day} has not happened yet; reconcile a day up to today (UTC).`, { field: 'date' });
  return day;
}

/** Who runs the daily schedule's reconciliation (not audited: nobody chose to run it). */
export const SCHEDULE_ACTOR = { name: 'schedule', from: 'schedule' } as const;

/** The UTC day before `now`: what the daily schedule reconciles. */
export const yesterday = (now: Date): string => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/**
 * Compares what the proxy delivered to one organisation during a UTC day with what Xero holds,
 * kind by kind (RECONCILE_SPECS): one paged read of each list changed since that day began
 * (Invoices with createdByMyApp and summaryOnly; never /Journals, a premium tier), each call
 * paced and counted in the day's usage like any other; an invoice absent from this app's list is
 * asked for by id (it may have been made under an earlier app registration) before it is called
 * missing. Finds documents missing from Xero, voided
 * or deleted after delivery, or whose total changed. A kind with nothing delivered costs no
 * call. The run and its findings are stored (replacing an earlier run of that day); a run Xero
 * could not answer is stored as failed, saying why. An organisation that is not linked is refused.
 */
export async function reconcileDay(deps: XeroDeps & Acting, calls: XeroCalls, organisationId: string, day: string, options: ReconcileOptions): Promise<ReconciliationRun> {
  const { db, clock, config } = deps;
  const organisation = linkedOrganisation(findOrganisation(db, organisationId), organisationId);
  checkDay(day, clock.now());
  const startedAt = clock.now().toISOString();
  const delivered = deliveredOnDay(db, organisation.id, day, RECONCILED_KINDS);
  const findings: Finding[] = [];
  let callsMade = 0;
  let error: string | null = null;
  try {
    for (const kind of RECONCILED_KINDS) {
      const ofKind = delivered.filter((document) => document.kind === kind);
      if (ofKind.length === 0) continue;
      const spec = RECONCILE_SPECS[kind]!;
      const atXero: Record<string, unknown>[] = [];
      const since = changedSince(day, ofKind);
      const read = async (params: ReadonlyArray<readonly [string, string]>, page: number, changedAfter: Date | undefined) => {
        callsMade += 1;
        const response = await calls.call(organisation.id, (auth) => buildChangedSinceRead({ apiUrl: config.xero.apiUrl, auth, collection: spec.collection, params, page, since: changedAfter }), options.waitMs === undefined ? {} : { waitMs: options.waitMs });
        return processChangedSinceRead(response, spec.collection);
      };
      for (let page = 1; ; page++) {
        const answer = await read(spec.params, page, since);
        atXero.push(...answer.documents);
        if (answer.last) break;
      }
      let found = compareKind(kind, ofKind, atXero);
      const missing = found.filter((finding) => finding.finding === 'missing' && finding.xeroId !== null).map((finding) => finding.xeroId!);
      if (spec.byIds && missing.length > 0) {
        // Asked for by id, whoever created them; a few at a time keeps the URL short.
        for (let at = 0; at < missing.length; at += IDS_PER_READ) atXero.push(...(await read([[spec.byIds.param, missing.slice(at, at + IDS_PER_READ).join(',')], ...spec.byIds.extra], 1, undefined)).documents);
        found = compareKind(kind, ofKind, atXero);
      }
      findings.push(...found);
    }
  } catch (caught) {
    error = toAppError(caught).message;
    deps.logger.warn('reconciliation could not read Xero', { organisation: organisation.name, day, reason: error });
  }
  const run: ReconciliationRun = {
    id: newId('rec'),
    organisationId: organisation.id,
    day,
    state: error !== null ? 'failed' : findings.length > 0 ? 'found' : 'clean',
    checked: error === null ? delivered.length : 0,
    calls: callsMade,
    error,
    trigger: options.trigger,
    startedAt,
    finishedAt: clock.now().toISOString(),
    reviewedAt: null,
    reviewedBy: null,
    findings: error === null ? findings : [],
  };
  saveRun(db, run);
  if (options.trigger !== 'schedule') recordAudit(deps, { actor: deps.actor, action: 'reconciliation.run', subject: organisation.name, changes: { day, state: run.state, findings: run.findings.length, calls: run.calls } });
  deps.logger.info('reconciled a day with Xero', { organisation: organisation.name, day, state: run.state, checked: run.checked, findings: run.findings.length, calls: run.calls });
  return run;
}

/**
 * The schedule's work: reconciles yesterday (UTC) for every linked organisation, waiting up to a
 * minute for each read's turn at Xero; the alerts run raises what it finds.
 */
export async function reconcileYesterday(deps: XeroDeps, calls: XeroCalls): Promise<ReconciliationRun[]> {
  return reconcileAll({ ...deps, actor: SCHEDULE_ACTOR }, calls, yesterday(deps.clock.now()), { trigger: 'schedule', waitMs: 60_000 });
}

/** Reconciles a day for every linked organisation; one organisation's failure does not stop the others. */
export async function reconcileAll(deps: XeroDeps & Acting, calls: XeroCalls, day: string, options: ReconcileOptions): Promise<ReconciliationRun[]> {
  const runs: ReconciliationRun[] = [];
  for (const organisation of listOrganisations(deps.db)) {
    if (organisation.linkState !== 'linked') continue;
    try {
      runs.push(await reconcileDay(deps, calls, organisation.id, day, options));
    } catch (caught) {
      deps.logger.warn('reconciliation not run', { organisation: organisation.name, day, reason: toAppError(caught).message });
    }
  }
  return runs;
}

/**
 * The instant the reads start from: the day's beginning, or earlier where a document of the day
 * was accepted before it (held, or delivered late after a look-up), since Xero may have created
 * it as early as that.
 */
function changedSince(day: string, delivered: readonly DeliveredDocument[]): Date {
  const earliest = Math.min(Date.parse(`${day}T00:00:00.000Z`), ...delivered.map((document) => Date.parse(document.createdAt)));
  // If-Modified-Since is to the second, so a document created in the same second is kept.
  return new Date(Math.floor(earliest / 1000) * 1000 - 1000);
}

function linkedOrganisation(organisation: Organisation | undefined, id: string): Organisation {
  if (!organisation || organisation.linkState === 'disconnected') throw new AppError('not_found', `There is no linked organisation ${id}; \`xero-proxy org list\` shows them.`, { field: 'organisation' });
  if (organisation.linkState !== 'linked') throw new AppError('conflict', `${organisation.name} must be linked to Xero again before its day can be compared with Xero.`, { hint: 'Link it again from the organisations page, or with `xero-proxy org connect`.' });
  return organisation;
}
