import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { call, readXml, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const settings = suite<{ server: AccountingServer }>('sandbox.accounting.settings');

settings.before(async (context) => {
  context.server = await startAccountingOnly();
});
settings.after(async (context) => {
  await context.server.stop();
});

const AU = DEMO_ORGANISATIONS[0]!;
const NZ = DEMO_ORGANISATIONS.find((org) => org.countryCode === 'NZ')!;

settings('GET /Organisation answers the Organisations wrapper, valid against the XSD', async ({ server }) => {
  const xml = await call(server, 'GET', '/Organisation');
  assert.is(xml.status, 200);
  await assertValidXml(xml.text);
  const org = readXml(xml.text).Organisations[0];
  assert.equal([org.Name, org.OrganisationID, org.BaseCurrency, org.CountryCode, org.ShortCode, org.Version], [AU.name, AU.id, 'AUD', 'AU', AU.shortCode, 'AU']);
  const json = await call(server, 'GET', '/Organisation', { acceptJson: true });
  assert.is(json.json.Organisations[0].IsDemoCompany, false);
});

settings('POST /Organisation is 501 ApiMethodNotImplementedException', async ({ server }) => {
  const answer = await call(server, 'POST', '/Organisation', { xml: '<Organisation><Name>x</Name></Organisation>' });
  assert.is(answer.status, 501);
  const error = readXml(answer.text);
  assert.equal([error.ErrorNumber, error.Type, error.Message], ['20', 'ApiMethodNotImplementedException', 'The Api Method called is not implemented']);
  const json = await call(server, 'POST', '/Organisation', { json: {}, acceptJson: true });
  assert.equal(json.json, { ErrorNumber: 20, Type: 'ApiMethodNotImplementedException', Message: 'The Api Method called is not implemented' });
});

settings('the AU chart of accounts has the bank, sales, expense, system and EFTPOS accounts', async ({ server }) => {
  const xml = await call(server, 'GET', '/Accounts');
  await assertValidXml(xml.text);
  const json = await call(server, 'GET', '/Accounts', { acceptJson: true });
  const byCode = new Map(json.json.Accounts.map((a: { Code: string }) => [a.Code, a]));
  for (const code of ['090', '091', '200', '260', '310', '400', '404', '429', '477', '610', '800', '820', '615']) assert.ok(byCode.has(code), `account ${code}`);
  assert.equal(pick(byCode.get('090'), ['Name', 'Type', 'TaxType', 'Class']), { Name: 'Business Bank Account', Type: 'BANK', TaxType: 'BASEXCLUDED', Class: 'ASSET' });
  assert.equal(pick(byCode.get('200'), ['Name', 'Type', 'TaxType', 'Status']), { Name: 'Sales', Type: 'REVENUE', TaxType: 'OUTPUT', Status: 'ACTIVE' });
  assert.equal(pick(byCode.get('820'), ['Name', 'SystemAccount']), { Name: 'GST', SystemAccount: 'GST' });
  assert.equal(pick(byCode.get('615'), ['Type', 'EnablePaymentsToAccount']), { Type: 'CURRENT', EnablePaymentsToAccount: true });
  const banks = await call(server, 'GET', `/Accounts?where=${encodeURIComponent('Type=="BANK" AND Status=="ACTIVE"')}&order=Code DESC`, { acceptJson: true });
  assert.equal(banks.json.Accounts.map((a: { Code: string }) => a.Code), ['092', '091', '090']);
});

settings('tax rates carry components and effective rates: AU 10% GST, NZ 15% GST', async ({ server }) => {
  const xml = await call(server, 'GET', '/TaxRates');
  await assertValidXml(xml.text);
  const au = await call(server, 'GET', '/TaxRates', { acceptJson: true });
  const output = au.json.TaxRates.find((t: { TaxType: string }) => t.TaxType === 'OUTPUT');
  assert.equal(pick(output, ['Name', 'EffectiveRate', 'ReportTaxType', 'CanApplyToRevenue', 'CanApplyToExpenses']), { Name: 'GST on Income', EffectiveRate: 10, ReportTaxType: 'OUTPUT', CanApplyToRevenue: true, CanApplyToExpenses: false });
  assert.equal(output.TaxComponents, [{ Name: 'GST', Rate: 10, IsCompound: false, IsNonRecoverable: false }]);
  for (const type of ['INPUT', 'EXEMPTOUTPUT', 'BASEXCLUDED', 'GSTONIMPORTS']) assert.ok(au.json.TaxRates.some((t: { TaxType: string }) => t.TaxType === type), type);
  server.actAs(NZ);
  try {
    const nz = await call(server, 'GET', '/TaxRates?TaxType=OUTPUT2', { acceptJson: true });
    assert.equal(pick(nz.json.TaxRates[0], ['Name', 'EffectiveRate']), { Name: '15% GST on Income', EffectiveRate: 15 });
    const nzXml = await call(server, 'GET', '/TaxRates');
    await assertValidXml(nzXml.text);
    const nzInvoice = await call(server, 'PUT', '/Invoices', {
      acceptJson: true,
      json: { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, LineItems: [{ Description: 'Hammer', UnitAmount: 100, AccountCode: '200' }] }] },
    });
    assert.equal([nzInvoice.json.Invoices[0].LineItems[0].TaxType, nzInvoice.json.Invoices[0].TotalTax, nzInvoice.json.Invoices[0].CurrencyCode], ['OUTPUT2', 15, 'NZD']);
  } finally {
    server.actAs(AU);
  }
});

settings('items carry sales and purchase details; tracking categories have Location and Department', async ({ server }) => {
  const items = await call(server, 'GET', '/Items');
  await assertValidXml(items.text);
  const beans = readXml(items.text).Items.find((i: { Code: string }) => i.Code === 'BEANS-1KG');
  assert.equal(beans.SalesDetails, { UnitPrice: '38.00', AccountCode: '200', TaxType: 'OUTPUT' });
  assert.equal(beans.PurchaseDetails, { UnitPrice: '22.00', AccountCode: '310', TaxType: 'INPUT' });
  const tracking = await call(server, 'GET', '/TrackingCategories', { acceptJson: true });
  assert.equal(tracking.json.TrackingCategories.map((t: { Name: string }) => t.Name), ['Location', 'Department']);
  assert.equal(tracking.json.TrackingCategories[0].Options.map((o: { Name: string }) => o.Name), ['Main Street', 'Harbourside', 'Online']);
  await assertValidXml((await call(server, 'GET', '/TrackingCategories')).text);
});

settings('demo ids are derived from the organisation and code, the same on every fresh sandbox', async ({ server }) => {
  const other = await startAccountingOnly();
  try {
    const first = await call(server, 'GET', '/Accounts?where=Code%3D%3D%22200%22', { acceptJson: true });
    const second = await call(other, 'GET', '/Accounts?where=Code%3D%3D%22200%22', { acceptJson: true });
    assert.is(first.json.Accounts[0].AccountID, second.json.Accounts[0].AccountID);
    server.actAs(NZ);
    const nz = await call(server, 'GET', '/Accounts?where=Code%3D%3D%22200%22', { acceptJson: true });
    assert.is.not(nz.json.Accounts[0].AccountID, first.json.Accounts[0].AccountID);
  } finally {
    server.actAs(AU);
    await other.stop();
  }
});

settings('contacts: PUT creates from XML, names must be unique, POST updates by ContactNumber', async ({ server }) => {
  const body = '<Contacts><Contact><ContactNumber>CUST-100</ContactNumber><Name>Seaside Yoga</Name><EmailAddress>hello@seaside-yoga.example</EmailAddress><Phones><Phone><PhoneType>MOBILE</PhoneType><PhoneNumber>0400 000 000</PhoneNumber></Phone></Phones></Contact></Contacts>';
  await assertValidXml(body, 'Contact.xsd');
  const created = await call(server, 'PUT', '/Contacts', { xml: body });
  assert.is(created.status, 200, created.text);
  await assertValidXml(created.text);
  const contact = readXml(created.text).Contacts[0];
  assert.equal([contact.Name, contact.ContactNumber, contact.ContactStatus, contact.Phones[0].PhoneNumber], ['Seaside Yoga', 'CUST-100', 'ACTIVE', '0400 000 000']);

  const duplicate = await call(server, 'PUT', '/Contacts', { json: { Contacts: [{ Name: 'seaside yoga' }] }, acceptJson: true });
  assert.is(duplicate.status, 400);
  assert.is(duplicate.json.Elements[0].ValidationErrors[0].Message, 'The contact name seaside yoga is already assigned to another contact. The contact name must be unique across all active contacts.');

  const updated = await call(server, 'POST', '/Contacts', { json: { Contacts: [{ ContactNumber: 'CUST-100', EmailAddress: 'accounts@seaside-yoga.example' }] }, acceptJson: true });
  assert.is(updated.status, 200, updated.text);
  assert.equal([updated.json.Contacts[0].ContactID, updated.json.Contacts[0].EmailAddress], [contact.ContactID, 'accounts@seaside-yoga.example']);

  const badEmail = await call(server, 'POST', '/Contacts?summarizeErrors=false', { json: { Contacts: [{ Name: 'No Mail', EmailAddress: 'not-an-email' }, { Name: 'Has Mail', EmailAddress: 'a@b.example' }] }, acceptJson: true });
  assert.is(badEmail.status, 200);
  assert.equal(badEmail.json.Contacts.map((c: { StatusAttributeString: string }) => c.StatusAttributeString), ['ERROR', 'OK']);
  assert.equal(badEmail.json.Contacts[0].ValidationErrors, [{ Message: 'Email address must be valid.' }]);

  const byId = await call(server, 'GET', `/Contacts/${contact.ContactID}`);
  assert.is(byId.status, 200);
  await assertValidXml(byId.text);
  const search = await call(server, 'GET', `/Contacts?where=${encodeURIComponent('Name.Contains("yoga")')}`, { acceptJson: true });
  assert.equal(search.json.Contacts.map((c: { Name: string }) => c.Name), ['Seaside Yoga']);
  const missing = await call(server, 'GET', '/Contacts/NOPE-1');
  assert.is(missing.status, 404);
});

function pick(value: unknown, keys: string[]): Record<string, unknown> {
  const record = value as Record<string, unknown>;
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

settings.run();
