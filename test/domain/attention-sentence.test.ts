import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { groupSentence, listOf, type GroupFacts } from '../../src/domain/attention/sentence';

const sentence = suite('attention.groupSentence');
const facts = (over: Partial<GroupFacts>): GroupFacts => ({ cause: 'unknown', count: 1, nouns: ['invoice'], state: 'failed', details: [], organisationName: 'Harbourside Café', ...over });

sentence('names the count, the kind of document and the particulars Xero gave, in plain words', () => {
  const cases: ReadonlyArray<[Partial<GroupFacts>, string]> = [
    [{ cause: 'account_archived', count: 3, details: [{ accountCode: '200' }, { accountCode: '200' }, { accountCode: '200' }] }, 'Xero refused 3 invoices because account 200 is archived or deleted in Xero.'],
    [{ cause: 'account_archived', count: 2, details: [{ accountCode: '200' }, { accountCode: '310' }] }, 'Xero refused 2 invoices because accounts 200 and 310 are archived or deleted in Xero.'],
    [{ cause: 'tax_invalid', nouns: ['bill'], details: [{ taxType: 'INPUT2' }] }, 'Xero refused 1 bill because tax rate INPUT2 is not valid for this document.'],
    [{ cause: 'lock_date', count: 2, details: [{ lockDate: '2026-11-30', lockKind: 'period' }] }, 'Xero refused 2 invoices because they are dated on or before the period lock date (2026-11-30), when the books are closed.'],
    [{ cause: 'invoice_limit', count: 4, details: [{ month: '2026-11' }] }, "Xero refused 4 invoices because Harbourside Café's Xero plan has reached its limit of approved invoices for 2026-11."],
    [{ cause: 'currency_not_enabled', details: [{ currency: 'USD' }] }, 'Xero refused 1 invoice because currency USD is not enabled in Harbourside Café.'],
    [{ cause: 'contact_name_taken', details: [{ contactName: 'Cash Customer' }] }, 'Xero refused 1 invoice because the contact name Cash Customer is already used by another contact.'],
    [{ cause: 'document_content', details: [{ message: 'Invoice # must be unique.' }] }, 'Xero refused 1 invoice because of its content: “Invoice # must be unique”.'],
    [{ cause: 'mapping_missing', count: 2, nouns: ['invoice', 'payment'], state: 'held', details: [{ categories: ['Gelato'] }, { tenders: ['Gift card'] }] }, '2 documents wait because these names have no mapping yet: Gelato and Gift card.'],
    [{ cause: 'relink_needed', count: 5, state: 'held' }, '5 invoices wait because Harbourside Café must be linked to Xero again.'],
    [{ cause: 'dependency_failed', count: 2, nouns: ['payment'] }, '2 payments were not sent because the invoice they are for did not reach Xero.'],
    [{ cause: 'clock_skew', count: 3, state: 'dead', nouns: ['timesheet'] }, "The proxy stopped trying to send 3 timesheets because Xero refused this computer's clock."],
    [{ cause: 'rate_limited', state: 'waiting' }, "1 invoice waits to be sent again because Xero's call limits for this organisation were reached; the proxy tries again by itself."],
  ];
  for (const [over, expected] of cases) assert.is(groupSentence(facts(over)), expected);
});

sentence('lists read as a person writes them', () => {
  assert.is(listOf([]), '');
  assert.is(listOf(['200']), '200');
  assert.is(listOf(['200', '310', '400']), '200, 310 and 400');
});

sentence.run();
