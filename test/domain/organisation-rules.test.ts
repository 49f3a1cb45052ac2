import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lockDateHold } from '../../src/domain/lock-dates';
import { mappingTargetProblems } from '../../src/domain/mapping-targets';
import { cannotInvoiceReason } from '../../src/domain/organisation-plan';
import { contactForKey, contactKeys, processContactLookup } from '../../src/domain/xero/contact-lookup';

const rules = suite('domain.organisation-rules');

rules('contactKeys: a ContactID needs no finding; otherwise number, e-mail, then name, trimmed and in lower case; a quote cannot be a key', () => {
  assert.equal(contactKeys({ ContactID: '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0001', Name: 'X' }), []);
  assert.equal(contactKeys({ Name: ' Aroha Ngata ', EmailAddress: 'Aroha@Example.com', ContactNumber: 'P-1' }), [
    { kind: 'number', value: 'p-1' },
    { kind: 'email', value: 'aroha@example.com' },
    { kind: 'name', value: 'aroha ngata' },
  ]);
  assert.equal(contactKeys({ Name: 'The "Best" Café' }), []);
});

rules('contactForKey: an e-mail two active contacts share finds neither, so the name decides; archived contacts are not candidates', () => {
  const found = processContactLookup({
    status: 200,
    headers: {},
    body: JSON.stringify({
      Contacts: [
        { ContactID: 'a', Name: 'Mere Smith', EmailAddress: 'family@example.com', ContactStatus: 'ACTIVE' },
        { ContactID: 'b', Name: 'Tane Smith', EmailAddress: 'family@example.com', ContactStatus: 'ACTIVE' },
        { ContactID: 'c', Name: 'Old Funder', EmailAddress: 'funder@example.com', ContactStatus: 'ARCHIVED' },
      ],
    }),
  });
  assert.is(contactForKey({ kind: 'email', value: 'family@example.com' }, found), undefined);
  assert.is(contactForKey({ kind: 'name', value: 'tane smith' }, found)?.ContactID, 'b');
  assert.is(contactForKey({ kind: 'email', value: 'funder@example.com' }, found), undefined);
});

rules('lockDateHold: approved documents and payments on or before a lock date are held, the end-of-year date first; drafts and open dates are not', () => {
  const dates = { periodLockDate: '2026-06-30', endOfYearLockDate: '2025-06-30' };
  assert.equal(lockDateHold(dates, { kind: 'invoice', payload: { Status: 'AUTHORISED', Date: '2026-06-30T00:00:00' } })?.detail, { date: '2026-06-30', lockDate: '2026-06-30', lockKind: 'period' });
  assert.equal(lockDateHold(dates, { kind: 'payment', payload: { Date: '2025-01-02' } })?.detail, { date: '2025-01-02', lockDate: '2025-06-30', lockKind: 'end of year' });
  assert.is(lockDateHold(dates, { kind: 'invoice', payload: { Status: 'DRAFT', Date: '2026-01-01' } }), undefined);
  assert.is(lockDateHold(dates, { kind: 'invoice', payload: { Status: 'AUTHORISED', Date: '2026-07-01' } }), undefined);
  assert.is(lockDateHold(dates, { kind: 'timesheet', payload: { StartDate: '2026-01-01' } }), undefined);
});

rules('mappingTargetProblems: archived, deleted and missing targets are found; a list not read is not judged', () => {
  const mappings: Array<{ kind: string; source: string; target: Record<string, string> }> = [
    { kind: 'category', source: 'Coffee', target: { accountCode: '200', taxType: 'OUTPUT' } },
    { kind: 'setting', source: 'rounding', target: { accountCode: '860' } },
    { kind: 'staff', source: 'E-1', target: { employeeId: 'EMP-1' } },
  ];
  const problems = mappingTargetProblems(mappings, {
    accounts: [{ Code: '200', Name: 'Sales', Status: 'ARCHIVED' }, { Code: '860', Name: 'Rounding', Status: 'DELETED' }],
    taxRates: [{ TaxType: 'OUTPUT', Name: 'GST on Income', Status: 'ACTIVE' }],
  });
  assert.equal(problems, [
    { kind: 'category', source: 'Coffee', targetKind: 'account', target: '200', problem: 'archived', targetName: 'Sales' },
    { kind: 'setting', source: 'rounding', targetKind: 'account', target: '860', problem: 'missing', targetName: 'Rounding' },
  ]);
});

rules('mappingTargetProblems: an earnings rate that is no longer a current record is archived; one without the flag is sound', () => {
  const mappings = [
    { kind: 'earnings', source: 'Basic', target: { earningsRateId: 'RATE-1' } },
    { kind: 'earnings', source: 'Overtime', target: { earningsRateId: 'RATE-2' } },
    { kind: 'earnings', source: 'Bonus', target: { earningsRateId: 'RATE-3' } },
  ];
  const problems = mappingTargetProblems(mappings, {
    earningsRates: [{ EarningsRateID: 'rate-1', Name: 'Ordinary Hours', CurrentRecord: false }, { EarningsRateID: 'RATE-2', Name: 'Overtime', CurrentRecord: true }, { EarningsRateID: 'RATE-3', Name: 'Bonus' }],
  });
  assert.equal(problems, [{ kind: 'earnings', source: 'Basic', targetKind: 'earnings rate', target: 'RATE-1', problem: 'archived', targetName: 'Ordinary Hours' }]);
});

rules('cannotInvoiceReason: Ledger and Cashbook plans and the Partner edition cannot take invoices; others can', () => {
  assert.match(cannotInvoiceReason('Kauri', 'NON_GST_CASHBOOK', 'BUSINESS')!, "Kauri is on Xero's Cashbook plan");
  assert.match(cannotInvoiceReason('Kauri', 'LEDGER', null)!, "Xero's Ledger plan");
  assert.match(cannotInvoiceReason('Kauri', 'STANDARD', 'PARTNER')!, 'Partner edition');
  assert.is(cannotInvoiceReason('Kauri', 'STARTER', 'BUSINESS'), undefined);
  assert.is(cannotInvoiceReason('Kauri', null, null), undefined);
});

rules.run();
