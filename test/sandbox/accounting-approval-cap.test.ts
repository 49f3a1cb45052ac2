import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readXml } from '../helpers/accounting';
import { KAURI, RIVERBEND, saleInvoice, startRulesWorld, summarisedMessages, type RulesWorld } from './rules-world';

const cap = suite<{ world: RulesWorld }>('sandbox.accounting.approvalCap');

cap.before(async (context) => {
  context.world = await startRulesWorld();
});
cap.after(async (context) => {
  await context.world.stop();
});

const LIMIT = 'You have reached the limit of invoices you can approve!';
const statuses = (answer: { json: { Invoices: Array<{ StatusAttributeString: string }> } }) => answer.json.Invoices.map((i) => i.StatusAttributeString);

cap("a Starter cap of 20: with summarizeErrors=false the 21st approved invoice of a month is refused with Xero's text", async ({ world }) => {
  await world.control('PUT', '/plan', { class: 'STARTER', approvedInvoicesPerMonth: 20 });
  try {
    const invoices = Array.from({ length: 22 }, (_, i) => saleInvoice({ Reference: `CAP-${i + 1}`, Date: `2026-04-${String((i % 28) + 1).padStart(2, '0')}` }));
    const answer = await world.api('PUT', '/Invoices?summarizeErrors=false', { Invoices: invoices });
    assert.is(answer.status, 200);
    assert.equal(statuses(answer), [...Array(20).fill('OK'), 'ERROR', 'ERROR']);
    assert.equal(answer.json.Invoices[20].ValidationErrors, [{ Message: LIMIT }]);
    assert.is(answer.json.Invoices[21].InvoiceID, '00000000-0000-0000-0000-000000000000');
    const summarised = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-04-30' })] });
    assert.equal(summarisedMessages(summarised), [LIMIT]);
  } finally {
    await world.control('PUT', '/plan', { class: 'STANDARD', approvedInvoicesPerMonth: null });
  }
});

cap('at the cap, drafts and invoices submitted for approval are still taken; approving a draft is refused', async ({ world }) => {
  await world.control('PUT', '/plan', { approvedInvoicesPerMonth: 1 }, RIVERBEND);
  try {
    assert.is((await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-05-02' })] }, RIVERBEND)).status, 200);
    const draft = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-05-03', Status: 'DRAFT' })] }, RIVERBEND);
    assert.is(draft.status, 200, JSON.stringify(draft.json));
    const submitted = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-05-03', Status: 'SUBMITTED' })] }, RIVERBEND);
    assert.is(submitted.status, 200, JSON.stringify(submitted.json));
    const approve = await world.api('POST', `/Invoices/${draft.json.Invoices[0].InvoiceID}`, { Status: 'AUTHORISED' }, RIVERBEND);
    assert.equal(summarisedMessages(approve), [LIMIT]);
    const otherMonth = await world.api('POST', `/Invoices/${draft.json.Invoices[0].InvoiceID}`, { Status: 'AUTHORISED', Date: '2026-06-01' }, RIVERBEND);
    assert.is(otherMonth.status, 200, 'the month is the invoice date\'s, so another month has room');
  } finally {
    await world.control('PUT', '/plan', { approvedInvoicesPerMonth: null }, RIVERBEND);
  }
});

cap('paid and voided invoices keep their place; editing an approved invoice is not a new approval', async ({ world }) => {
  await world.control('PUT', '/plan', { approvedInvoicesPerMonth: 2 }, RIVERBEND);
  try {
    const [paid, voided] = (await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-07-01' }), saleInvoice({ Date: '2026-07-02' })] }, RIVERBEND)).json.Invoices;
    const payment = await world.api('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: paid.InvoiceID }, Account: { Code: '090' }, Date: '2026-07-03', Amount: paid.Total }] }, RIVERBEND);
    assert.is(payment.status, 200, JSON.stringify(payment.json));
    assert.is((await world.api('POST', `/Invoices/${voided.InvoiceID}`, { Reference: 'still approved' }, RIVERBEND)).status, 200);
    assert.is((await world.api('POST', `/Invoices/${voided.InvoiceID}`, { Status: 'VOIDED' }, RIVERBEND)).status, 200);
    assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-07-20' })] }, RIVERBEND)), [LIMIT]);
  } finally {
    await world.control('PUT', '/plan', { approvedInvoicesPerMonth: null }, RIVERBEND);
  }
});

cap('bills have their own cap, and clearing a cap clears the refusal', async ({ world }) => {
  await world.control('PUT', '/plan', { approvedInvoicesPerMonth: 0, approvedBillsPerMonth: 1 }, KAURI);
  const bill = (extra: Record<string, unknown> = {}) => ({ Type: 'ACCPAY', Contact: { ContactNumber: 'SUPP-001' }, Date: '2026-08-04', Status: 'AUTHORISED', LineItems: [{ Description: 'Nails', UnitAmount: 30, AccountCode: '310' }], ...extra });
  try {
    assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Date: '2026-08-04', LineItems: [{ Description: 'Hammer', UnitAmount: 40, AccountCode: '200' }] })] }, KAURI)), [LIMIT]);
    assert.is((await world.api('PUT', '/Invoices', { Invoices: [bill()] }, KAURI)).status, 200);
    assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [bill({ InvoiceNumber: 'SUP-2' })] }, KAURI)), [LIMIT]);
    await world.control('PUT', '/plan', { approvedBillsPerMonth: null }, KAURI);
    assert.is((await world.api('PUT', '/Invoices', { Invoices: [bill({ InvoiceNumber: 'SUP-2' })] }, KAURI)).status, 200);
  } finally {
    await world.control('PUT', '/plan', { approvedInvoicesPerMonth: null, approvedBillsPerMonth: null }, KAURI);
  }
});

cap('the OAuth 1.0a side meets the same cap, in XML', async ({ world }) => {
  await world.control('PUT', '/plan', { approvedInvoicesPerMonth: 0 });
  try {
    const xml =
      '<Invoices><Invoice><Type>ACCREC</Type><Contact><ContactNumber>CUST-001</ContactNumber></Contact><Date>2026-09-01T00:00:00</Date><Status>AUTHORISED</Status>' +
      '<LineItems><LineItem><Description>Tea</Description><UnitAmount>4.00</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems></Invoice></Invoices>';
    const answer = await world.oauth1('PUT', '/Invoices', xml);
    assert.is(answer.status, 400, answer.text);
    assert.equal(readXml(answer.text).Elements[0].ValidationErrors, [{ Message: LIMIT }]);
  } finally {
    await world.control('PUT', '/plan', { approvedInvoicesPerMonth: null });
  }
});

cap.run();
