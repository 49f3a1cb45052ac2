import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { currentAlerts } from '../../src/services/alerts';
import { attentionReport, retryAll } from '../../src/services/attention';
import { setCheckedMapping } from '../../src/services/mappings';
import { organisationSummary } from '../../src/services/organisations';
import { checkOrganisation, rereadLockDates } from '../../src/services/organisation-checks';
import { findJob } from '../../src/store/jobs';
import { findOrganisation } from '../../src/store/organisations';
import { asCli } from '../helpers/actor';
import { control, ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { assertValidXml } from '../helpers/xsd';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';

interface Context {
  world: DeliveryWorld;
  key: string;
}

const CAFE = DEMO_ORGANISATIONS[0]!;
const rules = suite<Context>('api.organisation-rules');

rules.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { manual: true }, schedule: false } });
  const { outcome, pairingId } = await pairAndLink(linked, 'PRACTICE-PC');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(linked, pairingId);
});
rules.after.each(async ({ world }) => world.stop());

interface LoggedRequest {
  id: number;
  method: string;
  path: string;
  query: string | null;
  requestBody: string | null;
}

/** Every request the sandbox served after the one with id `after`, oldest first. */
async function requestsSince(context: Context, after: number): Promise<LoggedRequest[]> {
  const { requests } = (await control(context.world, 'GET', 'requests?limit=5000')) as { requests: LoggedRequest[] };
  return requests.filter((request) => request.id > after && !request.path.startsWith('/sandbox/')).reverse();
}
const lastRequestId = async (context: Context) => ((await control(context.world, 'GET', 'requests?limit=1')) as { requests: LoggedRequest[] }).requests[0]?.id ?? 0;

const invoice = (documentId: string, overrides: Record<string, unknown> = {}) => ({
  DocumentId: documentId,
  Type: 'ACCREC',
  Contact: { Name: 'Cash Customer' },
  Date: '2026-11-28',
  Status: 'AUTHORISED',
  LineAmountTypes: 'Inclusive',
  LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 95, AccountCode: '200', TaxType: 'OUTPUT' }],
  ...overrides,
});

async function postInvoices(context: Context, invoices: unknown[]): Promise<Array<{ id: string; status: string }>> {
  const response = await fetch(`${context.world.proxy.url}/api/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${context.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Invoices: invoices }),
  });
  assert.is(response.status, 202, await response.clone().text());
  return ((await response.json()) as { jobs: Array<{ id: string; status: string }> }).jobs;
}

const xeroInvoice = async (context: Context, documentKey: string) => (await ledger(context.world, 'Invoice')).find((row) => String(row.reference ?? '').includes(documentKey))?.body;

rules('an approved invoice dated inside the lock date is held before any call to Xero, says why on Needs attention, and goes once the adviser moves the date and Retry all is pressed', async (context) => {
  const { world } = context;
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: '2026-06-30' });
  const check = await checkOrganisation(world.proxy.running.proxy.deps, world.proxy.running.proxy.calls, world.organisationId);
  assert.equal([check.periodLockDate, check.endOfYearLockDate], ['2026-06-30', null], 'the lock date is read from Xero by the check');

  const before = await lastRequestId(context);
  const [locked, open, draft] = await postInvoices(context, [invoice('INV-LOCKED', { Date: '2026-06-30' }), invoice('INV-OPEN', { Date: '2026-07-01' }), invoice('INV-DRAFT', { Date: '2026-05-01', Status: 'DRAFT' })]);
  await runUntilSettled(world).catch((error) => {
    throw new Error(`${error}: ${JSON.stringify(world.deps.db.prepare('SELECT status, cause, held_reason, last_error, attempts FROM jobs').all())}`);
  });
  const held = findJob(world.deps.db, locked!.id)!;
  assert.equal([held.status, held.cause, held.causeDetail], ['held', 'lock_date', { date: '2026-06-30', lockDate: '2026-06-30', lockKind: 'period' }]);
  assert.is(held.attempts, 0, 'holding it cost no attempt');
  assert.is(findJob(world.deps.db, open!.id)!.status, 'delivered');
  assert.is(findJob(world.deps.db, draft!.id)!.status, 'delivered', 'a draft posts nothing, so Xero takes it whatever its date');
  const writes = (await requestsSince(context, before)).filter((request) => request.path.endsWith('/Invoices') && request.method !== 'GET');
  assert.is(writes.length, 1, 'one write carried the two open invoices');
  assert.not.ok(writes[0]!.requestBody!.includes(held.documentKey), 'the locked invoice never reached Xero');

  const [group] = attentionReport(world.deps).needsPerson;
  assert.is(group!.cause, 'lock_date');
  assert.is(group!.sentence, '1 invoice waits because it is dated on or before the period lock date (2026-06-30), when the books are closed.');
  assert.match(group!.fix, 'ask the organisation\'s adviser to move the lock date in Xero');
  assert.ok(group!.canRetry);

  // Retried while the date is still locked: held again, still without a call.
  const beforeRetry = await lastRequestId(context);
  await whileTimePasses(world, rereadLockDates(asCli(world.proxy.running.proxy.deps), world.proxy.running.proxy.calls, world.organisationId));
  assert.is(retryAll(asCli(world.deps), { cause: 'lock_date', organisationId: world.organisationId }).retried, 1);
  await runUntilSettled(world);
  assert.is(findJob(world.deps.db, locked!.id)!.status, 'held');
  assert.equal((await requestsSince(context, beforeRetry)).map((request) => `${request.method} ${request.path}`), ['GET /api.xro/2.0/Organisation'], 'only the lock dates were read again');

  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { periodLockDate: '2026-05-31' });
  await whileTimePasses(world, rereadLockDates(asCli(world.proxy.running.proxy.deps), world.proxy.running.proxy.calls, world.organisationId));
  assert.is(findOrganisation(world.deps.db, world.organisationId)!.periodLockDate, '2026-05-31');
  retryAll(asCli(world.deps), { cause: 'lock_date', organisationId: world.organisationId });
  await runUntilSettled(world);
  assert.is(findJob(world.deps.db, locked!.id)!.status, 'delivered');
  assert.is(((await xeroInvoice(context, held.documentKey)) as { Status: string }).Status, 'AUTHORISED');
});

rules('an invoice held for its lock date is corrected by sending it again under its DocumentId with a later date, and goes', async (context) => {
  const { world } = context;
  await control(world, 'PUT', `organisations/${CAFE.id}/lock-dates`, { endOfYearLockDate: '2026-06-30' });
  await whileTimePasses(world, checkOrganisation(world.proxy.running.proxy.deps, world.proxy.running.proxy.calls, world.organisationId));
  const [held] = await postInvoices(context, [invoice('INV-REDATE', { Date: '2026-06-01' })]);
  await runUntilSettled(world);
  assert.equal([findJob(world.deps.db, held!.id)!.status, findJob(world.deps.db, held!.id)!.causeDetail], ['held', { date: '2026-06-01', lockDate: '2026-06-30', lockKind: 'end of year' }]);
  const [corrected] = await postInvoices(context, [invoice('INV-REDATE', { Date: '2026-07-01' })]);
  assert.equal([corrected!.id, corrected!.status], [held!.id, 'queued'], 'the same job, corrected in place');
  await runUntilSettled(world);
  const job = findJob(world.deps.db, held!.id)!;
  assert.is(job.status, 'delivered');
  assert.is(String((await xeroInvoice(context, job.documentKey))!['Date']).slice(0, 10), '2026-07-01');
  assert.is((await ledger(world, 'Invoice')).filter((row) => String(row.reference ?? '').includes(job.documentKey)).length, 1);
});

rules('an invoice whose contact is named by e-mail goes to the contact Xero has with that e-mail, looked up once and then remembered', async (context) => {
  const { world } = context;
  const northside = (await ledger(world, 'Contact')).find((row) => row.body['Name'] === 'Northside Catering')!;
  const contactsBefore = (await ledger(world, 'Contact')).length;
  const before = await lastRequestId(context);
  // The funder's name differs from Xero's; its e-mail (in another case) is the one Xero holds.
  const [first] = await postInvoices(context, [invoice('INV-FUNDER-1', { Contact: { EmailAddress: 'Accounts@Northside-Catering.example', Name: 'Northside Catering (funder)' } })]);
  await runUntilSettled(world);
  const delivered = findJob(world.deps.db, first!.id)!;
  assert.is(delivered.status, 'delivered', JSON.stringify(delivered.errors));
  const sent = await xeroInvoice(context, delivered.documentKey);
  assert.is((sent!['Contact'] as { ContactID: string }).ContactID, northside.id);
  const served = (await requestsSince(context, before)).map((request) => `${request.method} ${request.path}`);
  assert.equal(served, ['GET /api.xro/2.0/Contacts', 'PUT /api.xro/2.0/Invoices'], 'one look-up, then the write');

  const second = await lastRequestId(context);
  await postInvoices(context, [invoice('INV-FUNDER-2', { Contact: { EmailAddress: 'accounts@northside-catering.example', Name: 'Northside Catering (funder)' } })]);
  await runUntilSettled(world);
  assert.equal((await requestsSince(context, second)).map((request) => `${request.method} ${request.path}`), ['PUT /api.xro/2.0/Invoices'], 'the contact found is remembered');
  assert.is((await ledger(world, 'Contact')).length, contactsBefore, 'no contact was created');
});

rules('a contact with a new number and e-mail but the name of an active contact is that contact, not a second one of the same name', async (context) => {
  const { world } = context;
  const cash = (await ledger(world, 'Contact')).find((row) => row.body['Name'] === 'Cash Customer')!;
  const contactsBefore = (await ledger(world, 'Contact')).length;
  const before = await lastRequestId(context);
  const [job] = await postInvoices(context, [invoice('INV-PATIENT', { Contact: { ContactNumber: 'PAT-7781', EmailAddress: 'new.patient@example.com', Name: 'cash customer' } })]);
  await runUntilSettled(world);
  const delivered = findJob(world.deps.db, job!.id)!;
  assert.is(delivered.status, 'delivered', JSON.stringify(delivered.errors));
  const write = (await requestsSince(context, before)).find((request) => request.method === 'PUT')!;
  assert.match(write.requestBody!, `<ContactID>${cash.id}</ContactID>`, 'the invoice names the existing contact by its id');
  await assertValidXml(write.requestBody!, 'Invoice.xsd');
  assert.is((await ledger(world, 'Contact')).length, contactsBefore);
});

rules('an e-mail that matches nobody creates the contact from the name, number and e-mail given, and the next invoice finds it', async (context) => {
  const { world } = context;
  const before = await lastRequestId(context);
  const [job] = await postInvoices(context, [invoice('INV-NEW-1', { Contact: { ContactNumber: 'PAT-9001', EmailAddress: 'aroha@example.com', Name: 'Aroha Ngata' } })]);
  await runUntilSettled(world);
  const write = (await requestsSince(context, before)).find((request) => request.method === 'PUT')!;
  assert.match(write.requestBody!, '<EmailAddress>aroha@example.com</EmailAddress>');
  await assertValidXml(write.requestBody!, 'Invoice.xsd');
  assert.is(findJob(world.deps.db, job!.id)!.status, 'delivered');
  const created = (await ledger(world, 'Contact')).filter((row) => row.body['Name'] === 'Aroha Ngata');
  assert.is(created.length, 1);
  assert.equal([created[0]!.body['ContactNumber'], created[0]!.body['EmailAddress']], ['PAT-9001', 'aroha@example.com']);
  const [again] = await postInvoices(context, [invoice('INV-NEW-2', { Contact: { EmailAddress: 'aroha@example.com', Name: 'Aroha Ngata' } })]);
  await runUntilSettled(world);
  const second = await xeroInvoice(context, findJob(world.deps.db, again!.id)!.documentKey);
  assert.is((second!['Contact'] as { ContactID: string }).ContactID, created[0]!.id);
  assert.is((await ledger(world, 'Contact')).filter((row) => row.body['Name'] === 'Aroha Ngata').length, 1);
});

rules('the daily check finds a mapped account archived in Xero (asking only for accounts changed since they were read) and raises an alert and a Needs attention entry before a document fails on it', async (context) => {
  const { world } = context;
  const deps = asCli(world.proxy.running.proxy.deps);
  const calls = world.proxy.running.proxy.calls;
  await whileTimePasses(world, setCheckedMapping(deps, calls, world.organisationId, { kind: 'category', name: 'Consults', account: '200', tax: 'OUTPUT' }));
  await whileTimePasses(world, setCheckedMapping(deps, calls, world.organisationId, { kind: 'tender', name: 'EFTPOS', account: '090' }));
  let check = await whileTimePasses(world, checkOrganisation(deps, calls, world.organisationId));
  assert.is(check.mappingProblems, 0, 'every mapping is sound to begin with');
  assert.not.ok(currentAlerts(deps).some((alert) => alert.cause === 'mapping_target_archived'));

  await control(world, 'POST', `organisations/${CAFE.id}/accounts/200/archive`);
  await world.advance(5);
  const before = await lastRequestId(context);
  check = await whileTimePasses(world, checkOrganisation(deps, calls, world.organisationId));
  assert.is(check.mappingProblems, 1);
  const served = (await requestsSince(context, before)).map((request) => `${request.method} ${request.path}`);
  assert.equal(served, ['GET /api.xro/2.0/Organisation', 'GET /api.xro/2.0/Accounts', 'GET /api.xro/2.0/TaxRates']);

  const alert = currentAlerts(deps).find((entry) => entry.cause === 'mapping_target_archived');
  assert.ok(alert, 'an alert is raised');
  assert.is(alert!.summary, `1 mapping of ${CAFE.name} points at something Xero no longer takes: category "Consults" → account 200 (Sales) is archived in Xero. Documents that use it would be refused.`);
  assert.is(alert!.path, '/mappings');
  const [group] = attentionReport(deps).mappingProblems;
  assert.equal(group!.problems, ['category "Consults" → account 200 (Sales) is archived in Xero']);
  assert.is(world.deps.db.prepare("SELECT COUNT(*) FROM jobs WHERE status = 'failed'").pluck().get(), 0, 'no document has failed on it');

  // Mapped again to an active account, the problem is gone at once.
  await whileTimePasses(world, setCheckedMapping(deps, calls, world.organisationId, { kind: 'category', name: 'Consults', account: '260', tax: 'OUTPUT' }));
  assert.equal(attentionReport(deps).mappingProblems, []);
  assert.not.ok(currentAlerts(deps).some((entry) => entry.cause === 'mapping_target_archived'));
});

rules("a plan that caps approved invoices is warned of on the organisation's page, and Xero's refusal at the cap stops the invoice with that cause instead of retrying it", async (context) => {
  const { world } = context;
  const deps = asCli(world.proxy.running.proxy.deps);
  await control(world, 'PUT', `organisations/${CAFE.id}/plan`, { class: 'STARTER', approvedInvoicesPerMonth: 1 });
  await whileTimePasses(world, checkOrganisation(deps, world.proxy.running.proxy.calls, world.organisationId));
  const summary = organisationSummary(deps, world.organisationId);
  assert.equal(summary.planWarnings.map((warning) => warning.code), ['invoice_cap']);

  const [first, second] = await postInvoices(context, [invoice('INV-CAP-1', { Date: '2026-11-02' }), invoice('INV-CAP-2', { Date: '2026-11-03' })]);
  await runUntilSettled(world);
  assert.is(findJob(world.deps.db, first!.id)!.status, 'delivered');
  const capped = findJob(world.deps.db, second!.id)!;
  assert.equal([capped.status, capped.cause, capped.errors, capped.attempts], ['failed', 'invoice_limit', ['You have reached the limit of invoices you can approve!'], 1]);
  await world.advance(3600);
  await runUntilSettled(world);
  assert.is(findJob(world.deps.db, second!.id)!.attempts, 1, 'not tried again by itself');
  // Another of that month is held before it costs a call Xero would only refuse; one of December goes.
  const before = await lastRequestId(context);
  const [third, december] = await postInvoices(context, [invoice('INV-CAP-3', { Date: '2026-11-20' }), invoice('INV-CAP-4', { Date: '2026-12-01' })]);
  await runUntilSettled(world);
  assert.equal([findJob(world.deps.db, third!.id)!.status, findJob(world.deps.db, third!.id)!.cause, findJob(world.deps.db, third!.id)!.attempts], ['held', 'invoice_limit', 0]);
  assert.is(findJob(world.deps.db, december!.id)!.status, 'delivered');
  const write = (await requestsSince(context, before)).filter((request) => request.method === 'PUT');
  assert.is(write.length, 1);
  assert.not.ok(write[0]!.requestBody!.includes(findJob(world.deps.db, third!.id)!.documentKey), 'the held invoice never reached Xero');
  const groups = attentionReport(deps).needsPerson.filter((entry) => entry.cause === 'invoice_limit');
  assert.equal(groups.map((entry) => entry.count), [2], 'the refused and the held invoice are one group, retried together');
  const group = groups[0]!;
  assert.is(group.sentence, `Xero refused 2 invoices because ${CAFE.name}'s Xero plan has reached its limit of approved invoices for 2026-11.`);
  assert.match(group.fix, 'Upgrade the plan in Xero, or wait for next month, then retry.');
});

rules.run();
