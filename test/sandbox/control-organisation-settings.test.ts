import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readXml } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';
import { RIVERBEND, startRulesWorld, type RulesWorld } from './rules-world';

const settings = suite<{ world: RulesWorld }>('sandbox.control.organisationSettings');

settings.before(async (context) => {
  context.world = await startRulesWorld();
});
settings.after(async (context) => {
  await context.world.stop();
});

settings('lock dates start unset; PUT sets them, merges what it leaves out, and null clears one', async ({ world }) => {
  const fresh = await world.control('GET', '/lock-dates');
  assert.is(fresh.status, 200);
  assert.equal(fresh.json, { organisationId: world.org.id, periodLockDate: null, endOfYearLockDate: null });
  const set = await world.control('PUT', '/lock-dates', { periodLockDate: '2026-02-28', endOfYearLockDate: '2025-06-30' });
  assert.is(set.status, 200);
  assert.equal(set.json, { organisationId: world.org.id, periodLockDate: '2026-02-28', endOfYearLockDate: '2025-06-30' });
  const merged = await world.control('PUT', '/lock-dates', { endOfYearLockDate: null });
  assert.equal(merged.json, { organisationId: world.org.id, periodLockDate: '2026-02-28', endOfYearLockDate: null });
  assert.equal((await world.control('GET', '/lock-dates')).json, merged.json);
  await world.control('PUT', '/lock-dates', { periodLockDate: null });
});

settings('lock dates: a bad date, an end-of-year date after the period date, or an unknown key is 400 naming the field', async ({ world }) => {
  const cases: Array<[unknown, string, string]> = [
    [{ periodLockDate: '2026-02-30' }, 'periodLockDate', 'periodLockDate: must be a date as YYYY-MM-DD, or null to clear it.'],
    [{ periodLockDate: '28/02/2026' }, 'periodLockDate', 'periodLockDate: must be a date as YYYY-MM-DD, or null to clear it.'],
    [{ periodLockDate: '2026-01-31', endOfYearLockDate: '2026-02-28' }, 'endOfYearLockDate', 'endOfYearLockDate: must be on or before periodLockDate (advisers are never locked out of more than everyone else).'],
    [{ lockDate: '2026-01-31' }, 'lockDate', 'lockDate: unknown setting; expected periodLockDate, endOfYearLockDate.'],
  ];
  for (const [body, field, message] of cases) {
    const answer = await world.control('PUT', '/lock-dates', body);
    assert.is(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.json.error, { code: 'invalid', message, field });
  }
  assert.equal((await world.control('GET', '/lock-dates')).json.periodLockDate, null, 'a refused PUT changes nothing');
});

settings('an unknown organisation is 404', async ({ world }) => {
  const response = await fetch(`${world.sb.url}/sandbox/organisations/00000000-0000-0000-0000-00000000dead/lock-dates`);
  assert.is(response.status, 404);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'not_found');
  assert.is(body.error.message, 'There is no organisation 00000000-0000-0000-0000-00000000dead in the sandbox; GET /sandbox/organisations lists them.');
});

settings('GET /Organisation shows the lock dates once set, as JSON /Date()/ and as XML that validates', async ({ world }) => {
  const before = await world.api('GET', '/Organisation');
  assert.not.ok('PeriodLockDate' in before.json.Organisations[0], 'Xero shows lock dates only when set');
  await world.control('PUT', '/lock-dates', { periodLockDate: '2026-02-28', endOfYearLockDate: '2025-06-30' });
  const json = (await world.api('GET', '/Organisation')).json.Organisations[0];
  assert.is(json.PeriodLockDate, `/Date(${Date.UTC(2026, 1, 28)}+0000)/`);
  assert.is(json.EndOfYearLockDate, `/Date(${Date.UTC(2025, 5, 30)}+0000)/`);
  const xml = await world.oauth1('GET', '/Organisation');
  assert.is(xml.status, 200, xml.text);
  await assertValidXml(xml.text);
  const org = readXml(xml.text).Organisations[0];
  assert.equal([org.PeriodLockDate, org.EndOfYearLockDate], ['2026-02-28T00:00:00', '2025-06-30T00:00:00']);
  await world.control('PUT', '/lock-dates', { periodLockDate: null, endOfYearLockDate: null });
  assert.not.ok('PeriodLockDate' in (await world.api('GET', '/Organisation')).json.Organisations[0]);
});

settings('the plan: STANDARD BUSINESS without caps by default; PUT sets Class, Edition and caps; GET /Organisation shows Class and Edition in JSON', async ({ world }) => {
  assert.equal((await world.control('GET', '/plan', undefined, RIVERBEND)).json, {
    organisationId: RIVERBEND.id,
    class: 'STANDARD',
    edition: 'BUSINESS',
    approvedInvoicesPerMonth: null,
    approvedBillsPerMonth: null,
  });
  const set = await world.control('PUT', '/plan', { class: 'STARTER', approvedInvoicesPerMonth: 20, approvedBillsPerMonth: 5 }, RIVERBEND);
  assert.is(set.status, 200);
  assert.equal(set.json, { organisationId: RIVERBEND.id, class: 'STARTER', edition: 'BUSINESS', approvedInvoicesPerMonth: 20, approvedBillsPerMonth: 5 });
  const org = (await world.api('GET', '/Organisation', undefined, RIVERBEND)).json.Organisations[0];
  assert.equal([org.Class, org.Edition], ['STARTER', 'BUSINESS']);
  const other = (await world.api('GET', '/Organisation')).json.Organisations[0];
  assert.equal([other.Class, other.Edition], ['STANDARD', 'BUSINESS'], 'each organisation has its own plan');
  const partner = await world.control('PUT', '/plan', { edition: 'PARTNER', approvedBillsPerMonth: null }, RIVERBEND);
  assert.equal(partner.json, { organisationId: RIVERBEND.id, class: 'STARTER', edition: 'PARTNER', approvedInvoicesPerMonth: 20, approvedBillsPerMonth: null });
  await world.control('PUT', '/plan', { class: 'STANDARD', edition: 'BUSINESS', approvedInvoicesPerMonth: null }, RIVERBEND);
});

settings('the plan: an unknown class or edition, a negative or fractional cap is 400 naming the field', async ({ world }) => {
  const cases: Array<[unknown, string]> = [
    [{ class: 'GOLD' }, 'class'],
    [{ edition: 'ENTERPRISE' }, 'edition'],
    [{ approvedInvoicesPerMonth: -1 }, 'approvedInvoicesPerMonth'],
    [{ approvedBillsPerMonth: 2.5 }, 'approvedBillsPerMonth'],
    [{ invoicesPerMonth: 20 }, 'invoicesPerMonth'],
  ];
  for (const [body, field] of cases) {
    const answer = await world.control('PUT', '/plan', body);
    assert.is(answer.status, 400, JSON.stringify(body));
    assert.is(answer.json.error.field, field);
  }
  assert.is((await world.control('PUT', '/plan', { edition: 'ENTERPRISE' })).json.error.message, 'edition: must be BUSINESS or PARTNER.');
  assert.is((await world.control('PUT', '/plan', { approvedInvoicesPerMonth: -1 })).json.error.message, 'approvedInvoicesPerMonth: must be a whole number, zero or more, or null for no cap.');
});

settings('GET /Organisation in XML leaves out Class and Edition, which Xero\'s XSD does not have, and still validates', async ({ world }) => {
  const xml = await world.oauth1('GET', '/Organisation');
  await assertValidXml(xml.text);
  assert.not.match(xml.text, '<Class>');
  assert.not.match(xml.text, '<Edition>');
});

settings('archive and restore an account by code: Status changes and UpdatedDateUTC moves', async ({ world }) => {
  const before = (await world.api('GET', `/Accounts?where=${encodeURIComponent('Code=="260"')}`)).json.Accounts[0];
  const archived = await world.control('POST', '/accounts/260/archive');
  assert.is(archived.status, 200);
  assert.equal([archived.json.account.Code, archived.json.account.Status, archived.json.account.AccountID], ['260', 'ARCHIVED', before.AccountID]);
  const listed = (await world.api('GET', `/Accounts?where=${encodeURIComponent('Status=="ARCHIVED"')}`)).json.Accounts.map((a: { Code: string }) => a.Code);
  assert.ok(listed.includes('260'), 'GET /Accounts shows it archived');
  const restored = await world.control('POST', '/accounts/260/restore');
  assert.is(restored.json.account.Status, 'ACTIVE');
  const one = (await world.api('GET', `/Accounts/${before.AccountID}`)).json.Accounts[0];
  assert.is(one.Status, 'ACTIVE');
  assert.ok(one.UpdatedDateUTC >= before.UpdatedDateUTC);
});

settings('archiving an unknown account code is 404; a system account is 409', async ({ world }) => {
  const unknown = await world.control('POST', '/accounts/999/archive');
  assert.is(unknown.status, 404);
  assert.equal(unknown.json.error, { code: 'not_found', message: 'The organisation has no account with code 999.', field: 'code' });
  const system = await world.control('POST', '/accounts/610/archive');
  assert.is(system.status, 409);
  assert.is(system.json.error.message, 'Account 610 (Accounts Receivable) is a system account; Xero does not let system accounts be archived.');
});

settings('archive and restore a contact by ContactNumber or ContactID; GET /Contacts hides it unless includeArchived=true', async ({ world }) => {
  const archived = await world.control('POST', '/contacts/CUST-002/archive');
  assert.is(archived.status, 200);
  assert.equal([archived.json.contact.Name, archived.json.contact.ContactStatus], ['Northside Catering', 'ARCHIVED']);
  const active = (await world.api('GET', '/Contacts')).json.Contacts.map((c: { Name: string }) => c.Name);
  assert.not.ok(active.includes('Northside Catering'));
  const all = (await world.api('GET', '/Contacts?includeArchived=true')).json.Contacts.map((c: { Name: string }) => c.Name);
  assert.ok(all.includes('Northside Catering'));
  const restored = await world.control('POST', `/contacts/${archived.json.contact.ContactID}/restore`);
  assert.is(restored.json.contact.ContactStatus, 'ACTIVE');
  assert.is((await world.control('POST', '/contacts/NOPE-1/archive')).status, 404);
});

settings('restoring a contact whose name another active contact has taken is 409', async ({ world }) => {
  await world.control('POST', '/contacts/SUPP-002/archive');
  const twin = await world.api('PUT', '/Contacts', { Contacts: [{ Name: 'Metro Power & Gas', ContactNumber: 'SUPP-TWIN' }] });
  assert.is(twin.status, 200, JSON.stringify(twin.json));
  const restored = await world.control('POST', '/contacts/SUPP-002/restore');
  assert.is(restored.status, 409);
  assert.is(restored.json.error.message, 'Another active contact is already named Metro Power & Gas; Xero keeps active contact names unique.');
});

settings.run();
