import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseXeroDate } from '../../src/sandbox/payroll/dates';
import { payPeriodContaining } from '../../src/sandbox/payroll/pay-period';
import { PAYROLL_QUERY } from '../../src/sandbox/payroll/fields';
import { QueryError } from '../../src/sandbox/query/problems';
import { compileWhere } from '../../src/sandbox/query/where';

const periods = suite('sandbox.payroll-periods');

periods('finds weekly and fortnightly periods on either side of the calendar start', () => {
  assert.equal(payPeriodContaining('WEEKLY', '2026-01-05', '2026-01-05'), { start: '2026-01-05', end: '2026-01-11' });
  assert.equal(payPeriodContaining('WEEKLY', '2026-01-05', '2026-01-11'), { start: '2026-01-05', end: '2026-01-11' });
  assert.equal(payPeriodContaining('WEEKLY', '2026-01-05', '2026-01-04'), { start: '2025-12-29', end: '2026-01-04' });
  assert.equal(payPeriodContaining('FORTNIGHTLY', '2026-01-12', '2026-02-10'), { start: '2026-02-09', end: '2026-02-22' });
  assert.equal(payPeriodContaining('FOURWEEKLY', '2026-01-12', '2026-01-11'), { start: '2025-12-15', end: '2026-01-11' });
});

periods('keeps monthly and quarterly periods on the start day, clamped in short months', () => {
  assert.equal(payPeriodContaining('MONTHLY', '2026-01-31', '2026-02-15'), { start: '2026-01-31', end: '2026-02-27' });
  assert.equal(payPeriodContaining('MONTHLY', '2026-01-31', '2026-02-28'), { start: '2026-02-28', end: '2026-03-30' });
  assert.equal(payPeriodContaining('MONTHLY', '2026-01-15', '2026-01-14'), { start: '2025-12-15', end: '2026-01-14' });
  assert.equal(payPeriodContaining('QUARTERLY', '2026-01-01', '2026-05-20'), { start: '2026-04-01', end: '2026-06-30' });
});

periods('splits twice-monthly periods at the 15th', () => {
  assert.equal(payPeriodContaining('TWICEMONTHLY', '2026-01-01', '2026-02-15'), { start: '2026-02-01', end: '2026-02-15' });
  assert.equal(payPeriodContaining('TWICEMONTHLY', '2026-01-01', '2026-02-16'), { start: '2026-02-16', end: '2026-02-28' });
});

periods('reads the date forms clients send and refuses impossible dates', () => {
  assert.is(parseXeroDate('2026-01-05'), '2026-01-05');
  assert.is(parseXeroDate('2026-01-05T00:00:00'), '2026-01-05');
  assert.is(parseXeroDate('/Date(1767571200000+0000)/'), '2026-01-05');
  assert.is(parseXeroDate('/Date(1767571200000)/'), '2026-01-05');
  // Midnight in Sydney is the previous afternoon in UTC; the offset says which day was meant.
  assert.is(parseXeroDate(`/Date(${Date.UTC(2026, 0, 4, 13)}+1100)/`), '2026-01-05');
  assert.is(parseXeroDate('2026-02-29'), undefined);
  assert.is(parseXeroDate('05/01/2026'), undefined);
  assert.is(parseXeroDate(20260105), undefined);
});

periods('evaluates where clauses with Xero literals, methods and precedence', () => {
  const dialect = { ...PAYROLL_QUERY, schema: { Timesheet: { Name: 'string', Status: 'string', Hours: 'number', StartDate: 'date', EmployeeID: 'guid' } } } as const;
  const item = { Name: "O'Connor", Status: 'DRAFT', Hours: 20, StartDate: '2026-01-05T00:00:00', EmployeeID: 'ab874dfb-ab09-4c91-954e-43acf6fc23b4' };
  const holds = (clause: string) => compileWhere(clause, 'Timesheet', dialect)(item);
  assert.ok(holds('Status == "draft"'));
  assert.ok(holds('Name.StartsWith("o\'c") && Hours >= 20'));
  assert.ok(holds('StartDate < DateTime(2026, 1, 6) AND EmployeeID == Guid("AB874DFB-AB09-4C91-954E-43ACF6FC23B4")'));
  assert.ok(holds('Status == "APPROVED" OR Hours == 20 AND NOT (Name == null)'));
  assert.not.ok(holds('(Status == "APPROVED" OR Hours == 20) AND Name == null'));
  assert.ok(holds('Name != null'));
  assert.throws(() => compileWhere('Name.Matches("x")', 'Timesheet', dialect), (error: unknown) => error instanceof QueryError && error.message === "The method 'Matches' is not supported in the where clause (at index 5).");
  assert.throws(() => compileWhere('Status == "DRAFT', 'Timesheet', dialect), (error: unknown) => error instanceof QueryError && error.message === 'Syntax error in the where clause at index 10: the string is not closed.');
});

periods.run();
