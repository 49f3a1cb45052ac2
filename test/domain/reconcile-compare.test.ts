import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareKind, type DeliveredDocument } from '../../src/domain/reconcile/compare';
import { findingWords } from '../../src/domain/reconcile/sentence';

const compare = suite('reconcile.compareKind');

const delivered = (over: Partial<DeliveredDocument> = {}): DeliveredDocument => ({
  jobId: 'job_1',
  kind: 'invoice',
  documentKey: 'XP-AAAA',
  documentId: '2026-11-28-PM',
  endpoint: 'pos-shift',
  deviceName: 'DEMO-TILL-1',
  xeroId: 'AB12CD34-0000-4000-8000-000000000001',
  xeroNumber: 'INV-0042',
  createdAt: '2026-11-28T22:00:00.000Z',
  deliveredAt: '2026-11-28T22:00:05.000Z',
  payload: { Type: 'ACCREC' },
  result: { InvoiceID: 'AB12CD34-0000-4000-8000-000000000001', Total: 412.5 },
  ...over,
});
const atXero = (over: Record<string, unknown> = {}) => ({ InvoiceID: 'ab12cd34-0000-4000-8000-000000000001', Status: 'AUTHORISED', Total: 412.5, UpdatedDateUTC: '/Date(1764367205000+0000)/', ...over });

compare('an invoice Xero still holds as sent, matched by id in any case, is no finding', () => {
  assert.equal(compareKind('invoice', [delivered()], [atXero()]), []);
});

compare('a voided invoice, a deleted one, a changed total and one Xero does not list are each found', () => {
  const ids = ['1', '2', '3', '4'].map((n) => `AB12CD34-0000-4000-8000-00000000000${n}`);
  const docs = ids.map((id, i) => delivered({ jobId: `job_${i + 1}`, xeroId: id, result: { Total: 10 } }));
  const found = compareKind('invoice', docs, [atXero({ InvoiceID: ids[0], Status: 'VOIDED', Total: 10 }), atXero({ InvoiceID: ids[1], Status: 'DELETED', Total: 10 }), atXero({ InvoiceID: ids[2], Total: 12.5 })]);
  assert.equal(
    found.map((f) => [f.jobId, f.finding, f.expected, f.actual]),
    [
      ['job_1', 'voided', 10, 10],
      ['job_2', 'deleted', 10, 10],
      ['job_3', 'total_changed', 10, 12.5],
      ['job_4', 'missing', 10, null],
    ],
  );
  assert.is(found[0]!.xeroUpdatedAt, '2025-11-28T22:00:05.000Z');
});

compare('a document whose content was erased is still checked for its status, but not for its total', () => {
  const erased = delivered({ payload: { Type: 'ACCREC' }, result: null });
  assert.equal(compareKind('invoice', [erased], [atXero({ Total: 1 })]), []);
  assert.equal(compareKind('invoice', [erased], [atXero({ Status: 'VOIDED' })]).map((f) => f.finding), ['voided']);
});

compare('a payment deleted in Xero is found; a kind without a row in the table is not compared', () => {
  const payment = delivered({ kind: 'payment', xeroId: 'P-1', xeroNumber: null, result: { Amount: 15.5, Invoice: { InvoiceNumber: 'INV-0042' } } });
  const found = compareKind('payment', [payment], [{ PaymentID: 'p-1', Status: 'DELETED', Amount: 15.5 }]);
  assert.equal(found.map((f) => f.finding), ['deleted']);
  assert.equal(compareKind('timesheet', [delivered({ kind: 'timesheet' })], []), []);
});

compare('each finding reads in plain words, naming the shift and the till, with what to do', () => {
  const document = delivered();
  const [voided] = compareKind('invoice', [document], [atXero({ Status: 'VOIDED', UpdatedDateUTC: '2026-11-29T08:12:00' })]);
  const words = findingWords(voided!, document);
  assert.is(words.sentence, 'Invoice INV-0042 (shift 2026-11-28-PM, till DEMO-TILL-1) was voided in Xero on 2026-11-29 08:12 UTC, after the proxy delivered it on 2026-11-28 22:00 UTC.');
  assert.match(words.action, /^If that was a mistake, enter the sale in Xero again/);
  const payment = delivered({ kind: 'payment', documentId: null, endpoint: null, xeroId: 'P-1', xeroNumber: null, result: { Amount: 15.5, Invoice: { InvoiceNumber: 'INV-0042' } } });
  const [deleted] = compareKind('payment', [payment], [{ PaymentID: 'P-1', Status: 'DELETED', Amount: 15.5 }]);
  assert.is(findingWords(deleted!, payment).sentence, 'Payment of 15.50 on invoice INV-0042 (till DEMO-TILL-1) was deleted in Xero, after the proxy delivered it on 2026-11-28 22:00 UTC; the invoice shows as owing that amount again.');
});

compare.run();
