import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readXml } from '../helpers/accounting';
import { saleInvoice, startRulesWorld, summarisedMessages, type RulesWorld } from './rules-world';

const locks = suite<{ world: RulesWorld }>('sandbox.accounting.lockDates');

locks.before(async (context) => {
  context.world = await startRulesWorld();
});
locks.after(async (context) => {
  await context.world.stop();
});
locks.after.each(async ({ world }) => {
  await world.control('PUT', '/lock-dates', { periodLockDate: null, endOfYearLockDate: null });
});

const PERIOD = 'The document date cannot be before the period lock date, currently set at 28-Feb-2026';
const END_OF_YEAR = 'The document date cannot be before the end of year lock date, currently set at 31-Jan-2026';
const lock = (world: RulesWorld, dates: Record<string, string | null>) => world.control('PUT', '/lock-dates', dates);

locks('an approved invoice dated on or before the period lock date is refused with Xero\'s text; the day after is open', async ({ world }) => {
  await lock(world, { periodLockDate: '2026-02-28' });
  for (const date of ['2026-02-28', '2026-01-15']) {
    assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: date })] })), [PERIOD], date);
  }
  assert.is((await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-03-01' })] })).status, 200);
});

locks('the end-of-year lock date is named when the date is on or before it, the period one between them', async ({ world }) => {
  await lock(world, { periodLockDate: '2026-02-28', endOfYearLockDate: '2026-01-31' });
  assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-01-31' })] })), [END_OF_YEAR]);
  assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-02-01' })] })), [PERIOD]);
});

locks('drafts and invoices submitted for approval may still be dated in a locked period; approving one is refused', async ({ world }) => {
  await lock(world, { periodLockDate: '2026-02-28' });
  const draft = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-02-10', Status: 'DRAFT', Reference: 'LOCK-DRAFT' })] });
  assert.is(draft.status, 200, JSON.stringify(draft.json));
  const submitted = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-02-10', Status: 'SUBMITTED' })] });
  assert.is(submitted.status, 200, JSON.stringify(submitted.json));
  const id = draft.json.Invoices[0].InvoiceID;
  assert.equal(summarisedMessages(await world.api('POST', `/Invoices/${id}`, { Status: 'AUTHORISED' })), [PERIOD]);
  const redated = await world.api('POST', `/Invoices/${id}`, { Status: 'AUTHORISED', Date: '2026-03-02' });
  assert.is(redated.status, 200, 'moving the date out of the locked period lets it be approved');
});

locks('an approved invoice in a locked period can be neither edited nor voided', async ({ world }) => {
  const id = (await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-02-20', Reference: 'LOCK-EDIT' })] })).json.Invoices[0].InvoiceID;
  await lock(world, { periodLockDate: '2026-02-28' });
  assert.equal(summarisedMessages(await world.api('POST', `/Invoices/${id}`, { Reference: 'changed' })), [PERIOD]);
  assert.equal(summarisedMessages(await world.api('POST', `/Invoices/${id}`, { Status: 'VOIDED' })), [PERIOD]);
  assert.equal(summarisedMessages(await world.api('POST', `/Invoices/${id}`, { Date: '2026-03-05' })), [PERIOD], 'nor moved out of the period');
  await lock(world, { periodLockDate: null });
  const edited = await world.api('POST', `/Invoices/${id}`, { Reference: 'changed' });
  assert.is(edited.status, 200, 'clearing the lock date clears the refusal');
});

locks('a payment dated on or before a lock date is refused, and so is deleting one', async ({ world }) => {
  const invoice = (await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-02-01', Reference: 'LOCK-PAY' })] })).json.Invoices[0];
  const early = await world.api('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '090' }, Date: '2026-02-15', Amount: 2 }] });
  assert.is(early.status, 200, JSON.stringify(early.json));
  await lock(world, { periodLockDate: '2026-02-28' });
  const locked = await world.api('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '090' }, Date: '2026-02-28', Amount: 2 }] });
  assert.equal(summarisedMessages(locked), [PERIOD]);
  const open = await world.api('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '090' }, Date: '2026-03-01', Amount: 2 }] });
  assert.is(open.status, 200, 'a payment after the lock date is taken even for an invoice dated inside it');
  const remove = await world.api('POST', `/Payments/${early.json.Payments[0].PaymentID}`, { Status: 'DELETED' });
  assert.equal(summarisedMessages(remove), [PERIOD]);
});

locks('summarizeErrors=false reports the locked element alone; the OAuth 1.0a side gets the same text in XML', async ({ world }) => {
  await lock(world, { endOfYearLockDate: '2026-01-31', periodLockDate: '2026-01-31' });
  const batch = await world.api('PUT', '/Invoices?summarizeErrors=false', { Invoices: [saleInvoice({ Date: '2026-01-31' }), saleInvoice({ Date: '2026-02-01' })] });
  assert.is(batch.status, 200);
  assert.equal(batch.json.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString), ['ERROR', 'OK']);
  assert.equal(batch.json.Invoices[0].ValidationErrors, [{ Message: END_OF_YEAR }]);
  const xml =
    '<Invoices><Invoice><Type>ACCREC</Type><Contact><ContactNumber>CUST-001</ContactNumber></Contact><Date>2026-01-20T00:00:00</Date><Status>AUTHORISED</Status>' +
    '<LineItems><LineItem><Description>Tea</Description><UnitAmount>4.00</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems></Invoice></Invoices>';
  const answer = await world.oauth1('PUT', '/Invoices', xml);
  assert.is(answer.status, 400, answer.text);
  assert.equal(readXml(answer.text).Elements[0].ValidationErrors, [{ Message: END_OF_YEAR }]);
});

locks.run();
