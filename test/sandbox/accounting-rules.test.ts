import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRequestDate } from '../../src/sandbox/accounting/dates';
import { ACCOUNTING_QUERY } from '../../src/sandbox/accounting/fields';
import { lineTotals } from '../../src/sandbox/accounting/totals';
import { round } from '../../src/sandbox/accounting/values';
import { parseIfModifiedSince } from '../../src/sandbox/query/if-modified-since';
import { compileWhere } from '../../src/sandbox/query/where';

const totals = suite('sandbox.accounting.lineTotals');

totals('rounds the line, then the tax, half away from zero', () => {
  assert.equal(lineTotals(1, 1.005, undefined, 10, 'Exclusive'), { LineAmount: 1.01, TaxAmount: 0.1 });
  assert.equal(lineTotals(3, 33.33, undefined, 15, 'Exclusive'), { LineAmount: 99.99, TaxAmount: 15 });
  assert.equal(lineTotals(1, 115, undefined, 15, 'Inclusive'), { LineAmount: 115, TaxAmount: 15 });
  assert.equal(lineTotals(2, 10, 12.5, 10, 'Exclusive'), { LineAmount: 17.5, TaxAmount: 1.75 });
  assert.equal(lineTotals(2, 10, undefined, 10, 'NoTax'), { LineAmount: 20, TaxAmount: 0 });
  assert.equal(lineTotals(-1, 10, undefined, 10, 'Exclusive'), { LineAmount: -10, TaxAmount: -1 });
  assert.is(round(-2.5, 0), -3);
});

totals.run();

const where = suite('sandbox.accounting.compileWhere');

const invoice = { Type: 'ACCREC', Status: 'PAID', Total: 110, Date: '2026-01-15T00:00:00', SentToContact: true, Reference: null, InvoiceID: 'ab12cd34-0000-4000-8000-000000000001', Contact: { Name: 'Café Nord' } };

where('evaluates comparisons, logic and methods against a document', () => {
  const cases: Array<[string, boolean]> = [
    ['Type == "ACCREC"', true],
    ['Type=="accrec" && Total > 100', true],
    ['Total<110 OR Status<>"PAID"', false],
    ['NOT(Total<110)', true],
    ['Date >= DateTime(2026, 1, 15) AND Date < DateTime(2026,01,16,0,0,0)', true],
    ['SentToContact', true],
    ['!SentToContact', false],
    ['Reference == null', true],
    ['Reference != null', false],
    ['Reference.Contains("x")', false],
    ['Contact.Name.ToUpper() == "CAFÉ NORD"', true],
    ['Contact.Name.StartsWith("café")', true],
    ['InvoiceID == Guid("AB12CD34-0000-4000-8000-000000000001")', true],
    ['InvoiceID == "ab12cd34-0000-4000-8000-000000000001"', true],
    ['status == "PAID"', true],
  ];
  for (const [expression, expected] of cases) assert.is(compileWhere(expression, 'Invoice', ACCOUNTING_QUERY)(invoice), expected, expression);
});

where('refuses what Xero refuses, with Dynamic LINQ wording', () => {
  const cases: Array<[string, string]> = [
    ['Colour == "red"', "No property or field 'Colour' exists in type 'Invoice' (at index 0)"],
    ['Type == ', 'Expression expected (at index 8)'],
    ['(Type == "A"', "')' expected (at index 12)"],
    ['Total == "1"', "Operator '==' incompatible with operand types 'Decimal' and 'String' (at index 6)"],
    ['SentToContact > true', "Operator '>' incompatible with operand types 'Boolean' and 'Boolean' (at index 14)"],
    ['Type', "Expression of type 'Boolean' expected (at index 4)"],
    ['Type.Foo("x")', "No applicable method 'Foo' exists in type 'String' (at index 5)"],
    ['Type == "A" Status', 'Syntax error (at index 12)'],
    ['Type == "A" # 1', "Syntax error '#' (at index 12)"],
    ['Date > DateTime(2026)', "No matching constructor in type 'DateTime'"],
  ];
  for (const [expression, message] of cases) {
    assert.throws(() => compileWhere(expression, 'Invoice', ACCOUNTING_QUERY), (error: Error) => error.message === message, `${expression} → ${message}`);
  }
});

where.run();

const dates = suite('sandbox.accounting.dates');

dates('reads request dates in Xero\'s forms and refuses impossible ones', () => {
  assert.is(parseRequestDate('2026-03-01'), '2026-03-01T00:00:00');
  assert.is(parseRequestDate('2026-03-01T15:04:05'), '2026-03-01T00:00:00');
  assert.is(parseRequestDate('/Date(1772323200000+0000)/'), '2026-03-01T00:00:00');
  assert.is(parseRequestDate('2026-02-30'), null);
  assert.is(parseRequestDate('tomorrow'), null);
  assert.is(parseRequestDate(''), undefined);
});

dates('reads If-Modified-Since as ISO (UTC) or RFC 1123, and ignores nonsense', () => {
  const ms = Date.UTC(2026, 2, 2, 10, 0, 0);
  assert.is(parseIfModifiedSince('2026-03-02T10:00:00'), ms);
  assert.is(parseIfModifiedSince('Mon, 02 Mar 2026 10:00:00 GMT'), ms);
  assert.is(parseIfModifiedSince('2026-03-02T20:00:00+10:00'), ms);
  assert.is(parseIfModifiedSince('2026-03-02'), Date.UTC(2026, 2, 2));
  assert.is(parseIfModifiedSince('soon'), undefined);
});

dates.run();
