import { batchBody, encodeBatchElement } from '../domain/xero/batch-write';
import { buildTimesheetLookup, processTimesheetLookup } from '../domain/xero/timesheet-lookup';
import { buildTimesheetWrite, processTimesheetWrite, type TimesheetKey, type TimesheetOutcome } from '../domain/xero/timesheet-write';
import { markDelivered, markFailed, scheduleRetry, unclaimJobs, type Job } from '../store/jobs';
import type { DeliveryContext } from './context';
import { documentDate, settleFailure } from './settle';
import { classifyRefusal } from '../domain/attention/classify';

/** A timesheet job's key at Xero: its employee and the first day of its period. */
export function timesheetKey(job: Job): TimesheetKey {
  return { employeeId: String(job.payload['EmployeeID'] ?? ''), startDate: String(job.payload['StartDate'] ?? '').slice(0, 10) };
}

/** What a delivered timesheet job records: Xero's TimesheetID and the timesheet as Xero lists it. */
const delivered = (item: Record<string, unknown>) => ({ xeroId: typeof item['TimesheetID'] === 'string' ? item['TimesheetID'] : null, xeroNumber: null, result: item });

/**
 * Sends claimed timesheets (never sent, or proven absent) as one `POST …/Timesheets`. Saved ones
 * are delivered with their TimesheetID, refused ones fail with Xero's messages, and those a 400
 * leaves unnamed (Payroll AU saves the valid ones of a batch but lists only the refused) go to a
 * look-up at once, their outcome unknown.
 * @see PROTOCOL.md §5.1
 */
export async function sendTimesheets(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const keys = jobs.map(timesheetKey);
  const body = batchBody('Timesheets', jobs.map((job) => encodeBatchElement('Timesheets', job.payload)));
  let outcomes: TimesheetOutcome[];
  let httpStatus: number;
  try {
    ctx.stats.writes += 1;
    const response = await ctx.call(organisationId, (auth) => buildTimesheetWrite({ apiUrl: config.xero.apiUrl, auth, body }));
    httpStatus = response.status;
    outcomes = processTimesheetWrite(response, keys);
  } catch (error) {
    settleFailure(ctx, organisationId, 'timesheet', jobs, error, true);
    return;
  }
  const now = clock.now().toISOString();
  db.transaction(() => {
    outcomes.forEach((outcome, index) => {
      const job = jobs[index]!;
      if (outcome.status === 'saved') {
        markDelivered(db, clock, job.id, delivered(outcome.item), { httpStatus });
        ctx.stats.delivered += 1;
      } else if (outcome.status === 'refused') {
        markFailed(db, clock, job.id, outcome.messages, { httpStatus, cause: classifyRefusal(outcome.messages, documentDate(job)) });
        ctx.stats.failed += 1;
      } else {
        scheduleRetry(db, clock, job.id, { notBefore: now, lastError: 'Xero refused other timesheets of the same request and did not say whether this one was saved.', outcomeUnknown: true }, { httpStatus });
      }
    });
  })();
}

/**
 * Settles timesheets whose last send may have reached Xero: one `GET …/Timesheets?where=` by
 * employee and period start for up to 20 of them. Found → delivered with Xero's TimesheetID;
 * the rest are proven absent and go back to be sent, the look-up not counting as an attempt.
 */
export async function lookUpTimesheets(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const keys = jobs.map(timesheetKey);
  let found: Array<Record<string, unknown> | undefined>;
  let httpStatus: number;
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => buildTimesheetLookup({ apiUrl: config.xero.apiUrl, auth, keys }));
    httpStatus = response.status;
    found = processTimesheetLookup(response, keys);
  } catch (error) {
    settleFailure(ctx, organisationId, 'timesheet', jobs, error, false);
    return;
  }
  db.transaction(() => {
    const absent: string[] = [];
    jobs.forEach((job, index) => {
      const item = found[index];
      if (!item) return void absent.push(job.id);
      markDelivered(db, clock, job.id, delivered(item), { outcome: 'found', httpStatus, note: 'Looked up in Xero and found there, so it was not sent again.' });
      ctx.stats.found += 1;
      ctx.stats.delivered += 1;
    });
    unclaimJobs(db, clock, absent, { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: 'Looked up in Xero and not there, so it is sent.' } });
  })();
}
