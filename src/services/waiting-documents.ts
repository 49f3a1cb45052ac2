import { distinctMissing, missingMappingsReason, paidTenders, planPayerPayment, planShiftDocuments, planTimesheet, planWageBill, toPayroll2, type MissingKind, type MissingMapping, type Payment, type PosShift, type Timesheet, type WageBill } from '../domain/documents';
import type { Clock } from '../lib/clock';
import type { Db } from '../store/db';
import type { JobKind } from '../store/jobs';
import { payerMappingsOf, payrollMappingsOf, shiftMappingsOf, wageMappingsOf } from '../store/mappings';
import { payrollApiOf } from '../store/organisation-payroll';
import { cachedPayrollCalendarOf } from './payroll-lists';
import { jobsWaitingForMappings, releaseWaitingJob, replacePayload, sourceOfJob, updateWaitingJob } from '../store/waiting-jobs';

/**
 * What the app sent for a document whose Xero payload depends on mappings, and which of the Xero
 * documents it becomes this job is: a shift's invoice or its n-th payment, the n-th timesheet of
 * a request, a payment naming a third-party payer, a wage bill. Stored on the job (`jobs.source`), so a job accepted before its mappings
 * exist is built, when they are saved, exactly as it would have been built at once.
 */
export type JobSource =
  | { endpoint: 'pos-shift'; document: PosShift; part: 'invoice' | { payment: number } }
  | { endpoint: 'timesheets'; document: Timesheet; index: number }
  | { endpoint: 'payments'; document: Payment; index: number }
  | { endpoint: 'wage-bill'; document: WageBill };

/** One missing mapping as jobs record it (`jobs.cause_detail.missing`) and the API shows it. */
export interface MissingName {
  kind: MissingKind;
  name?: string;
  /** Where the name is in what the app sent, e.g. `sales[2].category`. */
  field: string;
  message: string;
}

/** An app's Reference with the document key after it, e.g. `Table 4 [XP-7K3M9Q2WZ4AB]`. */
export function referenceWithKey(reference: string | undefined, key: string): string {
  return reference ? `${reference} [${key}]` : `[${key}]`;
}

/** The payload as it is sent: timesheets and allocations have no Reference at Xero; everything else carries the key in it. */
export function withDocumentKey(kind: JobKind, payload: Record<string, unknown>, key: string): Record<string, unknown> {
  return kind === 'timesheet' || kind === 'allocation' ? payload : { ...payload, Reference: referenceWithKey(payload['Reference'] as string | undefined, key) };
}

/**
 * Builds a job's Xero payload from what the app sent and the organisation's mappings now, or
 * says which mappings are still missing (every one, each once, with its field path).
 */
export function buildFromSource(db: Db, organisationId: string, source: JobSource): { payload: Record<string, unknown> } | { missing: MissingName[] } {
  switch (source.endpoint) {
    case 'pos-shift': {
      const planned = planShiftDocuments(source.document, shiftMappingsOf(db, organisationId));
      if ('missing' in planned) return { missing: namesOf(planned.missing) };
      const { invoice, creditNote, payments } = planned.documents;
      if (source.part === 'invoice') return { payload: (invoice ?? creditNote) as unknown as Record<string, unknown> };
      // The payments pay the summary invoice (refunds, the credit note) once Xero has it; the delivery loop fills in its id.
      return { payload: { ...(payments[source.part.payment] as unknown as Record<string, unknown>), ...(invoice ? { Invoice: {} } : { CreditNote: {} }) } };
    }
    case 'timesheets': {
      const planned = planTimesheet(source.document, payrollMappingsOf(db, organisationId), `Timesheets[${source.index}].`);
      if (planned.missing.length > 0) return { missing: namesOf(planned.missing) };
      // Built for the payroll API the organisation uses now; a Payroll 2.0 timesheet goes on
      // the employee's pay run calendar, read from the cached employees (or at delivery).
      if (payrollApiOf(db, organisationId) === '2.0') return { payload: toPayroll2(planned.timesheet, cachedPayrollCalendarOf(db, organisationId, planned.timesheet.EmployeeID)) as unknown as Record<string, unknown> };
      return { payload: planned.timesheet as unknown as Record<string, unknown> };
    }
    case 'payments': {
      const planned = planPayerPayment(source.document, payerMappingsOf(db, organisationId), `Payments[${source.index}].Payer`);
      return 'missing' in planned ? { missing: namesOf(planned.missing) } : { payload: planned.payment as unknown as Record<string, unknown> };
    }
    case 'wage-bill': {
      const planned = planWageBill(source.document, wageMappingsOf(db, organisationId));
      return 'missing' in planned ? { missing: namesOf(planned.missing) } : { payload: planned.invoice as unknown as Record<string, unknown> };
    }
  }
}

/** How many payments a shift becomes: one per tender that took money (on a refund day, that paid it out). */
export const paymentCountOf = (shift: PosShift): number => paidTenders(shift).length;

/** The words a waiting job carries (`held_reason`), for the app and the console. */
export const waitingReason = (missing: readonly MissingName[]): string => missingMappingsReason(missing.map((entry) => ({ ...entry, command: '' })));

/** What becomes of an organisation's waiting documents after its mappings changed. */
export interface ReleaseOutcome {
  /** Jobs built and put in the queue. */
  released: number;
  /** Jobs that still wait, with the names they lack. */
  waiting: number;
}

/**
 * Builds and queues every job of the organisation that waited for mappings and now has them all;
 * the others keep waiting, with the names they still lack. Synchronous: run it in the transaction
 * that saves the mapping, so a saved mapping never leaves a document it completes behind.
 */
export function releaseMappedDocuments(db: Db, clock: Clock, organisationId: string): ReleaseOutcome {
  const outcome: ReleaseOutcome = { released: 0, waiting: 0 };
  for (const job of jobsWaitingForMappings(db, organisationId)) {
    const built = buildFromSource(db, organisationId, job.source as unknown as JobSource);
    if ('payload' in built) {
      if (releaseWaitingJob(db, clock, job.id, withDocumentKey(job.kind, built.payload, job.documentKey))) outcome.released++;
      continue;
    }
    outcome.waiting++;
    if (JSON.stringify(job.causeDetail['missing']) !== JSON.stringify(built.missing)) updateWaitingJob(db, clock, job.id, { missing: built.missing }, waitingReason(built.missing));
  }
  return outcome;
}

/**
 * Before a person's retry: rebuilds a job made from mappings (a shift's invoice and payments, a
 * timesheet, a wage bill) with the mappings of now, so that "change the mapping, then retry"
 * sends the corrected account rather than the one Xero refused. The document key stays, so a
 * send that may already have reached Xero is still found by it. A job made from no mapping, or
 * whose names are no longer all mapped, keeps what it has.
 */
export function rebuildWithCurrentMappings(db: Db, clock: Clock, job: { id: string; kind: JobKind; organisationId: string; documentKey: string }): boolean {
  const source = sourceOfJob(db, job.id);
  if (!source || !('endpoint' in source)) return false;
  const built = buildFromSource(db, job.organisationId, source as unknown as JobSource);
  if (!('payload' in built)) return false;
  return replacePayload(db, clock, job.id, withDocumentKey(job.kind, built.payload, job.documentKey));
}

/** A name devices sent that has no mapping yet, and how many documents wait for it. */
export interface UnmappedName {
  kind: MissingKind;
  name?: string;
  /** Documents waiting (a shift counts once, not once per payment). */
  documents: number;
  firstSeenAt: string;
}

/** Every name an organisation's waiting documents lack, each once, the longest waiting first. */
export function unmappedNames(db: Db, organisationId: string): UnmappedName[] {
  const found = new Map<string, UnmappedName>();
  for (const job of jobsWaitingForMappings(db, organisationId)) {
    // A shift's payments wait with its invoice and lack the same names: the invoice counts for
    // them. A payment sent on its own (naming a payer) is a document of its own.
    const counts = job.dependsOn === null || job.source['endpoint'] === 'payments';
    for (const entry of distinctMissing((job.causeDetail['missing'] as MissingName[] | undefined) ?? [])) {
      const key = `${entry.kind}\u0000${entry.name?.trim().toLowerCase() ?? ''}`;
      const seen = found.get(key) ?? { kind: entry.kind, ...(entry.name !== undefined ? { name: entry.name } : {}), documents: 0, firstSeenAt: job.createdAt };
      if (counts) seen.documents++;
      found.set(key, seen);
    }
  }
  return [...found.values()];
}

function namesOf(missing: readonly MissingMapping[]): MissingName[] {
  // One entry per name and field: the app sees every place, the console groups by name.
  return missing
    .filter((entry, index) => missing.findIndex((other) => other.kind === entry.kind && other.name === entry.name && other.field === entry.field) === index)
    .map((entry) => ({ kind: entry.kind, ...(entry.name !== undefined ? { name: entry.name } : {}), field: entry.field, message: entry.message }));
}
