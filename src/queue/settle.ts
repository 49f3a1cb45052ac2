import { classifyFailure, classifyRefusal, type Classified } from '../domain/attention/classify';
import { XeroError } from '../domain/xero/xero-error';
import type { Organisation } from '../store/organisations';
import { findOrganisation } from '../store/organisations';
import { holdJobs, markDead, markFailed, noteWaiting, scheduleRetry, unclaimJobs, type Job, type JobKind } from '../store/jobs';
import { retryDelayMs } from './backoff';
import type { DeliveryContext } from './context';
import { judgeFailure } from './failure';

/**
 * Records what a failed call means for the jobs it carried, in one transaction: held when the
 * organisation must be relinked, given back uncounted when Xero asked to slow down, failed with
 * Xero's messages when Xero refused a single document, otherwise retried later (or dead).
 */
export function settleFailure(ctx: DeliveryContext, organisationId: string, kind: JobKind, jobs: readonly Job[], error: unknown, write: boolean): void {
  const { db, clock, logger } = ctx.deps;
  const ids = jobs.map((job) => job.id);
  const now = clock.now();
  const organisation = findOrganisation(db, organisationId);
  if (organisation && organisation.linkState !== 'linked') {
    db.transaction(() => {
      unclaimJobs(db, clock, ids, { notBefore: now.toISOString() });
      holdJobs(db, clock, organisationId, holdReason(organisation), relinkCause(organisation));
    })();
    logger.warn('delivery: organisation must be relinked; its jobs are held', { organisation: organisation.name });
    return;
  }
  const verdict = judgeFailure(error, write, now);
  const httpStatus = httpStatusOf(error);
  switch (verdict.kind) {
    case 'pause':
      ctx.pacer.pause(organisationId, verdict.until, verdict.message, verdict.daily);
      db.transaction(() => {
        unclaimJobs(db, clock, ids, { notBefore: verdict.until.toISOString(), attempt: { outcome: 'retry', httpStatus, note: verdict.message } });
        if (verdict.daily) noteWaiting(db, clock, organisationId, verdict.message, verdict.until.toISOString());
      })();
      logger.info('delivery: Xero asked to slow down; this organisation waits', { organisation: organisationId, until: verdict.until.toISOString() });
      return;
    case 'reject':
      if (jobs.length > 1) {
        // The whole request was refused, though elements are judged one by one: one of them
        // made it unreadable. Sending each alone finds it without failing its neighbours.
        unclaimJobs(db, clock, ids, { notBefore: now.toISOString(), attempt: { outcome: 'retry', httpStatus, note: 'Xero refused the whole request; each document is sent alone to find the one it could not read.' } });
        ctx.sendAlone(organisationId, kind, jobs.length);
        logger.warn('delivery: Xero refused a whole batch; sending its documents one by one', { organisation: organisationId, count: jobs.length });
        return;
      }
      markFailed(db, clock, ids[0]!, verdict.messages, { httpStatus, cause: classifyRefusal(verdict.messages, documentDate(jobs[0]!)) });
      ctx.stats.failed += 1;
      return;
    case 'retry':
      retryLater(ctx, jobs, verdict.message, verdict.unknown, httpStatus, classifyFailure(error instanceof XeroError ? error.problem?.kind : undefined, verdict.message));
      logger.warn('delivery: will try again', { organisation: organisationId, count: jobs.length, outcomeUnknown: verdict.unknown, reason: verdict.message });
  }
}

/** Puts jobs back with a backoff delay, or buries those that used up their attempts. */
export function retryLater(ctx: DeliveryContext, jobs: readonly Job[], message: string, unknown: boolean, httpStatus: number | null = null, cause?: Classified): void {
  const { db, clock } = ctx.deps;
  const now = clock.now().getTime();
  db.transaction(() => {
    for (const job of jobs) {
      if (job.attempts >= ctx.retry.maxAttempts) {
        const mayExist = unknown || job.outcomeUnknown;
        markDead(db, clock, job.id, `${message} The proxy gave up after ${job.attempts} attempts${mayExist ? '; the document may have reached Xero, so a retry looks it up there before sending it again' : ''}.`, { httpStatus, ...(cause ? { cause } : {}) });
        ctx.stats.dead += 1;
        continue;
      }
      // A send that may have reached Xero is looked up only once Xero has surely finished with it.
      const delay = Math.max(retryDelayMs(ctx.retry, job.attempts, ctx.random), unknown || job.outcomeUnknown ? ctx.retry.settleMs : 0);
      scheduleRetry(db, clock, job.id, { notBefore: new Date(now + delay).toISOString(), lastError: message, outcomeUnknown: unknown, ...(cause ? { cause } : {}) }, { httpStatus });
      ctx.stats.retried += 1;
    }
  })();
}

/** The cause recorded on an organisation's jobs held until it is linked again. */
export function relinkCause(organisation: Organisation): Classified {
  return { cause: 'relink_needed', detail: { organisation: organisation.name } };
}

/** The document's own date, for a lock-date or monthly-limit refusal. */
export function documentDate(job: Job): string | undefined {
  // A Payroll 2.0 timesheet keeps its period under `timesheet` (payroll2-steps.ts).
  const date = job.payload['Date'] ?? job.payload['StartDate'] ?? (job.payload['timesheet'] as Record<string, unknown> | undefined)?.['startDate'];
  return typeof date === 'string' ? date : undefined;
}

/** Why an organisation's jobs are held, in words for the jobs API. */
export function holdReason(organisation: Organisation): string {
  const why = organisation.relinkReason ? ` ${organisation.relinkReason}` : '';
  return `${organisation.name} must be linked to Xero again before its documents can be sent.${why}`;
}

// Xero's HTTP status for a job's history: the parsed problem's, or the raw answer's; none when no answer came.
function httpStatusOf(error: unknown): number | null {
  if (!(error instanceof XeroError)) return null;
  return error.problem?.status ?? error.response?.status ?? null;
}
