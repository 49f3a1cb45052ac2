import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addDays } from '../../src/sandbox/payroll/dates';
import { employee, FORTNIGHT, getJson, getXml, postJson, postXml, rate, timesheetsXml, week, WEEK, type Json } from '../helpers/payroll-requests';
import { startPayrollOnly, type PayrollOnlySandbox } from '../helpers/payroll-sandbox';

const timesheets = suite<{ sb: PayrollOnlySandbox }>('sandbox.payroll-timesheets');
const netDate = (day: string) => `/Date(${Date.parse(`${day}T00:00:00Z`)}+0000)/`;

timesheets.before.each(async (context) => {
  context.sb = await startPayrollOnly();
});
timesheets.after.each(async (context) => {
  await context.sb.stop();
});

timesheets('creates a timesheet from raw XML and answers it in XML with two-decimal units', async ({ sb }) => {
  const { status, root, data } = await postXml(sb, timesheetsXml([week({ TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: ['4.00', '4.00', '4.00', '4.00', '4.00', '0.00', '0.00'] }] })]));
  assert.is(status, 200);
  assert.is(root, 'Response');
  const [created] = data.Timesheets as Json[];
  assert.match(created.TimesheetID, /^[0-9a-f-]{36}$/);
  assert.is(created.EmployeeID, employee(1));
  assert.is(created.StartDate, '2026-01-05T00:00:00');
  assert.is(created.EndDate, '2026-01-11T00:00:00');
  assert.is(created.Status, 'DRAFT');
  assert.is(created.Hours, '20.00');
  assert.equal(created.TimesheetLines[0].NumberOfUnits, ['4.00', '4.00', '4.00', '4.00', '4.00', '0.00', '0.00']);
});

timesheets('creates a timesheet from the classic xml= form field', async ({ sb }) => {
  const body = new URLSearchParams({ xml: timesheetsXml([week()]) }).toString();
  const response = await sb.call('/Timesheets', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' }, body });
  assert.is(response.status, 200);
  const json = (await response.json()) as Json;
  assert.is(json.Timesheets[0].Hours, 20);
});

timesheets('creates a timesheet from a bare JSON array and reads it back in JSON and XML', async ({ sb }) => {
  const posted = await postJson(sb, [
    { ...week(), StartDate: netDate(WEEK.start), EndDate: netDate(WEEK.end), Status: 'APPROVED', TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [2, 10, 0, 0, 5, 0, 5] }] },
  ]);
  assert.is(posted.status, 200);
  const created = posted.json.Timesheets[0];
  assert.equal(
    { ...created, TimesheetID: undefined },
    {
      TimesheetID: undefined,
      EmployeeID: employee(1),
      StartDate: netDate(WEEK.start),
      EndDate: netDate(WEEK.end),
      Status: 'APPROVED',
      Hours: 22,
      TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [2, 10, 0, 0, 5, 0, 5], UpdatedDateUTC: netDate('2026-01-15') }],
      UpdatedDateUTC: netDate('2026-01-15'),
    },
  );

  const json = await getJson(sb, `/Timesheets/${created.TimesheetID}`);
  assert.is(json.status, 200);
  assert.equal(json.json.Timesheet, created);

  const xml = await getXml(sb, `/Timesheets/${created.TimesheetID}`);
  assert.is(xml.data.Timesheet.TimesheetID, created.TimesheetID);
  assert.is(xml.data.Timesheet.StartDate, '2026-01-05T00:00:00');
  assert.is(xml.data.Timesheet.Status, 'APPROVED');
  assert.equal(xml.data.Timesheet.TimesheetLines[0].NumberOfUnits, ['2.00', '10.00', '0.00', '0.00', '5.00', '0.00', '5.00']);
});

timesheets('also accepts {"Timesheets":[…]} and ISO dates in JSON', async ({ sb }) => {
  const posted = await postJson(sb, { Timesheets: [week({ StartDate: '2026-01-05T00:00:00', EndDate: '2026-01-11T00:00:00' })] });
  assert.is(posted.status, 200);
  assert.is(posted.json.Timesheets[0].StartDate, netDate(WEEK.start));
});

timesheets('counts only hourly lines in Hours', async ({ sb }) => {
  const posted = await postJson(sb, [
    week({
      TimesheetLines: [
        { EarningsRateID: rate(1), NumberOfUnits: [4, 4, 4, 4, 4, 0, 0] },
        { EarningsRateID: rate(2), NumberOfUnits: [0, 0, 0, 0, 2, 0, 0] },
        { EarningsRateID: rate(5), NumberOfUnits: [1, 1, 1, 1, 1, 0, 0] },
      ],
    }),
  ]);
  assert.is(posted.status, 200);
  assert.is(posted.json.Timesheets[0].Hours, 22);
});

timesheets('updates a timesheet when the TimesheetID is given, keeping its id', async ({ sb }) => {
  const created = (await postJson(sb, [week()])).json.Timesheets[0];
  const updated = await postJson(sb, [week({ TimesheetID: created.TimesheetID, Status: 'APPROVED', TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [8, 8, 8, 8, 8, 0, 0] }] })]);
  assert.is(updated.status, 200);
  assert.is(updated.json.Timesheets[0].TimesheetID, created.TimesheetID);
  assert.is(updated.json.Timesheets[0].Status, 'APPROVED');
  assert.is(updated.json.Timesheets[0].Hours, 40);
  const all = await getJson(sb, '/Timesheets');
  assert.is(all.json.Timesheets.length, 1);
  assert.is(all.json.Timesheets[0].Hours, 40);
});

timesheets('updates through POST /Timesheets/{TimesheetID} and moves the document to the end of the ledger', async ({ sb }) => {
  const created = (await postJson(sb, [week()])).json.Timesheets[0];
  const seqBefore = sb.deps.db.prepare("SELECT seq FROM documents WHERE type = 'Timesheet'").get() as { seq: number };
  const updated = await postXml(sb, timesheetsXml([week({ Status: 'APPROVED' })]), `/Timesheets/${created.TimesheetID}`);
  assert.is(updated.status, 200);
  assert.is(updated.data.Timesheets[0].TimesheetID, created.TimesheetID);
  assert.is(updated.data.Timesheets[0].Status, 'APPROVED');
  const seqAfter = sb.deps.db.prepare("SELECT seq FROM documents WHERE type = 'Timesheet'").get() as { seq: number };
  assert.ok(seqAfter.seq > seqBefore.seq);
});

timesheets('filters timesheets with where on EmployeeID, Status and StartDate', async ({ sb }) => {
  await postJson(sb, [
    week(),
    week({ StartDate: '2026-01-12', EndDate: '2026-01-18', Status: 'APPROVED' }),
    week({ EmployeeID: employee(2) }),
    { EmployeeID: employee(3), StartDate: FORTNIGHT.start, EndDate: FORTNIGHT.end, TimesheetLines: [] },
  ]);
  const where = async (clause: string) => (await getJson(sb, `/Timesheets?where=${encodeURIComponent(clause)}`)).json.Timesheets as Json[];
  assert.is((await where(`EmployeeID==Guid("${employee(1)}")`)).length, 2);
  assert.is((await where(`EmployeeID=="${employee(1).toUpperCase()}"`)).length, 2);
  assert.is((await where('Status=="APPROVED"')).length, 1);
  assert.is((await where('StartDate==DateTime(2026,01,05)')).length, 2);
  assert.is((await where(`EmployeeID==Guid("${employee(1)}") AND StartDate>=DateTime(2026,01,12)`)).length, 1);
  assert.is((await where('Status=="DRAFT" OR Hours>30')).length, 3);
  const bad = await getJson(sb, `/Timesheets?where=${encodeURIComponent('Status=="DRAFT" AND')}`);
  assert.is(bad.status, 400);
  assert.equal(bad.json, { ErrorNumber: 16, Type: 'QueryParseException', Message: 'Syntax error in the where clause at index 19: expected a field name.' });
});

timesheets('pages timesheets 100 at a time and orders them', async ({ sb }) => {
  const weeks = Array.from({ length: 101 }, (_, i) => week({ StartDate: addDays(WEEK.start, 7 * i), EndDate: addDays(WEEK.end, 7 * i), TimesheetLines: [] }));
  const posted = await postJson(sb, weeks);
  assert.is(posted.status, 200);
  assert.is((await getJson(sb, '/Timesheets')).json.Timesheets.length, 101);
  assert.is((await getJson(sb, '/Timesheets?page=1')).json.Timesheets.length, 100);
  const second = (await getJson(sb, '/Timesheets?page=2')).json.Timesheets as Json[];
  assert.equal(second.map((t) => t.StartDate), [netDate(addDays(WEEK.start, 700))]);
  assert.is((await getJson(sb, '/Timesheets?page=3')).json.Timesheets.length, 0);
  const newestFirst = (await getJson(sb, `/Timesheets?order=${encodeURIComponent('StartDate DESC')}&page=1`)).json.Timesheets as Json[];
  assert.is(newestFirst[0].StartDate, netDate(addDays(WEEK.start, 700)));
  const bad = await getJson(sb, '/Timesheets?page=0');
  assert.is(bad.status, 400);
  assert.equal(bad.json, { ErrorNumber: 16, Type: 'QueryParseException', Message: 'The page "0" is not valid; pages are numbered from 1.' });
});

timesheets('returns only timesheets changed after If-Modified-Since', async ({ sb }) => {
  await postJson(sb, [week()]);
  sb.clock.advance(3_600_000);
  await postJson(sb, [week({ EmployeeID: employee(2) })]);
  const recent = await getJson(sb, '/Timesheets', { 'If-Modified-Since': '2026-01-15T00:30:00' });
  assert.equal(recent.json.Timesheets.map((t: Json) => t.EmployeeID), [employee(2)]);
  const all = await getJson(sb, '/Timesheets', { 'If-Modified-Since': 'Wed, 14 Jan 2026 00:00:00 GMT' });
  assert.is(all.json.Timesheets.length, 2);
});

timesheets('answers 404 for an unknown timesheet', async ({ sb }) => {
  const missing = await getJson(sb, '/Timesheets/5d0b9a53-1e2f-4c3b-9b8a-0e1d2c3b4a59');
  assert.is(missing.status, 404);
  assert.is(missing.json, "The resource you're looking for cannot be found");
});

timesheets.run();
