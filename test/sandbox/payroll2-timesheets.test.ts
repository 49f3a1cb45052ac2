import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { bearerFetch, linkWebApp, registerOAuth2App, tokenRequest, type TestOAuth2App } from '../helpers/oauth2-client';
import { oauthFetch, registerApp } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const [CAFE, , KAURI, THAMES] = DEMO_ORGANISATIONS as unknown as Array<(typeof DEMO_ORGANISATIONS)[0]>;
const SCOPE = 'offline_access payroll.timesheets payroll.employees.read payroll.settings.read';
const id = (kind: 'calendar' | 'earningsRate' | 'employee', org: { id: string }, n: number) => payrollDemoId(kind, org.id, n);

const payroll2 = suite<{ sb: TestSandbox; web: TestOAuth2App; token: string }>('sandbox.payroll2-timesheets');

payroll2.before(async (context) => {
  context.sb = await startTestSandbox();
  context.web = await registerOAuth2App(context.sb, { type: 'web' });
  context.token = (await linkWebApp(context.sb, context.web, [CAFE!.id, KAURI!.id, THAMES!.id], SCOPE))['access_token'] as string;
});
payroll2.after(async (context) => context.sb.stop());

const call = (context: { sb: TestSandbox; token: string }, org: { id: string }, path: string, init: { method?: string; body?: unknown } = {}) =>
  bearerFetch(context.sb, `/payroll.xro/2.0${path}`, context.token, org.id, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
  });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

/** A week of Oliver Hughes, a baker on Thames Bakery's weekly calendar (weeks from Monday 2026-01-05). */
const week = (extra: Record<string, unknown> = {}) => ({
  payrollCalendarID: id('calendar', THAMES!, 1),
  employeeID: id('employee', THAMES!, 1),
  startDate: '2026-11-16',
  endDate: '2026-11-22',
  timesheetLines: [
    { date: '2026-11-16', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 8 },
    { date: '2026-11-17', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 7.5 },
  ],
  ...extra,
});

payroll2('a UK organisation lists its employees, earnings rates and pay run calendars in camelCase', async (context) => {
  const employees = await json(await call(context, THAMES!, '/Employees'));
  const oliver = (employees['employees'] as Array<Record<string, unknown>>).find((e) => e['firstName'] === 'Oliver');
  assert.is(oliver?.['payrollCalendarID'], id('calendar', THAMES!, 1));
  assert.is((employees['pagination'] as Record<string, unknown>)['itemCount'], 5);
  const george = (employees['employees'] as Array<Record<string, unknown>>).find((e) => e['firstName'] === 'George');
  assert.is(george?.['payrollCalendarID'], null, 'a new employee on no pay calendar yet');
  const rates = await json(await call(context, THAMES!, '/EarningsRates'));
  assert.ok((rates['earningsRates'] as Array<Record<string, unknown>>).some((r) => r['earningsRateID'] === id('earningsRate', THAMES!, 1)));
  const calendars = await json(await call(context, THAMES!, '/PayRunCalendars'));
  assert.equal((calendars['payRunCalendars'] as Array<Record<string, unknown>>).map((c) => c['calendarType']), ['Weekly', 'Fortnightly']);
});

payroll2('one timesheet is created as a Draft, found by employee and start date, approved once, reverted, and given a line', async (context) => {
  const created = await call(context, THAMES!, '/Timesheets', { method: 'POST', body: week() });
  assert.is(created.status, 200, await created.clone().text());
  const timesheet = (await json(created))['timesheet'] as Record<string, unknown>;
  assert.is(timesheet['status'], 'Draft');
  assert.is(timesheet['totalHours'], 15.5);
  const found = await json(await call(context, THAMES!, `/Timesheets?filter=employeeId==${id('employee', THAMES!, 1)}&startDate=2026-11-16`));
  assert.equal((found['timesheets'] as Array<Record<string, unknown>>).map((t) => t['timesheetID']), [timesheet['timesheetID']]);
  const none = await json(await call(context, THAMES!, `/Timesheets?filter=employeeId==${id('employee', THAMES!, 2)}&startDate=2026-11-16`));
  assert.equal(none['timesheets'], []);

  const approved = await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}/Approve`, { method: 'POST' });
  assert.is(((await json(approved))['timesheet'] as Record<string, unknown>)['status'], 'Approved');
  const twice = await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}/Approve`, { method: 'POST' });
  assert.is(twice.status, 400);
  assert.match(twice.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((await json(twice))['invalidFields'], [{ name: 'status', reason: 'Only a Draft timesheet can be approved; this one is Approved.' }]);
  const line = await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}/Lines`, { method: 'POST', body: { date: '2026-11-18', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 4 } });
  assert.is(line.status, 400, 'an approved timesheet takes no lines');

  const reverted = await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}/RevertToDraft`, { method: 'POST' });
  assert.is(((await json(reverted))['timesheet'] as Record<string, unknown>)['status'], 'Draft');
  const added = await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}/Lines`, { method: 'POST', body: { date: '2026-11-18', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 4 } });
  assert.is(added.status, 200, await added.clone().text());
  const after = (await json(await call(context, THAMES!, `/Timesheets/${String(timesheet['timesheetID'])}`)))['timesheet'] as Record<string, unknown>;
  assert.is(after['totalHours'], 19.5);

  const again = await call(context, THAMES!, '/Timesheets', { method: 'POST', body: week() });
  assert.is(again.status, 400);
  assert.equal((await json(again))['invalidFields'], [{ name: 'startDate', reason: 'A timesheet already exists for Oliver Hughes in the period 2026-11-16 to 2026-11-22.' }]);
});

payroll2('a Draft\'s lines are changed and removed by id, list queries filter by status and date and refuse an unknown filter, and a Draft is deleted', async (context) => {
  const ts = (await json(await call(context, THAMES!, '/Timesheets', { method: 'POST', body: week({ employeeID: id('employee', THAMES!, 2) }) })))['timesheet'] as { timesheetID: string; timesheetLines: Array<{ timesheetLineID: string }> };
  const lineId = ts.timesheetLines[0]!.timesheetLineID;
  const changed = await call(context, THAMES!, `/Timesheets/${ts.timesheetID}/Lines/${lineId}`, { method: 'PUT', body: { date: '2026-11-21', earningsRateID: id('earningsRate', THAMES!, 2), numberOfUnits: 3 } });
  assert.equal(((await json(changed))['timesheetLine'] as Record<string, unknown>)['timesheetLineID'], lineId);
  const outside = await call(context, THAMES!, `/Timesheets/${ts.timesheetID}/Lines`, { method: 'POST', body: { date: '2026-11-23', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 1 } });
  assert.equal((await json(outside))['invalidFields'], [{ name: 'date', reason: "The date 2026-11-23 is outside the timesheet's period, 2026-11-16 to 2026-11-22." }]);
  const removed = await call(context, THAMES!, `/Timesheets/${ts.timesheetID}/Lines/${lineId}`, { method: 'DELETE' });
  assert.is(removed.status, 200);
  const after = (await json(await call(context, THAMES!, `/Timesheets/${ts.timesheetID}`)))['timesheet'] as { totalHours: number; timesheetLines: unknown[] };
  assert.equal([after.timesheetLines.length, after.totalHours], [1, 7.5]);
  assert.is((await call(context, THAMES!, `/Timesheets/${ts.timesheetID}/Lines/${lineId}`, { method: 'DELETE' })).status, 404);

  const drafts = await json(await call(context, THAMES!, `/Timesheets?filter=employeeId==${id('employee', THAMES!, 2)}&status=Draft&endDate=2026-11-22`));
  assert.equal((drafts['timesheets'] as Array<{ timesheetID: string }>).map((t) => t.timesheetID), [ts.timesheetID]);
  const later = await json(await call(context, THAMES!, `/Timesheets?filter=employeeId==${id('employee', THAMES!, 2)}&startDate=2026-11-17`));
  assert.equal(later['timesheets'], []);
  const unknown = await call(context, THAMES!, '/Timesheets?filter=firstName==Amelia');
  assert.is(unknown.status, 400);
  assert.equal((await json(unknown))['invalidFields'], [{ name: 'filter', reason: '"firstName==Amelia" is not a filter this endpoint takes; use employeeId==<id> and/or payrollCalendarId==<id>.' }]);
  const revert = await call(context, THAMES!, `/Timesheets/${ts.timesheetID}/RevertToDraft`, { method: 'POST' });
  assert.equal((await json(revert))['invalidFields'], [{ name: 'status', reason: 'Only an Approved timesheet can be reverted to draft; this one is Draft.' }]);
  assert.is((await call(context, THAMES!, `/Timesheets/${ts.timesheetID}`, { method: 'DELETE' })).status, 200);
  assert.is((await call(context, THAMES!, `/Timesheets/${ts.timesheetID}`)).status, 404);
});

payroll2('a timesheet Xero would refuse is refused with every field at fault named, and nothing is stored', async (context) => {
  const before = (await json(await call(context, THAMES!, '/Timesheets')))['timesheets'] as unknown[];
  const refused = await call(context, THAMES!, '/Timesheets', {
    method: 'POST',
    body: week({
      employeeID: id('employee', THAMES!, 3),
      startDate: '2026-11-17',
      endDate: '2026-11-23',
      timesheetLines: [
        { date: '2026-11-30', earningsRateID: id('earningsRate', THAMES!, 1), numberOfUnits: 1 },
        { date: '2026-11-18', earningsRateID: '00000000-0000-0000-0000-000000000000', numberOfUnits: -2 },
      ],
    }),
  });
  assert.is(refused.status, 400);
  const problem = await json(refused);
  assert.is(problem['title'], 'BadRequest');
  assert.equal((problem['invalidFields'] as Array<{ name: string }>).map((f) => f.name), [
    'payrollCalendarID',
    'startDate',
    'timesheetLines[0].date',
    'timesheetLines[1].earningsRateID',
    'timesheetLines[1].numberOfUnits',
  ]);
  assert.match(JSON.stringify(problem['invalidFields']), 'Harry Price is not paid on the Weekly calendar.');
  const terminated = await call(context, THAMES!, '/Timesheets', { method: 'POST', body: week({ employeeID: id('employee', THAMES!, 4) }) });
  assert.equal((await json(terminated))['invalidFields'], [{ name: 'employeeID', reason: 'Isla Morgan is not an active employee.' }]);
  assert.equal((await json(await call(context, THAMES!, '/Timesheets')))['timesheets'], before);
});

payroll2('an Australian organisation answers on 2.0 only once moved there, and 1.0 then refuses it; NZ is on 2.0 from the start', async (context) => {
  const employees = await call(context, KAURI!, '/Employees');
  assert.is(employees.status, 200);
  const before = await call(context, CAFE!, '/Timesheets');
  assert.is(before.status, 403);
  assert.match(String((await json(before))['detail']), 'Harbourside Café (AU) uses Payroll AU (payroll.xro/1.0)');
  const moved = await fetch(`${context.sb.url}/sandbox/organisations/${CAFE!.id}/payroll`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: '2.0' }) });
  assert.equal(await moved.json(), { organisationId: CAFE!.id, api: '2.0' });
  assert.is((await call(context, CAFE!, '/Timesheets')).status, 200);
  const v1 = await bearerFetch(context.sb, '/payroll.xro/1.0/Employees', context.token, CAFE!.id);
  assert.is(v1.status, 403);
  assert.is(await v1.text(), 'Harbourside Café (AU) has moved to Payroll 2.0; use payroll.xro/2.0 for its timesheets.');
  const uk = await fetch(`${context.sb.url}/sandbox/organisations/${THAMES!.id}/payroll`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: '1.0' }) });
  assert.is(uk.status, 400);
});

payroll2('a token without payroll.timesheets may not write timesheets; the read scope lets it list them', async (context) => {
  const reader = (await linkWebApp(context.sb, context.web, [THAMES!.id], 'offline_access payroll.timesheets.read'))['access_token'] as string;
  const read = await bearerFetch(context.sb, '/payroll.xro/2.0/Timesheets', reader, THAMES!.id);
  assert.is(read.status, 200);
  const write = await bearerFetch(context.sb, '/payroll.xro/2.0/Timesheets', reader, THAMES!.id, { method: 'POST', body: JSON.stringify(week()), headers: { 'content-type': 'application/json' } });
  assert.is(write.status, 403);
  const employees = await bearerFetch(context.sb, '/payroll.xro/2.0/Employees', reader, THAMES!.id);
  assert.is(employees.status, 403, 'payroll.employees was not granted');
});

payroll2('payroll.xro/2.0 requires Xero-Tenant-Id even of a custom connection, and refuses OAuth 1.0a callers', async (context) => {
  const custom = await registerOAuth2App(context.sb, { type: 'custom_connection', tenant: THAMES!.id, scopes: ['payroll.timesheets', 'payroll.employees.read'] });
  const answer = await tokenRequest(context.sb, { grant_type: 'client_credentials' }, { id: custom.clientId, secret: custom.clientSecret! });
  const token = answer.body['access_token'] as string;
  const without = await bearerFetch(context.sb, '/payroll.xro/2.0/Employees', token);
  assert.is(without.status, 400);
  assert.match(without.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((await json(without))['invalidFields'], [{ name: 'Xero-Tenant-Id', reason: 'The Xero-Tenant-Id header is required.' }]);
  const withTenant = await bearerFetch(context.sb, '/payroll.xro/2.0/Employees', token, THAMES!.id);
  assert.is(withTenant.status, 200);
  const unsigned = await fetch(`${context.sb.url}/payroll.xro/2.0/Timesheets`);
  assert.is(unsigned.status, 400, 'no Authorization is an OAuth 1.0a parameter_absent, as for every API');
  const app = await registerApp(context.sb.url, 'private', { organisationId: THAMES!.id });
  const signed = await oauthFetch({ method: 'GET', url: `${context.sb.url}/payroll.xro/2.0/Timesheets`, credentials: app.credentials, now: () => context.sb.sandbox.deps.clock.now() });
  assert.is(signed.status, 401);
  assert.is((await json(signed))['detail'], 'payroll.xro/2.0 takes OAuth 2.0 access tokens only.');
});

payroll2.run();
