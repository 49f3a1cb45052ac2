import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { calendar, employee, getJson, getXml, rate, type Json } from '../helpers/payroll-requests';
import { startPayrollOnly, type PayrollOnlySandbox } from '../helpers/payroll-sandbox';

const reference = suite<{ sb: PayrollOnlySandbox }>('sandbox.payroll-reference');
const [, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [unknown, { id: string }, { id: string }];

reference.before(async (context) => {
  context.sb = await startPayrollOnly();
});
reference.after(async (context) => {
  await context.sb.stop();
});

reference('lists employees in XML by default, inside the Response envelope', async ({ sb }) => {
  const { status, contentType, root, data } = await getXml(sb, '/Employees');
  assert.is(status, 200);
  assert.match(contentType ?? '', 'text/xml');
  assert.is(root, 'Response');
  assert.is(data.Status, 'OK');
  const employees = data.Employees as Json[];
  assert.equal(
    employees.map((e) => `${e.FirstName} ${e.LastName} ${e.Status}`),
    ['Mia Nguyen ACTIVE', "Liam O'Connor ACTIVE", 'Ava Patel ACTIVE', 'Noah Williams ACTIVE', 'Chloe Martin TERMINATED'],
  );
  assert.is(employees[0].EmployeeID, employee(1));
  assert.is(employees[0].StartDate, '2023-02-06T00:00:00');
  assert.is(employees[0].PayrollCalendarID, calendar(1));
  assert.is(employees[2].PayrollCalendarID, calendar(2));
  assert.is(employees[0].OrdinaryEarningsRateID, rate(1));
});

reference('lists employees in JSON with .NET dates', async ({ sb }) => {
  const { status, json } = await getJson(sb, '/Employees');
  assert.is(status, 200);
  assert.is(json.Status, 'OK');
  assert.match(json.DateTimeUTC, /^\/Date\(\d+\+0000\)\/$/);
  const mia = json.Employees[0];
  assert.is(mia.StartDate, `/Date(${Date.UTC(2023, 1, 6)}+0000)/`);
  assert.is(mia.DateOfBirth, `/Date(${Date.UTC(1996, 2, 14)}+0000)/`);
  assert.is(mia.UpdatedDateUTC, `/Date(${Date.UTC(2026, 0, 15)}+0000)/`);
  assert.is(json.Employees[4].TerminationDate, `/Date(${Date.UTC(2025, 10, 30)}+0000)/`);
});

reference('gets one employee by id and answers 404 for unknown or malformed ids', async ({ sb }) => {
  const { status, json } = await getJson(sb, `/Employees/${employee(3).toUpperCase()}`);
  assert.is(status, 200);
  assert.equal(json.Employees.map((e: Json) => e.FirstName), ['Ava']);
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-guid']) {
    const missing = await getJson(sb, `/Employees/${id}`);
    assert.is(missing.status, 404);
    assert.is(missing.json, "The resource you're looking for cannot be found");
  }
});

reference('filters and orders employees with where and order', async ({ sb }) => {
  const active = await getJson(sb, `/Employees?where=${encodeURIComponent('Status=="ACTIVE"')}&order=${encodeURIComponent('LastName DESC')}`);
  assert.equal(active.json.Employees.map((e: Json) => e.LastName), ['Williams', 'Patel', "O'Connor", 'Nguyen']);
  const bad = await getJson(sb, `/Employees?where=${encodeURIComponent('Nickname=="Mo"')}`);
  assert.is(bad.status, 400);
  assert.equal(bad.json, { ErrorNumber: 16, Type: 'QueryParseException', Message: "No property or field 'Nickname' exists in type 'Employee' (at index 0)" });
});

reference('lists pay items as one object whose EarningsRates carry the spec fields', async ({ sb }) => {
  const { status, json } = await getJson(sb, '/PayItems');
  assert.is(status, 200);
  assert.equal(json.PayItems.DeductionTypes, []);
  assert.equal(json.PayItems.LeaveTypes, []);
  assert.equal(json.PayItems.ReimbursementTypes, []);
  const rates = json.PayItems.EarningsRates as Json[];
  assert.equal(rates.map((r) => r.Name), ['Ordinary Hours', 'Overtime Hours (x1.5)', 'Saturday Penalty (x1.25)', 'Sunday Penalty (x1.5)', 'Meal Allowance', 'Bonus']);
  const ordinary = rates[0];
  assert.equal(
    { ...ordinary, UpdatedDateUTC: undefined },
    {
      EarningsRateID: rate(1),
      Name: 'Ordinary Hours',
      EarningsType: 'ORDINARYTIMEEARNINGS',
      RateType: 'RATEPERUNIT',
      TypeOfUnits: 'Hours',
      RatePerUnit: 28.5,
      AccountCode: '477',
      IsExemptFromTax: false,
      IsExemptFromSuper: false,
      IsReportableAsW1: true,
      IsQualifyingEarnings: true,
      UpdatedDateUTC: undefined,
      CurrentRecord: true,
    },
  );
  assert.is(rates[1].RateType, 'MULTIPLE');
  assert.is(rates[1].Multiplier, 1.5);
  assert.is(rates[5].RateType, 'FIXEDAMOUNT');
});

reference('lists pay items in XML as <PayItems><EarningsRates><EarningsRate>', async ({ sb }) => {
  const { status, data } = await getXml(sb, '/PayItems');
  assert.is(status, 200);
  const rates = data.PayItems.EarningsRates as Json[];
  assert.is(rates.length, 6);
  assert.is(rates[4].Name, 'Meal Allowance');
  assert.is(rates[4].TypeOfUnits, 'Meals');
  assert.is(rates[0].IsExemptFromSuper, 'false');
});

reference('lists payroll calendars in XML and JSON and gets one by id', async ({ sb }) => {
  const xml = await getXml(sb, '/PayrollCalendars');
  assert.equal(
    (xml.data.PayrollCalendars as Json[]).map((p) => [p.Name, p.CalendarType, p.StartDate, p.PaymentDate]),
    [
      ['Weekly', 'WEEKLY', '2026-01-05T00:00:00', '2026-01-14T00:00:00'],
      ['Fortnightly', 'FORTNIGHTLY', '2026-01-12T00:00:00', '2026-01-28T00:00:00'],
    ],
  );
  const json = await getJson(sb, `/PayrollCalendars/${calendar(2)}`);
  assert.is(json.status, 200);
  assert.is(json.json.PayrollCalendars[0].StartDate, `/Date(${Date.UTC(2026, 0, 12)}+0000)/`);
  assert.is(json.json.PayrollCalendars[0].PayrollCalendarID, calendar(2));
});

reference("serves each organisation's own payroll with its own fixed ids", async ({ sb }) => {
  const response = await sb.call('/Employees', { organisationId: RIVERBEND.id, headers: { accept: 'application/json' } });
  const json = (await response.json()) as Json;
  assert.equal(json.Employees.map((e: Json) => e.FirstName), ['Grace', 'Ethan', 'Zoe', 'Jack', 'Ruby']);
  assert.is(json.Employees[0].EmployeeID, employee(1, RIVERBEND.id));
  assert.is.not(employee(1, RIVERBEND.id), employee(1));
  const cross = await sb.call(`/Employees/${employee(1)}`, { organisationId: RIVERBEND.id });
  assert.is(cross.status, 404);
});

reference('refuses Payroll AU for the New Zealand organisation, whose payroll (seeded for Payroll NZ) answers on payroll.xro/2.0', async ({ sb }) => {
  for (const path of ['/Employees', '/Timesheets', '/PayItems']) {
    const response = await sb.call(path, { organisationId: KAURI.id });
    assert.is(response.status, 403);
    assert.is(await response.text(), 'Kauri Hardware (NZ) does not use Xero Payroll for Australia; the Payroll AU API (payroll.xro/1.0) is only available to Australian organisations.');
  }
  const seeded = sb.deps.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE organisation_id = ? AND type IN ('Employee', 'EarningsRate', 'PayrollCalendar')").get(KAURI.id) as { n: number };
  assert.is(seeded.n, 3 + 6 + 2, 'three employees, six earnings rates and two calendars');
});

reference('answers 501 for payroll writes the sandbox does not model', async ({ sb }) => {
  const response = await sb.call('/Employees', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '[]' });
  assert.is(response.status, 501);
  assert.equal(await response.json(), {
    ErrorNumber: 20,
    Type: 'ApiMethodNotImplementedException',
    Message: 'The sandbox does not implement creating payroll employees; use the demo data it seeds.',
  });
});

reference.run();
