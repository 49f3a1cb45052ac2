import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ACCOUNTING_QUERY } from '../../src/sandbox/accounting/fields';
import { PAYROLL_QUERY } from '../../src/sandbox/payroll/fields';
import { applyQuery } from '../../src/sandbox/query/apply-query';
import type { QueryDialect } from '../../src/sandbox/query/dialect';
import { QueryError } from '../../src/sandbox/query/problems';
import { compileWhere } from '../../src/sandbox/query/where';

const refuses = (run: () => unknown, message: string) =>
  assert.throws(run, (error: unknown) => error instanceof QueryError && error.message === message, message);

const where = suite('sandbox.query.compileWhere');

const invoice = { Type: 'ACCREC', Reference: 'Q-Alpha', Date: '2026-01-15T00:00:00', Contact: { Name: 'Café Nord' } };

where('reads keywords, DateTime, Guid and method names without regard to case, as Dynamic LINQ does', () => {
  const holds = (expression: string) => compileWhere(expression, 'Invoice', ACCOUNTING_QUERY)(invoice);
  assert.ok(holds('date == datetime(2026, 1, 15) and reference.startswith("q-")'));
  assert.ok(holds('contact.name.TOUPPER().contains("CAFÉ")'));
  assert.not.ok(holds('Reference == GUID("ab12cd34-0000-4000-8000-000000000001")'));
});

where('names the nested document when a method is called on it', () => {
  refuses(() => compileWhere('Contact.Contains("x")', 'Invoice', ACCOUNTING_QUERY), "No applicable method 'Contains' exists in type 'Contact' (at index 8)");
});

where('words the same problem in the style of the API that was asked', () => {
  const cases: Array<[string, string, string]> = [
    ['Status=="DRAFT" AND', 'Expression expected (at index 19)', 'Syntax error in the where clause at index 19: expected a field name.'],
    ['Status == ', 'Expression expected (at index 10)', 'Syntax error in the where clause at index 10: expected a value.'],
    ['Status == "A" Status', 'Syntax error (at index 14)', "Syntax error in the where clause at index 14: unexpected 'Status'."],
    ['Status == "A" # 1', "Syntax error '#' (at index 14)", "Syntax error in the where clause at index 14: unexpected '#'."],
    ['Status.Matches("x")', "No applicable method 'Matches' exists in type 'String' (at index 7)", "The method 'Matches' is not supported in the where clause (at index 7)."],
    ['Status == DateTime(2026)', "No matching constructor in type 'DateTime'", 'DateTime needs a year, month and day (at index 10).'],
  ];
  for (const [expression, accounting, payroll] of cases) {
    refuses(() => compileWhere(expression, 'Invoice', ACCOUNTING_QUERY), accounting);
    refuses(() => compileWhere(expression, 'Timesheet', PAYROLL_QUERY), payroll);
  }
});

where('refuses a literal of the wrong type for a Payroll AU field, as for Accounting', () => {
  refuses(() => compileWhere('Hours == "20"', 'Timesheet', PAYROLL_QUERY), "Operator '==' incompatible with operand types 'Decimal' and 'String' (at index 6)");
  refuses(() => compileWhere('StartDate > "2026-01-05"', 'Timesheet', PAYROLL_QUERY), "Operator '>' incompatible with operand types 'DateTime' and 'String' (at index 10)");
});

where.run();

const apply = suite('sandbox.query.applyQuery');

const docs = Array.from({ length: 150 }, (_, i) => ({ TimesheetID: `t${i}` }));
const ids = (dialect: QueryDialect, query: Parameters<typeof applyQuery>[2]) => applyQuery(docs, 'Timesheet', query, dialect).map((doc) => doc.TimesheetID);
const PAYROLL_AS_CLAMPING: QueryDialect = { ...PAYROLL_QUERY, pages: 'clamp' };

apply('reads an unusable page as page 1 when clamping, and refuses it when strict', () => {
  assert.equal(ids(PAYROLL_AS_CLAMPING, { page: '0' }), ids(PAYROLL_AS_CLAMPING, { page: '1' }));
  assert.equal(ids(PAYROLL_AS_CLAMPING, { page: 'abc' }).length, 100);
  refuses(() => ids(PAYROLL_QUERY, { page: '0' }), 'The page "0" is not valid; pages are numbered from 1.');
  refuses(() => ids(PAYROLL_QUERY, { page: '1.5' }), 'The page "1.5" is not valid; pages are numbered from 1.');
  assert.equal(ids(PAYROLL_QUERY, { page: '2' }).length, 50);
});

apply('orders missing values first, strings without case, ties in stored order, and skips empty parts', () => {
  const sheets = [
    { TimesheetID: 'a', Status: 'draft', Hours: 8 },
    { TimesheetID: 'b', Status: 'APPROVED', Hours: 8 },
    { TimesheetID: 'c', Status: 'Draft' },
    { TimesheetID: 'd', Status: 'approved', Hours: 2 },
  ];
  const order = (text: string) => applyQuery(sheets, 'Timesheet', { order: text }, PAYROLL_QUERY).map((doc) => doc.TimesheetID);
  assert.equal(order('Hours, '), ['c', 'd', 'a', 'b']);
  assert.equal(order('Status DESC,Hours DESC'), ['a', 'c', 'b', 'd']);
  refuses(() => order('Hours SIDEWAYS'), 'The order "Hours SIDEWAYS" is not valid; use a field name, optionally followed by ASC or DESC.');
  refuses(() => applyQuery([], 'Invoice', { order: 'Total SIDEWAYS' }, ACCOUNTING_QUERY), "Syntax error in order 'Total SIDEWAYS'");
});

apply.run();
