import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { saveTimesheet2, timesheet2Lookups } from './timesheet-store';
import { jsonObjectBody, sendInvalid, sendMissing, sendProblem, sendResult } from './respond';
import { checkLine, periodOf } from './validate-timesheet';
import { find } from './timesheets';
import type { Timesheet2Line } from './model';

/**
 * A Draft timesheet's lines: POST /Timesheets/{id}/Lines adds one, PUT and DELETE
 * /Timesheets/{id}/Lines/{lineId} change or remove one; each answers the line. An Approved or
 * Completed timesheet's lines are refused until it is reverted to draft.
 * @see xero-payroll-uk.yaml createTimesheetLine, updateTimesheetLine, deleteTimesheetLine
 */
export function timesheetLineRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.post('/Timesheets/:id/Lines', (c) => write(c, deps, undefined));
  app.put('/Timesheets/:id/Lines/:lineId', (c) => write(c, deps, c.req.param('lineId')));
  app.delete('/Timesheets/:id/Lines/:lineId', (c) => write(c, deps, c.req.param('lineId'), true));
  return app;
}

async function write(c: Context<SandboxEnv>, deps: SandboxDeps, lineId: string | undefined, remove = false): Promise<Response> {
  const input = remove ? {} : await jsonObjectBody(c);
  if (!input) return sendProblem(c, 400, 'The request body must be one timesheet line as a JSON object, e.g. {"date": "2026-11-16", "earningsRateID": "…", "numberOfUnits": 7.5}.');
  const organisationId = c.get('auth').organisationId;
  const now = deps.clock.now();
  const timesheet = find(c, deps);
  if (!timesheet) return sendMissing(c, 'timesheet');
  if (timesheet.status !== 'Draft') return sendInvalid(c, [{ name: 'status', reason: `Lines can be changed only on a Draft timesheet; this one is ${timesheet.status}.` }]);
  const at = lineId === undefined ? -1 : timesheet.timesheetLines.findIndex((line) => line.timesheetLineID === lineId.toLowerCase());
  if (lineId !== undefined && at === -1) return sendMissing(c, 'timesheet line');
  let line: Timesheet2Line;
  const lines = [...timesheet.timesheetLines];
  if (remove) {
    line = lines.splice(at, 1)[0]!;
  } else {
    const checked = checkLine(input, periodOf(timesheet), timesheet2Lookups(deps.db, organisationId), randomUUID);
    if (!checked.ok) return sendInvalid(c, checked.fields);
    line = lineId === undefined ? checked.value : { ...checked.value, timesheetLineID: lines[at]!.timesheetLineID };
    if (lineId === undefined) lines.push(line);
    else lines[at] = line;
  }
  saveTimesheet2(deps.db, organisationId, { ...timesheet, timesheetLines: lines }, now);
  c.set('committedWrite', true);
  return sendResult(c, now, 'timesheetLine', line);
}
