import type { CauseDetail } from '../domain/attention/classify';
import { CAUSES, isCauseCode, type CauseCode, type FixPlace } from '../domain/attention/causes';
import { groupSentence } from '../domain/attention/sentence';
import { xeroInvoiceLink } from '../domain/xero/web-links';
import { AppError } from '../lib/errors';
import { jobsWithCause, requeueJobs, stoppedJobsOfCause } from '../store/attention';
import { listDevices } from '../store/devices';
import type { Job, JobKind } from '../store/jobs';
import { findOrganisation, listOrganisations, type LinkState } from '../store/organisations';
import { problemText } from '../domain/mapping-targets';
import { listMappingProblems } from '../store/mapping-problems';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';
import { rebuildWithCurrentMappings } from './waiting-documents';

/** One document of a group, as the page lists it. */
export interface AttentionDocument {
  jobId: string;
  kind: JobKind;
  /** What a person recognises it by: Xero's number, the app's InvoiceNumber or Reference, else the proxy's key. */
  label: string;
  documentKey: string;
  deviceName: string;
  status: Job['status'];
  /** When it last changed (ISO-8601 UTC). */
  updatedAt: string;
  /** Opens it in Xero, when Xero gave it an id. */
  xeroUrl: string | undefined;
}

/** Documents of one organisation stopped (or waiting) for one cause, with what to do about it. */
export interface AttentionGroup {
  organisationId: string;
  organisationName: string;
  linkState: LinkState;
  cause: CauseCode;
  title: string;
  /** What happened, in one sentence: "Xero refused 3 invoices because account 200 is archived or deleted in Xero." */
  sentence: string;
  /** What to do, as a sentence. */
  fix: string;
  place: FixPlace;
  /** The documents wait for their next try and go by themselves; nothing for a person to do unless it lasts. */
  goesByItself: boolean;
  /** Whether **Retry all** applies: stopped documents that a person can send again once the cause is put right. */
  canRetry: boolean;
  count: number;
  kinds: JobKind[];
  documents: AttentionDocument[];
}

/** What the page shows: groups that need a person first, then those that go by themselves. */
export interface AttentionReport {
  needsPerson: AttentionGroup[];
  goesByItself: AttentionGroup[];
  /** Documents in `needsPerson`. */
  total: number;
  /** Organisations whose mappings the daily check found pointing at archived or deleted targets, before any document failed on them. */
  mappingProblems: MappingProblemGroup[];
}

/** One organisation's mappings whose targets Xero no longer offers, each in words. */
export interface MappingProblemGroup {
  organisationId: string;
  organisationName: string;
  problems: string[];
  /** When the check found them (ISO-8601 UTC). */
  foundAt: string;
}

// A missing mapping's documents go by themselves when the mapping is saved, and a relink's when the
// organisation is linked again: sending them again before that only stops them the same way.
const RELEASED_BY_THEIR_FIX = new Set<CauseCode>(['mapping_missing', 'relink_needed']);

/**
 * Every document that has not reached Xero for a known cause, grouped per organisation and
 * cause, each group with its sentence, its fix and its documents (oldest first).
 */
export function attentionReport(deps: ServiceDeps, filter: { organisationId?: string } = {}): AttentionReport {
  const devices = new Map(listDevices(deps.db).map((device) => [device.id, device.name]));
  const organisations = new Map(listOrganisations(deps.db).map((org) => [org.id, org]));
  const groups = new Map<string, { jobs: Job[]; waiting: boolean }>();
  for (const job of jobsWithCause(deps.db, filter)) {
    const waiting = job.status === 'queued' || job.status === 'sending';
    const key = `${job.organisationId} ${job.cause} ${waiting ? 'waiting' : 'stopped'}`;
    const group = groups.get(key) ?? { jobs: [], waiting };
    group.jobs.push(job);
    groups.set(key, group);
  }
  const built = [...groups.values()].map(({ jobs, waiting }) => {
    const first = jobs[0]!;
    const cause = isCauseCode(first.cause) ? first.cause : 'unknown';
    const organisation = organisations.get(first.organisationId);
    const organisationName = organisation?.name ?? first.organisationId;
    const nouns = [...new Set(jobs.map(nounOf))];
    const group: AttentionGroup = {
      organisationId: first.organisationId,
      organisationName,
      linkState: organisation?.linkState ?? 'disconnected',
      cause,
      title: CAUSES[cause].title,
      sentence: groupSentence({ cause, count: jobs.length, nouns, state: waiting ? 'waiting' : stateOf(jobs), details: jobs.map((job) => job.causeDetail ?? ({} as CauseDetail)), organisationName }),
      fix: CAUSES[cause].fix,
      place: CAUSES[cause].place,
      goesByItself: waiting,
      canRetry: !waiting && !RELEASED_BY_THEIR_FIX.has(cause),
      count: jobs.length,
      kinds: [...new Set(jobs.map((job) => job.kind))],
      documents: jobs.map((job) => documentOf(job, devices)),
    };
    return group;
  });
  const order = (a: AttentionGroup, b: AttentionGroup) => a.organisationName.localeCompare(b.organisationName) || b.count - a.count || a.cause.localeCompare(b.cause);
  const needsPerson = built.filter((group) => !group.goesByItself).sort(order);
  return {
    needsPerson,
    goesByItself: built.filter((group) => group.goesByItself).sort(order),
    total: needsPerson.reduce((sum, group) => sum + group.count, 0),
    mappingProblems: mappingProblemGroups(deps, organisations, filter.organisationId),
  };
}

function mappingProblemGroups(deps: ServiceDeps, organisations: ReadonlyMap<string, { name: string }>, organisationId: string | undefined): MappingProblemGroup[] {
  const groups = new Map<string, MappingProblemGroup>();
  for (const problem of listMappingProblems(deps.db, organisationId)) {
    const group = groups.get(problem.organisationId) ?? { organisationId: problem.organisationId, organisationName: organisations.get(problem.organisationId)?.name ?? problem.organisationId, problems: [], foundAt: problem.foundAt };
    group.problems.push(problemText(problem));
    groups.set(problem.organisationId, group);
  }
  return [...groups.values()];
}

/** What **Retry all** did: how many went back to the queue, and how many of them are looked up in Xero first. */
export interface RetryAllResult {
  retried: number;
  lookedUpFirst: number;
}

/**
 * Puts every stopped document of a cause (of one organisation, or all) back in the queue once
 * the person has put the cause right, with a fresh count of attempts. A document whose last send
 * may have reached Xero keeps that mark, so it is looked up there before it is sent again.
 */
export function retryAll(deps: ServiceDeps & Acting, input: { cause: string; organisationId?: string }): RetryAllResult {
  if (!isCauseCode(input.cause)) throw new AppError('invalid', `There is no cause "${input.cause}"; use one of ${Object.keys(CAUSES).join(', ')}.`, { field: 'cause' });
  const cause = input.cause;
  const organisation = input.organisationId === undefined ? undefined : findOrganisation(deps.db, input.organisationId);
  if (input.organisationId !== undefined && !organisation) throw new AppError('not_found', 'That organisation is not linked to this proxy.', { field: 'organisation' });
  if (cause === 'relink_needed') {
    throw new AppError('conflict', 'These documents go by themselves once the organisation is linked again; link it again instead.', { hint: 'Use "Link again" on the attention page, or `xero-proxy org connect`.' });
  }
  if (cause === 'mapping_missing') {
    throw new AppError('conflict', 'These documents go by themselves once their names are mapped; save the mappings instead.', { hint: 'Open the mappings page, or use `xero-proxy map set`.' });
  }
  const jobs = stoppedJobsOfCause(deps.db, cause, organisation?.id);
  // Built again with the mappings of now, in the same transaction as the requeue: the fix a
  // person made on the mappings page is what goes.
  const queued = new Set(
    deps.db.transaction(() => {
      for (const job of jobs) rebuildWithCurrentMappings(deps.db, deps.clock, job);
      const requeued = requeueJobs(deps.db, deps.clock, jobs.map((job) => job.id));
      if (requeued.length > 0) recordAudit(deps, { actor: deps.actor, action: 'documents.retried', subject: organisation?.name ?? null, changes: { cause, documents: requeued.length, jobs: requeued.slice(0, 100) } });
      return requeued;
    }).immediate(),
  );
  const lookedUpFirst = jobs.filter((job) => queued.has(job.id) && job.outcomeUnknown).length;
  deps.logger.info('attention: documents queued again', { cause, organisation: organisation?.name ?? 'all', count: queued.size });
  return { retried: queued.size, lookedUpFirst };
}

/** What Retry all did, as the page and `jobs retry --cause` say it. */
export function retriedText(count: number, lookedUpFirst: number): string {
  if (count === 0) return 'No document was waiting for this any more, so nothing was queued again.';
  const back = `${count} document${count === 1 ? '' : 's'} ${count === 1 ? 'is' : 'are'} back in the queue.`;
  if (lookedUpFirst === 0) return back;
  return `${back} ${lookedUpFirst === count && count === 1 ? 'It is' : `${lookedUpFirst} of them ${lookedUpFirst === 1 ? 'is' : 'are'}`} looked up in Xero first, because the last send may have reached Xero.`;
}

function stateOf(jobs: readonly Job[]): 'failed' | 'dead' | 'held' {
  if (jobs.every((job) => job.status === 'held')) return 'held';
  return jobs.some((job) => job.status === 'failed') ? 'failed' : 'dead';
}

/** What a person calls the document: a sales invoice, a bill, a credit note, a payment, a refund, a timesheet. */
function nounOf(job: Job): string {
  if (job.kind === 'invoice') return job.payload['Type'] === 'ACCPAY' ? 'bill' : 'invoice';
  if (job.kind === 'credit_note') return 'credit note';
  if (job.kind === 'allocation') return 'credit allocation';
  if (job.kind === 'payment' && job.payload['CreditNote'] !== undefined) return 'refund';
  return job.kind;
}

function documentOf(job: Job, devices: ReadonlyMap<string, string>): AttentionDocument {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  // A file is known by its name.
  const reference = job.kind === 'attachment' ? text(job.payload['FileName']) : text(job.payload['Reference'])?.replace(/\s*\[XP-[A-Z0-9]+\]$/, '');
  return {
    jobId: job.id,
    kind: job.kind,
    label: job.xeroNumber ?? text(job.payload['InvoiceNumber']) ?? text(job.payload['CreditNoteNumber']) ?? (reference || undefined) ?? job.documentKey,
    documentKey: job.documentKey,
    deviceName: devices.get(job.deviceId) ?? job.deviceId,
    status: job.status,
    updatedAt: job.updatedAt,
    xeroUrl: xeroUrl(job),
  };
}

/** The document in Xero's own screens, for an invoice or bill Xero gave an id. */
export function xeroUrl(job: Pick<Job, 'kind' | 'xeroId' | 'payload'>): string | undefined {
  if (job.kind !== 'invoice' || !job.xeroId) return undefined;
  return xeroInvoiceLink(job.payload['Type'] ?? 'ACCREC', job.xeroId);
}
