import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readXml } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';
import { saleInvoice, startRulesWorld, summarisedMessages, type RulesWorld } from './rules-world';

const archived = suite<{ world: RulesWorld }>('sandbox.accounting.archived');

archived.before(async (context) => {
  context.world = await startRulesWorld();
});
archived.after(async (context) => {
  await context.world.stop();
});

const ACCOUNT_ARCHIVED_ON_LINE = "Account code '200' has been archived, or has been deleted. Each line item must reference a valid account.";
const CONTACT_ARCHIVED = 'The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.';

archived('a line on an account archived through the control API is refused with Xero\'s text; restoring clears it', async ({ world }) => {
  await world.control('POST', '/accounts/200/archive');
  try {
    assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Reference: 'ARCH-1' })] })), [ACCOUNT_ARCHIVED_ON_LINE]);
    const itemLine = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({}, { Description: undefined, AccountCode: undefined, TaxType: undefined, ItemCode: 'MUFFIN' })] });
    assert.equal(summarisedMessages(itemLine), [ACCOUNT_ARCHIVED_ON_LINE], "an item's sales account is checked too");
  } finally {
    await world.control('POST', '/accounts/200/restore');
  }
  const again = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Reference: 'ARCH-1' })] });
  assert.is(again.status, 200, JSON.stringify(again.json));
});

archived('an unknown or deleted account code keeps its own text', async ({ world }) => {
  assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({}, { AccountCode: '201' })] })), ["Account code '201' is not a valid code for this document."]);
});

archived('the OAuth 1.0a side meets the same refusal, in XML that validates', async ({ world }) => {
  await world.control('POST', '/accounts/200/archive');
  try {
    const xml =
      '<Invoices><Invoice><Type>ACCREC</Type><Contact><ContactNumber>CUST-001</ContactNumber></Contact><Date>2026-03-10</Date><Status>AUTHORISED</Status>' +
      '<LineItems><LineItem><Description>Coffee</Description><UnitAmount>10.00</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems></Invoice></Invoices>';
    const answer = await world.oauth1('PUT', '/Invoices', xml);
    assert.is(answer.status, 400, answer.text);
    await assertValidXml(answer.text);
    assert.equal(readXml(answer.text).Elements[0].ValidationErrors, [{ Message: ACCOUNT_ARCHIVED_ON_LINE }]);
  } finally {
    await world.control('POST', '/accounts/200/restore');
  }
});

archived('POST /Accounts/{AccountID} with Status ARCHIVED archives through the API, and ACTIVE restores', async ({ world }) => {
  const account = (await world.api('GET', `/Accounts?where=${encodeURIComponent('Code=="260"')}`)).json.Accounts[0];
  const done = await world.api('POST', `/Accounts/${account.AccountID}`, { Accounts: [{ Status: 'ARCHIVED' }] });
  assert.is(done.status, 200, JSON.stringify(done.json));
  assert.equal([done.json.Accounts[0].Code, done.json.Accounts[0].Status], ['260', 'ARCHIVED']);
  assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({}, { AccountCode: '260' })] })), [
    "Account code '260' has been archived, or has been deleted. Each line item must reference a valid account.",
  ]);
  const back = await world.api('POST', `/Accounts/${account.AccountID}`, { AccountID: account.AccountID, Status: 'ACTIVE' });
  assert.is(back.json.Accounts[0].Status, 'ACTIVE');
  assert.is((await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({}, { AccountCode: '260' })] })).status, 200);
});

archived('POST /Accounts/{AccountID}: Status with other fields, a system account, or an unknown id is refused', async ({ world }) => {
  const accounts = (await world.api('GET', '/Accounts')).json.Accounts as Array<{ AccountID: string; Code: string; Name: string }>;
  const sales = accounts.find((a) => a.Code === '260')!;
  const receivable = accounts.find((a) => a.Code === '610')!;
  const both = await world.api('POST', `/Accounts/${sales.AccountID}`, { Accounts: [{ Code: '260', Name: sales.Name, Status: 'ARCHIVED' }] });
  assert.equal(summarisedMessages(both), ['Cannot update account details and STATUS on the same request']);
  assert.is(both.json.Elements[0].Status, 'ARCHIVED', 'the submitted element is echoed');
  const system = await world.api('POST', `/Accounts/${receivable.AccountID}`, { Status: 'ARCHIVED' });
  assert.equal(summarisedMessages(system), ['System accounts cannot be archived.']);
  const details = await world.api('POST', `/Accounts/${sales.AccountID}`, { Name: 'Renamed' });
  assert.equal(summarisedMessages(details), ["Only an account's Status can be updated in the sandbox; changing its details is not modelled."]);
  const unknown = await world.api('POST', '/Accounts/00000000-0000-4000-8000-000000000001', { Status: 'ARCHIVED' });
  assert.is(unknown.status, 404);
  const still = (await world.api('GET', `/Accounts/${sales.AccountID}`)).json.Accounts[0];
  assert.equal([still.Status, still.Name], ['ACTIVE', sales.Name]);
});

archived('a payment into an archived account is refused; restoring clears it', async ({ world }) => {
  const invoice = (await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Reference: 'PAY-ARCH' })] })).json.Invoices[0];
  const payment = { Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '615' }, Date: '2026-03-11', Amount: 5 };
  await world.control('POST', '/accounts/615/archive');
  try {
    const refused = await world.api('PUT', '/Payments', { Payments: [payment] });
    assert.equal(summarisedMessages(refused), ["Account code '615' has been archived, or has been deleted."]);
  } finally {
    await world.control('POST', '/accounts/615/restore');
  }
  assert.is((await world.api('PUT', '/Payments', { Payments: [payment] })).status, 200);
});

archived('an invoice to an archived contact is refused by ContactID, ContactNumber or Name; restoring clears it', async ({ world }) => {
  const archivedContact = await world.control('POST', '/contacts/CUST-002/archive');
  const { ContactID } = archivedContact.json.contact;
  try {
    for (const contact of [{ ContactID }, { ContactNumber: 'CUST-002' }, { Name: 'northside catering' }]) {
      const answer = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Contact: contact })] });
      assert.equal(summarisedMessages(answer), [CONTACT_ARCHIVED], JSON.stringify(contact));
    }
    const draft = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Contact: { ContactID }, Status: 'DRAFT' })] });
    assert.equal(summarisedMessages(draft), [CONTACT_ARCHIVED], 'a draft is refused too: the contact cannot take new invoices');
  } finally {
    await world.control('POST', `/contacts/${ContactID}/restore`);
  }
  const ok = await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Contact: { ContactID } })] });
  assert.is(ok.status, 200, JSON.stringify(ok.json));
});

archived("the API's own contact update archives: POST /Contacts/{ContactID} and POST /Contacts with ContactStatus ARCHIVED", async ({ world }) => {
  const created = (await world.api('PUT', '/Contacts', { Contacts: [{ Name: 'Seasonal Stall', ContactNumber: 'CUST-090' }] })).json.Contacts[0];
  const byId = await world.api('POST', `/Contacts/${created.ContactID}`, { Contacts: [{ ContactStatus: 'ARCHIVED' }] });
  assert.is(byId.status, 200, JSON.stringify(byId.json));
  assert.is(byId.json.Contacts[0].ContactStatus, 'ARCHIVED');
  assert.equal(summarisedMessages(await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Contact: { ContactNumber: 'CUST-090' } })] })), [CONTACT_ARCHIVED]);
  const restored = await world.api('POST', '/Contacts', { Contacts: [{ ContactID: created.ContactID, ContactStatus: 'ACTIVE' }] });
  assert.is(restored.json.Contacts[0].ContactStatus, 'ACTIVE');
  assert.is((await world.api('PUT', '/Invoices', { Invoices: [saleInvoice({ Contact: { ContactNumber: 'CUST-090' } })] })).status, 200);
  const again = await world.api('POST', '/Contacts', { Contacts: [{ ContactID: created.ContactID, ContactStatus: 'ARCHIVED' }] });
  assert.is(again.json.Contacts[0].ContactStatus, 'ARCHIVED');
  assert.is((await world.api('POST', '/Contacts/00000000-0000-4000-8000-000000000002', { ContactStatus: 'ARCHIVED' })).status, 404);
});

archived('summarizeErrors=false: a batch reports the archived account and contact per element and saves the rest', async ({ world }) => {
  await world.control('POST', '/accounts/260/archive');
  await world.control('POST', '/contacts/SUPP-001/archive');
  try {
    const answer = await world.api('PUT', '/Invoices?summarizeErrors=false', {
      Invoices: [saleInvoice({ Reference: 'B-1' }), saleInvoice({ Reference: 'B-2' }, { AccountCode: '260' }), saleInvoice({ Reference: 'B-3', Contact: { ContactNumber: 'SUPP-001' } })],
    });
    assert.is(answer.status, 200);
    const [ok, account, contact] = answer.json.Invoices;
    assert.equal([ok.StatusAttributeString, account.StatusAttributeString, contact.StatusAttributeString], ['OK', 'ERROR', 'ERROR']);
    assert.equal(account.ValidationErrors, [{ Message: "Account code '260' has been archived, or has been deleted. Each line item must reference a valid account." }]);
    assert.equal(contact.ValidationErrors, [{ Message: CONTACT_ARCHIVED }]);
    const saved = (await world.api('GET', '/Invoices?where=' + encodeURIComponent('Reference.StartsWith("B-")'))).json.Invoices.map((i: { Reference: string }) => i.Reference);
    assert.equal(saved, ['B-1']);
  } finally {
    await world.control('POST', '/accounts/260/restore');
    await world.control('POST', '/contacts/SUPP-001/restore');
  }
});

archived.run();
