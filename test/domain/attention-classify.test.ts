import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyFailure, classifyJob, classifyProblemText, classifyRefusal } from '../../src/domain/attention/classify';
import { CAUSES } from '../../src/domain/attention/causes';

// Xero's own words (MARKET-2026.md §5, PROTOCOL.md §4.5) and the sandbox's, copied here so the
// test pins them rather than reading them from where they may change.
const REFUSALS: ReadonlyArray<[string, string, string | undefined, Record<string, unknown>]> = [
  ["Account code '200' has been archived, or has been deleted. Each line item must reference a valid account.", 'account_archived', undefined, { accountCode: '200' }],
  ["Account code '090' has been archived, or has been deleted.", 'account_archived', undefined, { accountCode: '090' }],
  ["Account code '999' is not a valid code for this document.", 'account_invalid', undefined, { accountCode: '999' }],
  ["The Account code '611' could not be found.", 'account_invalid', undefined, { accountCode: '611' }],
  ['Account type is invalid for making a payment to/from', 'account_invalid', undefined, {}],
  ['The TaxType code OUTPUT2 does not exist or cannot be used for this type of transaction.', 'tax_invalid', undefined, { taxType: 'OUTPUT2' }],
  ['The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.', 'contact_archived', undefined, {}],
  [
    'The contact name Cash Customer is already assigned to another contact. The contact name must be unique across all active contacts.',
    'contact_name_taken',
    undefined,
    { contactName: 'Cash Customer' },
  ],
  ['The document date cannot be before the end of year lock date, currently set at 31-Jul-2013', 'lock_date', '2013-07-02T00:00:00', { date: '2013-07-02', lockDate: '2013-07-31', lockKind: 'end of year' }],
  ['The document date cannot be before the period lock date, currently set at 30-Nov-2026', 'lock_date', '2026-11-28', { date: '2026-11-28', lockDate: '2026-11-30', lockKind: 'period' }],
  ['You have reached the limit of invoices you can approve!', 'invoice_limit', '2026-11-28', { month: '2026-11' }],
  ['Organisation is not subscribed to currency USD', 'currency_not_enabled', undefined, { currency: 'USD' }],
  [
    'The invoice this payment is for (document XP-7K3M9Q2WZ4AB) was not delivered to Xero: Xero refused it. The payment was not sent; send the invoice again, then the payment.',
    'dependency_failed',
    undefined,
    { documentKey: 'XP-7K3M9Q2WZ4AB' },
  ],
  ['Invoice # must be unique.', 'document_content', undefined, { message: 'Invoice # must be unique.' }],
  ['One or more line items must be specified', 'document_content', undefined, { message: 'One or more line items must be specified' }],
];

// Our own sentences: src/domain/xero/problem-text.ts, src/domain/xero/send.ts, src/services/pacer.ts,
// src/services/xero-calls.ts and src/queue/settle.ts.
const PROBLEMS: ReadonlyArray<[string, string]> = [
  ["Xero refused the request's timestamp; this computer's clock may be wrong. Xero said: \"oauth_timestamp is outside the allowed window\".", 'clock_skew'],
  ["Xero's per-minute rate limit was exceeded; try again in 12 seconds.", 'rate_limited'],
  ["Xero says this organisation's daily call limit is used up; sending resumes at 2026-11-29T00:00:00Z.", 'rate_limited'],
  ["Xero's daily limit of 5000 calls for this organisation is used up; sending resumes at 2026-11-29T00:00:00Z.", 'rate_limited'],
  ['Harbourside Café must be linked to Xero again before its documents can be sent. Xero no longer accepts this organisation\'s token; link it again.', 'relink_needed'],
  ['Harbourside Café: A public app may act for 30 minutes after it is authorised; link the organisation again.', 'relink_needed'],
  ['Could not connect to Xero at api.xero.com (connection refused); the request was not sent.', 'xero_unavailable'],
  ['The request to Xero at api.xero.com failed (no answer within 30 seconds); it may have reached Xero.', 'xero_unavailable'],
  ["Xero's answer from api.xero.com was cut off (connection reset); the request reached Xero but its outcome is unknown.", 'xero_unavailable'],
  ['Xero is temporarily unavailable. The proxy gave up after 8 attempts.', 'xero_unavailable'],
  ['The Xero organisation is temporarily offline. Xero said: "The Organisation is offline".', 'xero_unavailable'],
  ['Xero failed with an internal error.', 'xero_unavailable'],
  ['The proxy failed while sending: boom', 'unknown'],
];

const classify = suite('attention.classify');

classify('every refusal text of Xero names its cause and the particulars a person needs', () => {
  for (const [message, cause, date, detail] of REFUSALS) {
    const found = classifyRefusal([message], date);
    assert.is(found.cause, cause, message);
    assert.equal(found.detail, detail, message);
  }
});

classify('the most specific cause wins when Xero sends several messages for one document', () => {
  const found = classifyRefusal(['One or more line items must be specified', "Account code '200' has been archived, or has been deleted."]);
  assert.is(found.cause, 'account_archived');
});

classify("every sentence the proxy writes for a send that did not go names its cause", () => {
  for (const [text, cause] of PROBLEMS) assert.is(classifyProblemText(text).cause, cause, text);
});

classify("Xero's problem kind decides before the words do", () => {
  assert.is(classifyFailure('timestamp_refused', 'anything at all').cause, 'clock_skew');
  assert.is(classifyFailure('organisation_offline', 'anything').cause, 'xero_unavailable');
  assert.is(classifyFailure('token_rejected', 'anything').cause, 'relink_needed');
  assert.is(classifyFailure(undefined, "Xero's per-minute rate limit was exceeded; try again later.").cause, 'rate_limited');
  assert.is(classifyFailure('validation', 'The proxy failed while sending: x').cause, 'unknown');
});

classify('a job is classified by its state: refused from Xero\'s words, held and dead from ours, a fresh one not at all', () => {
  assert.is(classifyJob({ status: 'failed', errors: ['Organisation is not subscribed to currency NZD'] })?.cause, 'currency_not_enabled');
  assert.is(classifyJob({ status: 'held', heldReason: 'Harbourside Café must be linked to Xero again before its documents can be sent.' })?.cause, 'relink_needed');
  assert.is(classifyJob({ status: 'dead', lastError: 'Xero is temporarily unavailable. The proxy gave up after 8 attempts.' })?.cause, 'xero_unavailable');
  assert.is(classifyJob({ status: 'queued', lastError: "Xero's per-minute rate limit was exceeded; try again later." })?.cause, 'rate_limited');
  assert.is(classifyJob({ status: 'queued' }), undefined);
  assert.is(classifyJob({ status: 'delivered', errors: null }), undefined);
  assert.is(classifyJob({ status: 'dead' })?.cause, 'unknown');
});

classify('every cause in the catalogue has a title, a fix and says whether it goes by itself', () => {
  for (const cause of Object.values(CAUSES)) {
    assert.ok(cause.title.length > 5 && cause.fix.endsWith('.'), cause.code);
    assert.type(cause.transient, 'boolean');
  }
});

classify.run();
