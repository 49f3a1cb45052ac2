import { isPayroll2Payload } from '../domain/documents';
import { unclaimJobs, type Job } from '../store/jobs';
import type { DeliveryContext } from './context';
import { lookUpPayroll2Timesheet, sendPayroll2Timesheet } from './payroll2-steps';
import { lookUpTimesheets, sendTimesheets } from './timesheet-steps';

type Step = (ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]) => Promise<void>;

/**
 * Timesheet jobs go to the payroll API they were built for: Payroll AU 1.0 takes a batch in one
 * call, Payroll 2.0 one timesheet a call. A claim that mixes them (an organisation moved from
 * 1.0 to 2.0 with timesheets still queued) does the first job's kind and gives the rest back
 * uncounted, as they were, for the next round.
 */
function byPayrollApi(v1: Step, v2: (ctx: DeliveryContext, organisationId: string, job: Job) => Promise<void>): Step {
  return async (ctx, organisationId, jobs) => {
    const first = jobs[0];
    if (!first) return;
    const payroll2 = isPayroll2Payload(first.payload);
    const now = ctx.deps.clock.now().toISOString();
    const taken = payroll2 ? [first] : jobs.filter((job) => !isPayroll2Payload(job.payload));
    const rest = jobs.filter((job) => !taken.includes(job)).map((job) => job.id);
    if (rest.length > 0) unclaimJobs(ctx.deps.db, ctx.deps.clock, rest, { notBefore: now });
    if (payroll2) await v2(ctx, organisationId, first);
    else await v1(ctx, organisationId, taken);
  };
}

/** Sends claimed timesheets to Payroll AU 1.0 or 2.0. */
export const sendTimesheetJobs: Step = byPayrollApi(sendTimesheets, sendPayroll2Timesheet);

/** Looks up claimed timesheets whose last send may have reached Payroll AU 1.0 or 2.0. */
export const lookUpTimesheetJobs: Step = byPayrollApi(lookUpTimesheets, lookUpPayroll2Timesheet);
