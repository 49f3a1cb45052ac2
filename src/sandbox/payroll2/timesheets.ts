import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { immediate } from '../../store/db';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { isGuid } from '../payroll/model';
import type { Timesheet2, Timesheet2Status } from './model';
import { jsonObjectBody, pageOf, sendInvalid, sendMissing, sendProblem, sendResult } from './respond';
import { applyTimesheetQuery, readTimesheetQuery } from './timesheet-query';
import { deleteTimesheet2, findTimesheet2, listTimesheets2, saveTimesheet2, timesheet2Lookups } from './timesheet-store';
import { checkNewTimesheet } from './validate-timesheet';
import { timesheetLineRoutes } from './timesheet-lines';

/**
 * Payroll 2.0's timesheets: GET /Timesheets (filter, status, startDate, endDate, sort, page),
 * POST /Timesheets (one timesheet, created as a Draft), GET and DELETE /Timesheets/{id}, and
 * POST /Timesheets/{id}/Approve and /RevertToDraft; lines in timesheet-lines.ts.
 * @see xero-payroll-uk.yaml, xero-payroll-nz.yaml, xero-payroll-au-v2.yaml /Timesheets
 */
export function timesheet2Routes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/Timesheets', (c) => {
    const read = readTimesheetQuery(c.req.query());
    if (!read.ok) return sendInvalid(c, read.fields);
    const found = applyTimesheetQuery(listTimesheets2(deps.db, org(c)), read.query);
    return sendResult(c, deps.clock.now(), 'timesheets', pageOf(found, read.query.page), { page: read.query.page, itemCount: found.length });
  });
  app.post('/Timesheets', (c) => create(c, deps));
  app.get('/Timesheets/:id', (c) => {
    const timesheet = find(c, deps);
    return timesheet ? sendResult(c, deps.clock.now(), 'timesheet', timesheet) : sendMissing(c, 'timesheet');
  });
  app.delete('/Timesheets/:id', (c) =>
    change(c, deps, ['Draft'], 'deleted', (timesheet) => {
      deleteTimesheet2(deps.db, org(c), timesheet.timesheetID);
      return timesheet;
    }),
  );
  app.post('/Timesheets/:id/Approve', (c) => change(c, deps, ['Draft'], 'approved', (timesheet, now) => saveTimesheet2(deps.db, org(c), { ...timesheet, status: 'Approved' }, now)));
  app.post('/Timesheets/:id/RevertToDraft', (c) => change(c, deps, ['Approved'], 'reverted to draft', (timesheet, now) => saveTimesheet2(deps.db, org(c), { ...timesheet, status: 'Draft' }, now)));
  app.route('/', timesheetLineRoutes(deps));
  return app;
}

const org = (c: Context<SandboxEnv>) => c.get('auth').organisationId;

/** The timesheet the path names, if it is a GUID of one. */
export function find(c: Context<SandboxEnv>, deps: SandboxDeps): Timesheet2 | undefined {
  const id = c.req.param('id') ?? '';
  return isGuid(id) ? findTimesheet2(deps.db, org(c), id) : undefined;
}

async function create(c: Context<SandboxEnv>, deps: SandboxDeps): Promise<Response> {
  const input = await jsonObjectBody(c);
  if (!input) return sendProblem(c, 400, 'The request body must be one timesheet as a JSON object, e.g. {"payrollCalendarID": "…", "employeeID": "…", "startDate": "2026-11-16", …}.');
  const now = deps.clock.now();
  const outcome = immediate(deps.db, () => {
    const checked = checkNewTimesheet(input, timesheet2Lookups(deps.db, org(c)), { now: now.toISOString().slice(0, 23), newId: randomUUID });
    return checked.ok ? { ok: true as const, saved: saveTimesheet2(deps.db, org(c), checked.value, now) } : checked;
  });
  if (!outcome.ok) return sendInvalid(c, outcome.fields);
  c.set('committedWrite', true);
  return sendResult(c, now, 'timesheet', outcome.saved);
}

/**
 * A change a timesheet allows only in some statuses (approving a Draft, reverting an Approved
 * one): refused with the status it has, otherwise made and the timesheet answered.
 */
export function change(c: Context<SandboxEnv>, deps: SandboxDeps, allowed: readonly Timesheet2Status[], verb: string, apply: (timesheet: Timesheet2, now: Date) => Timesheet2): Response {
  const now = deps.clock.now();
  const outcome = immediate(deps.db, () => {
    const timesheet = find(c, deps);
    if (!timesheet) return undefined;
    if (!allowed.includes(timesheet.status)) return { refused: timesheet.status };
    return { saved: apply(timesheet, now) };
  });
  if (!outcome) return sendMissing(c, 'timesheet');
  const wanted = allowed.join(' or ');
  if ('refused' in outcome) return sendInvalid(c, [{ name: 'status', reason: `Only ${/^[AEIOU]/.test(wanted) ? 'an' : 'a'} ${wanted} timesheet can be ${verb}; this one is ${outcome.refused}.` }]);
  c.set('committedWrite', true);
  return sendResult(c, now, 'timesheet', outcome.saved);
}
