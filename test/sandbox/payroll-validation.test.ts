import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { employee, FORTNIGHT, getJson, messages, postJson, postXml, rate, timesheetsXml, week, WEEK, type TimesheetInput } from '../helpers/payroll-requests';
import { startPayrollOnly, type PayrollOnlySandbox } from '../helpers/payroll-sandbox';

const validation = suite<{ sb: PayrollOnlySandbox }>('sandbox.payroll-validation');

validation.before.each(async (context) => {
  context.sb = await startPayrollOnly();
});
validation.after.each(async (context) => {
  await context.sb.stop();
});

/** Posts one timesheet as JSON and returns the refusal's status and messages. */
async function refused(sb: PayrollOnlySandbox, input: TimesheetInput): Promise<{ status: number; errors: string[] }> {
  const { status, json } = await postJson(sb, [input]);
  return { status, errors: status === 400 ? messages(json)[0]! : [] };
}

validation('refuses a timesheet without an EmployeeID, echoing it in the Payroll AU error shape', async ({ sb }) => {
  const { status, json } = await postJson(sb, [week({ EmployeeID: undefined })]);
  assert.is(status, 400);
  assert.is(json.ErrorNumber, 10);
  assert.is(json.Type, 'ValidationException');
  assert.is(json.Message, 'A validation exception occurred');
  assert.is(json.Timesheets[0].StartDate, WEEK.start);
  assert.equal(json.Timesheets[0].ValidationErrors, [{ Message: 'The EmployeeID is required.' }]);
  assert.is((await getJson(sb, '/Timesheets')).json.Timesheets.length, 0);
});

validation('refuses unknown, malformed and terminated employees', async ({ sb }) => {
  const unknown = '1b1c2d3e-0000-4000-8000-000000000000';
  assert.equal(await refused(sb, week({ EmployeeID: unknown })), { status: 400, errors: [`The employee ${unknown} could not be found.`] });
  assert.equal(await refused(sb, week({ EmployeeID: 'mia' })), { status: 400, errors: ['The EmployeeID "mia" is not a valid identifier.'] });
  assert.equal(await refused(sb, week({ EmployeeID: employee(5) })), {
    status: 400,
    errors: ['The employee Chloe Martin is not active (TERMINATED); timesheets can only be added for active employees.'],
  });
});

validation('requires real StartDate and EndDate with the end not before the start', async ({ sb }) => {
  assert.equal(await refused(sb, week({ StartDate: undefined, EndDate: '' })), { status: 400, errors: ['The StartDate is required.', 'The EndDate is required.'] });
  assert.equal((await refused(sb, week({ StartDate: '2026-02-30' }))).errors, ['The StartDate "2026-02-30" is not a valid date.']);
  assert.equal((await refused(sb, week({ StartDate: WEEK.end, EndDate: WEEK.start }))).errors, ['The EndDate must be on or after the StartDate.']);
});

validation("requires the period to be exactly one period of the employee's calendar", async ({ sb }) => {
  const shifted = await refused(sb, week({ StartDate: '2026-01-06', EndDate: '2026-01-12' }));
  assert.equal(shifted.errors, [
    'The timesheet must cover exactly one pay period of the employee\'s WEEKLY payroll calendar "Weekly": the period containing 2026-01-06 runs from 2026-01-05 to 2026-01-11.',
  ]);
  const weekForFortnightly = await refused(sb, { EmployeeID: employee(3), StartDate: '2026-01-12', EndDate: '2026-01-18', TimesheetLines: [] });
  assert.equal(weekForFortnightly.errors, [
    'The timesheet must cover exactly one pay period of the employee\'s FORTNIGHTLY payroll calendar "Fortnightly": the period containing 2026-01-12 runs from 2026-01-12 to 2026-01-25.',
  ]);
  const earlier = await postJson(sb, [week({ StartDate: '2025-12-29', EndDate: '2026-01-04' })]);
  assert.is(earlier.status, 200, 'periods repeat before the calendar StartDate too');
});

validation('requires each line to name an earnings rate that exists and is not a fixed amount', async ({ sb }) => {
  const missingRate = '2c2d3e4f-0000-4000-8000-000000000000';
  const { errors } = await refused(
    sb,
    week({
      TimesheetLines: [
        { NumberOfUnits: [0, 0, 0, 0, 0, 0, 0] },
        { EarningsRateID: missingRate, NumberOfUnits: [0, 0, 0, 0, 0, 0, 0] },
        { EarningsRateID: rate(6), NumberOfUnits: [0, 0, 0, 0, 0, 0, 0] },
      ],
    }),
  );
  assert.equal(errors, [
    'TimesheetLine 1: the EarningsRateID is required.',
    `TimesheetLine 2: the earnings rate ${missingRate} could not be found.`,
    'TimesheetLine 3: the earnings rate "Bonus" is a fixed amount and cannot be used on a timesheet.',
  ]);
});

validation('requires one non-negative number of units per day of the period', async ({ sb }) => {
  assert.equal((await refused(sb, week({ TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [4, 4, 4, 4, 4] }] }))).errors, [
    'TimesheetLine 1: NumberOfUnits must have 7 numbers, one for each day from 2026-01-05 to 2026-01-11, but it has 5.',
  ]);
  assert.equal((await refused(sb, week({ TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [4, -1, 4, 4, 4, 0, 0] }] }))).errors, [
    'TimesheetLine 1: NumberOfUnits day 2 (2026-01-06) is negative (-1); units cannot be negative.',
  ]);
  const fortnight = await refused(sb, { EmployeeID: employee(4), StartDate: FORTNIGHT.start, EndDate: FORTNIGHT.end, TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [8, 8, 8, 8, 8, 0, 0] }] });
  assert.equal(fortnight.errors, ['TimesheetLine 1: NumberOfUnits must have 14 numbers, one for each day from 2026-01-12 to 2026-01-25, but it has 7.']);
});

validation('reports a unit that is not a number in XML with the same messages', async ({ sb }) => {
  const { status, root, data } = await postXml(sb, timesheetsXml([week({ TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: ['4.00', 'abc', '4', '4', '4', '0', '0'] }] })]));
  assert.is(status, 400);
  assert.is(root, 'ApiException');
  assert.is(data.ErrorNumber, '10');
  assert.is(data.Type, 'ValidationException');
  assert.equal(
    data.Timesheets[0].ValidationErrors.map((e: { Message: string }) => e.Message),
    ['TimesheetLine 1: NumberOfUnits day 2 (2026-01-06) is not a number: "abc".'],
  );
  assert.is(data.Timesheets[0].EmployeeID, employee(1));
});

validation('refuses more than 24 hours on one day across hourly lines, but not other units', async ({ sb }) => {
  const tooLong = await refused(
    sb,
    week({
      TimesheetLines: [
        { EarningsRateID: rate(1), NumberOfUnits: [16, 4, 4, 4, 4, 0, 0] },
        { EarningsRateID: rate(2), NumberOfUnits: [10, 0, 0, 0, 0, 0, 0] },
      ],
    }),
  );
  assert.equal(tooLong.errors, ['2026-01-05: the timesheet has 26 hours on this day, more than the 24 hours a day has.']);
  const meals = await postJson(sb, [week({ TimesheetLines: [{ EarningsRateID: rate(5), NumberOfUnits: [30, 0, 0, 0, 0, 0, 0] }] })]);
  assert.is(meals.status, 200);
});

validation('accepts DRAFT, PROCESSED and APPROVED in any case, defaults to DRAFT, and refuses other statuses', async ({ sb }) => {
  for (const status of ['VOIDED', 'REJECTED', 'Requested']) {
    assert.equal((await refused(sb, week({ Status: status }))).errors, [`The Status "${status}" is not valid; a timesheet can be DRAFT, PROCESSED or APPROVED.`]);
  }
  const processed = await postJson(sb, [week({ Status: 'PROCESSED' })]);
  assert.is(processed.json.Timesheets[0].Status, 'PROCESSED');
  const drafted = await postJson(sb, [week({ EmployeeID: employee(2) })]);
  assert.is(drafted.json.Timesheets[0].Status, 'DRAFT');
  const mixedCase = await postXml(sb, timesheetsXml([week({ EmployeeID: employee(1), StartDate: '2026-01-12', EndDate: '2026-01-18', Status: 'Approved' })]));
  assert.is(mixedCase.data.Timesheets[0].Status, 'APPROVED');
});

validation("refuses a second timesheet for the same period with Xero's message", async ({ sb }) => {
  assert.is((await postJson(sb, [week()])).status, 200);
  assert.equal(await refused(sb, week()), { status: 400, errors: ['This timesheet already exists, please provide the timesheet ID'] });
  assert.is((await getJson(sb, '/Timesheets')).json.Timesheets.length, 1);
});

validation('refuses an update that would overlap another timesheet of the employee', async ({ sb }) => {
  await postJson(sb, [week()]);
  const second = (await postJson(sb, [week({ StartDate: '2026-01-12', EndDate: '2026-01-18' })])).json.Timesheets[0];
  assert.equal((await refused(sb, week({ TimesheetID: second.TimesheetID }))).errors, ['The timesheet overlaps with an existing timesheet for this employee (2026-01-05 to 2026-01-11).']);
});

validation('refuses updates to unknown and processed timesheets', async ({ sb }) => {
  const unknown = '3d3e4f50-0000-4000-8000-000000000000';
  assert.equal((await refused(sb, week({ TimesheetID: unknown }))).errors, [`The timesheet ${unknown} could not be found.`]);
  const processed = (await postJson(sb, [week({ Status: 'PROCESSED' })])).json.Timesheets[0];
  assert.equal((await refused(sb, week({ TimesheetID: processed.TimesheetID, Status: 'DRAFT' }))).errors, [
    `The timesheet ${processed.TimesheetID} has been processed in a pay run and can no longer be changed.`,
  ]);
  const draft = (await postJson(sb, [week({ EmployeeID: employee(2) })])).json.Timesheets[0];
  const mismatch = await postJson(sb, [week({ EmployeeID: employee(2), TimesheetID: unknown })], `/Timesheets/${draft.TimesheetID}`);
  assert.equal(messages(mismatch.json), [[`The TimesheetID ${unknown} does not match the ${draft.TimesheetID} in the URL.`]]);
});

validation('saves the valid timesheets of a batch and reports only the refused ones', async ({ sb }) => {
  const { status, json } = await postJson(sb, [week(), week({ EmployeeID: employee(5) }), week()]);
  assert.is(status, 400);
  assert.equal(messages(json), [
    ['The employee Chloe Martin is not active (TERMINATED); timesheets can only be added for active employees.'],
    ['This timesheet already exists, please provide the timesheet ID'],
  ]);
  const stored = (await getJson(sb, '/Timesheets')).json.Timesheets;
  assert.is(stored.length, 1);
  assert.is(stored[0].EmployeeID, employee(1));
});

validation('answers an unreadable body with ErrorNumber 14 PostDataInvalidException', async ({ sb }) => {
  const broken = await sb.call('/Timesheets', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '[{"EmployeeID":' });
  assert.is(broken.status, 400);
  const json = (await broken.json()) as { ErrorNumber: number; Type: string; Message: string };
  assert.equal([json.ErrorNumber, json.Type], [14, 'PostDataInvalidException']);
  assert.match(json.Message, /^The JSON body is not valid: /);
  const wrongRoot = await postXml(sb, '<Employees><Employee/></Employees>');
  assert.is(wrongRoot.status, 400);
  assert.equal(wrongRoot.data, { ErrorNumber: '14', Type: 'PostDataInvalidException', Message: 'The XML root element must be <Timesheets> or <Timesheet>, not <Employees>.' });
  const empty = await postJson(sb, []);
  assert.equal(empty, { status: 400, json: { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: 'The request contains no timesheets.' } });
});

validation.run();
