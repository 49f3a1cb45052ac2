import { Hono, type Context } from 'hono';
import { isAppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { readXeroBody, sendApiException, sendCollectionValidationException, sendEnvelope } from '../http/format';
import { PAYROLL_TYPES } from './model';
import { renderAll, sendList, sendOne, type ListSpec } from './respond';
import { submitTimesheets, timesheetItems } from './submit-timesheets';

const TIMESHEETS: ListSpec = { type: PAYROLL_TYPES.timesheet, collection: 'Timesheets' };

/**
 * GET /Timesheets (where, order, page of 100, If-Modified-Since), GET /Timesheets/{id}, and
 * POST /Timesheets and /Timesheets/{id} to create, or update when a TimesheetID is given.
 * @see xero-payroll-au.yaml getTimesheets, getTimesheet, createTimesheet, updateTimesheet
 * @see PROTOCOL.md §5.1
 */
export function timesheetRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/Timesheets', (c) => sendList(c, deps, TIMESHEETS));
  app.get('/Timesheets/:id', (c) => sendOne(c, deps, TIMESHEETS.type, 'Timesheet', c.req.param('id'), true));
  app.post('/Timesheets', (c) => postTimesheets(c, deps));
  app.post('/Timesheets/:id', (c) => postTimesheets(c, deps, c.req.param('id')));
  return app;
}

async function postTimesheets(c: Context<SandboxEnv>, deps: SandboxDeps, pathId?: string): Promise<Response> {
  let items: unknown[];
  try {
    items = timesheetItems(await readXeroBody(c));
  } catch (error) {
    // Xero answers a body it cannot read with ErrorNumber 14, PostDataInvalidException.
    if (!isAppError(error, 'invalid')) throw error;
    c.set('problem', error.message);
    return sendApiException(c, 400, 14, 'PostDataInvalidException', error.message);
  }
  if (items.length === 0) return sendApiException(c, 400, 14, 'PostDataInvalidException', 'The request contains no timesheets.');
  const now = deps.clock.now();
  const { saved, failed } = submitTimesheets(deps.db, c.get('auth').organisationId, items, now, pathId);
  if (saved.length > 0) c.set('committedWrite', true);
  if (failed.length > 0) {
    c.set('problem', 'ValidationException');
    return sendCollectionValidationException(c, 'Timesheets', renderAll(c, failed));
  }
  return sendEnvelope(c, now, 'Timesheets', renderAll(c, saved));
}
