import { classifyRefusal } from '../domain/attention/classify';
import type { Payroll2TimesheetPayload } from '../domain/documents';
import {
  buildEmployee2Get,
  buildTimesheet2Approve,
  buildTimesheet2Create,
  buildTimesheet2Get,
  buildTimesheet2Lookup,
  processEmployee2Get,
  processTimesheet2Get,
  processTimesheet2Lookup,
  processTimesheet2Write,
  type Payroll2Outcome,
  type Timesheet2Key,
} from '../domain/xero/payroll2-timesheets';
import type { XeroAuth } from '../domain/xero/auth';
import { isOAuth2AppType } from '../config/oauth2';
import { completePayload, markStepDone } from '../store/job-progress';
import { findOrganisation } from '../store/organisations';
import { markDelivered, markFailed, unclaimJobs, type Job } from '../store/jobs';
import type { DeliveryContext } from './context';
import { documentDate, relinkCause, settleFailure } from './settle';

/**
 * A Payroll UK, NZ or AU 2.0 timesheet goes in steps, each one call: (read the employee's pay
 * run calendar, when the cache had none), create it as a Draft, then, if the app asked, approve
 * it. Its TimesheetID is kept on the job between steps. A step whose answer was lost is settled
 * by a look-up before anything is sent again: the create by the employee and period start (one
 * timesheet per employee and period), the approval by reading the timesheet's status.
 * @see PROTOCOL.md §5.2
 */
const payloadOf = (job: Job) => job.payload as unknown as Payroll2TimesheetPayload;
const keyOf = (job: Job): Timesheet2Key => ({ employeeId: payloadOf(job).timesheet.employeeID, startDate: payloadOf(job).timesheet.startDate });
const target = (ctx: DeliveryContext) => (auth: XeroAuth) => ({ apiUrl: ctx.deps.config.xero.apiUrl, auth });
const delivered = (timesheet: Record<string, unknown>) => ({ xeroId: String(timesheet['timesheetID']), xeroNumber: null, result: timesheet });
const isApproved = (timesheet: Record<string, unknown>) => ['approved', 'completed'].includes(String(timesheet['status'] ?? '').toLowerCase());

/**
 * Payroll 2.0 takes OAuth 2.0 only: to an organisation linked through OAuth 1.0a (a UK or NZ one
 * linked before, or an AU one whose payroll Xero moved) the timesheet fails with the way out,
 * rather than meeting a 401 that would read as a rejected token and hold every document.
 */
function refusedWithoutOAuth2(ctx: DeliveryContext, organisationId: string, job: Job): boolean {
  const organisation = findOrganisation(ctx.deps.db, organisationId);
  if (!organisation || isOAuth2AppType(organisation.appType)) return false;
  markFailed(ctx.deps.db, ctx.deps.clock, job.id, [`Payroll 2.0 takes OAuth 2.0 only, and ${organisation.name} is linked through an OAuth 1.0a app. Link it through an OAuth 2.0 app, then retry this timesheet.`], { cause: relinkCause(organisation) });
  ctx.stats.failed += 1;
  return true;
}

/** Sends the next step of a Payroll 2.0 timesheet known to be where the job says. */
export async function sendPayroll2Timesheet(ctx: DeliveryContext, organisationId: string, job: Job): Promise<void> {
  if (refusedWithoutOAuth2(ctx, organisationId, job)) return;
  const payload = payloadOf(job);
  if (job.xeroId === null && payload.timesheet.payrollCalendarID === '') return readCalendar(ctx, organisationId, job, payload);
  const to = target(ctx);
  const creating = job.xeroId === null;
  try {
    ctx.stats.writes += 1;
    const response = await ctx.call(organisationId, (auth) => (creating ? buildTimesheet2Create(to(auth), { ...payload.timesheet }) : buildTimesheet2Approve(to(auth), job.xeroId!)));
    settle(ctx, job, processTimesheet2Write(response), response.status, creating);
  } catch (error) {
    settleFailure(ctx, organisationId, 'timesheet', [job], error, true);
  }
}

/**
 * The step before a create when the cache did not know the employee's pay run calendar: a read
 * of the employee (a read, so a lost answer leaves nothing to look up), whose calendar is kept
 * in the payload for the create that follows.
 */
async function readCalendar(ctx: DeliveryContext, organisationId: string, job: Job, payload: Payroll2TimesheetPayload): Promise<void> {
  const { db, clock } = ctx.deps;
  const to = target(ctx);
  let calendar: string | undefined;
  let httpStatus: number;
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => buildEmployee2Get(to(auth), payload.timesheet.employeeID));
    httpStatus = response.status;
    calendar = processEmployee2Get(response);
  } catch (error) {
    settleFailure(ctx, organisationId, 'timesheet', [job], error, false);
    return;
  }
  if (!calendar) {
    markFailed(db, clock, job.id, [`employeeID: Xero Payroll has no employee ${payload.timesheet.employeeID}, or the employee is on no pay run calendar.`], { httpStatus });
    ctx.stats.failed += 1;
    return;
  }
  db.transaction(() => {
    completePayload(db, clock, job.id, { ...payload, timesheet: { ...payload.timesheet, payrollCalendarID: calendar } });
    unclaimJobs(db, clock, [job.id], { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: "Read the employee's pay run calendar from Xero; the timesheet is sent next." } });
  })();
}

function settle(ctx: DeliveryContext, job: Job, outcome: Payroll2Outcome, httpStatus: number, creating: boolean): void {
  const { db, clock } = ctx.deps;
  if (outcome.status === 'refused') {
    markFailed(db, clock, job.id, outcome.messages, { httpStatus, cause: classifyRefusal(outcome.messages, documentDate(job)) });
    ctx.stats.failed += 1;
    return;
  }
  if (creating && payloadOf(job).approve && !isApproved(outcome.timesheet)) {
    markStepDone(db, clock, job.id, { xeroId: String(outcome.timesheet['timesheetID']), result: outcome.timesheet }, { httpStatus, note: 'Created in Xero as a draft; it is approved next.' });
    return;
  }
  markDelivered(db, clock, job.id, delivered(outcome.timesheet), { httpStatus });
  ctx.stats.delivered += 1;
}

/**
 * Settles a Payroll 2.0 timesheet whose last step may have reached Xero. Not yet created: the
 * employee's timesheets from the period's start are listed, and one for that period is adopted
 * (then approved if it should be and is not). Created: the timesheet is read, and an approved
 * one is delivered without approving it again. What is proven not done goes back to be sent.
 */
export async function lookUpPayroll2Timesheet(ctx: DeliveryContext, organisationId: string, job: Job): Promise<void> {
  const { db, clock } = ctx.deps;
  if (refusedWithoutOAuth2(ctx, organisationId, job)) return;
  const to = target(ctx);
  let found: Record<string, unknown> | undefined;
  let httpStatus: number;
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => (job.xeroId === null ? buildTimesheet2Lookup(to(auth), keyOf(job)) : buildTimesheet2Get(to(auth), job.xeroId)));
    httpStatus = response.status;
    found = job.xeroId === null ? processTimesheet2Lookup(response, keyOf(job)) : processTimesheet2Get(response);
  } catch (error) {
    settleFailure(ctx, organisationId, 'timesheet', [job], error, false);
    return;
  }
  db.transaction(() => {
    if (!found && job.xeroId !== null) {
      markFailed(db, clock, job.id, [`The timesheet Xero created (${job.xeroId}) is no longer in Xero, so it cannot be approved; it was deleted there.`], { httpStatus });
      ctx.stats.failed += 1;
    } else if (!found) {
      unclaimJobs(db, clock, [job.id], { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: 'Looked up in Xero and not there, so it is sent.' } });
    } else if (payloadOf(job).approve && !isApproved(found)) {
      if (job.xeroId === null) ctx.stats.found += 1;
      markStepDone(db, clock, job.id, { xeroId: String(found['timesheetID']), result: found }, { outcome: 'found', httpStatus, note: 'Looked up in Xero and found there as a draft, so it was not created again; it is approved next.' });
    } else {
      markDelivered(db, clock, job.id, delivered(found), { outcome: 'found', httpStatus, note: job.xeroId === null ? 'Looked up in Xero and found there, so it was not sent again.' : 'Read from Xero and found approved, so it was not approved again.' });
      ctx.stats.found += 1;
      ctx.stats.delivered += 1;
    }
  })();
}
