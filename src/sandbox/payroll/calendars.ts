import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { PAYROLL_TYPES } from './model';
import { sendList, sendNotModelled, sendOne, type ListSpec } from './respond';

const CALENDARS: ListSpec = { type: PAYROLL_TYPES.calendar, collection: 'PayrollCalendars' };

/**
 * GET /PayrollCalendars and GET /PayrollCalendars/{PayrollCalendarID}.
 * @see xero-payroll-au.yaml getPayrollCalendars, getPayrollCalendar
 */
export function calendarRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/PayrollCalendars', (c) => sendList(c, deps, CALENDARS));
  app.get('/PayrollCalendars/:id', (c) => sendOne(c, deps, CALENDARS.type, CALENDARS.collection, c.req.param('id')));
  app.post('/PayrollCalendars', (c) => sendNotModelled(c, 'creating payroll calendars'));
  return app;
}
