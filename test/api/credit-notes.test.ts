import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findJob } from '../../src/store/jobs';
import { control, ledger, runUntilSettled, statusCounts, type DeliveryWorld } from '../helpers/delivery';
import { checkOrganisation } from '../../src/services/organisation-checks';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';
import { assertValidXml } from '../helpers/xsd';

const credit = suite<{ world: DeliveryWorld; key: string; stop: () => Promise<void> }>('api.credit-notes');

credit.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'PMS-1');
  if (outcome.kind !== 'linked') throw new Error('not linked');
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(context.world, pairingId);
  context.stop = () => linked.stop();
});
credit.after.each(async ({ stop }) => stop());

type Accepted = { jobs: Array<{ id: string; kind: string; documentKey: string; duplicateOf?: string }> };

async function post(world: DeliveryWorld, key: string, path: string, body: unknown, status = 202): Promise<Accepted & Record<string, unknown>> {
  const response = await fetch(`${world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.is(response.status, status, await response.clone().text());
  return (await response.json()) as Accepted & Record<string, unknown>;
}

const consult = (id: string) => ({
  Invoices: [{ DocumentId: id, Type: 'ACCREC', Contact: { Name: 'Aroha Ngata' }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', Reference: `Consult ${id}`, LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 88, AccountCode: '200', TaxType: 'OUTPUT' }] }],
});
const rebate = (id: string, extra: Record<string, unknown>) => ({
  CreditNotes: [{ DocumentId: id, Type: 'ACCRECCREDIT', Contact: { Name: 'Aroha Ngata' }, Date: '2026-11-29', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', Reference: `Rebate ${id}`, LineItems: [{ Description: 'Rebate', Quantity: 1, UnitAmount: 33, AccountCode: '200', TaxType: 'OUTPUT' }], ...extra }],
});

async function xmlWrites(world: DeliveryWorld): Promise<Array<{ path: string; requestBody: string }>> {
  const { requests } = (await control(world, 'GET', 'requests?limit=200')) as { requests: Array<{ method: string; path: string; requestBody: string | null }> };
  return requests.filter((r) => r.method === 'PUT').map((r) => ({ path: r.path, requestBody: r.requestBody! }));
}

async function assertWritesValidate(world: DeliveryWorld): Promise<void> {
  for (const write of await xmlWrites(world)) {
    const xsd = write.path.endsWith('/Allocations') ? 'Allocation.xsd' : write.path.endsWith('/CreditNotes') ? 'CreditNote.xsd' : write.path.endsWith('/Payments') ? 'Payment.xsd' : 'Invoice.xsd';
    await assertValidXml(write.requestBody, xsd);
  }
}

credit('a credit note allocated by DocumentId to an invoice still on its way waits for both and lands allocated', async ({ world, key }) => {
  const [invoiceJob] = (await post(world, key, '/invoices', consult('INV-7'))).jobs;
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-7', { Allocation: { Invoice: { DocumentId: 'INV-7' }, Amount: 33 } }));
  assert.equal(jobs.map((job) => job.kind), ['credit_note', 'allocation']);
  assert.is(findJob(world.deps.db, jobs[0]!.id)!.dependsOn, invoiceJob!.id, 'the credit note waits for the invoice it is allocated to');
  assert.is(findJob(world.deps.db, jobs[1]!.id)!.dependsOn, jobs[0]!.id, 'the allocation waits for the credit note');

  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 3 });
  const [invoice] = (await ledger(world, 'Invoice')).map((doc) => doc.body);
  const [note] = (await ledger(world, 'CreditNote')).map((doc) => doc.body);
  assert.equal([invoice!['Total'], invoice!['AmountCredited'], invoice!['AmountDue'], invoice!['Status']], [88, 33, 55, 'AUTHORISED']);
  assert.equal([note!['Total'], note!['RemainingCredit'], note!['Status']], [33, 0, 'PAID']);
  assert.match(String(note!['Reference']), jobs[0]!.documentKey);
  assert.is(findJob(world.deps.db, jobs[0]!.id)!.xeroId, note!['CreditNoteID']);
  await assertWritesValidate(world);
});

credit('a refund goes out as a payment of the credit note from the account named, after the credit note', async ({ world, key }) => {
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-8', { Refund: { Account: { Code: '090' }, Date: '2026-11-29', Amount: 33, Reference: 'Card refund' } }));
  assert.equal(jobs.map((job) => job.kind), ['credit_note', 'payment']);
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 2 });
  const [refund] = (await ledger(world, 'Payment')).map((doc) => doc.body);
  const [note] = (await ledger(world, 'CreditNote')).map((doc) => doc.body);
  assert.equal([refund!['PaymentType'], refund!['Amount'], (refund!['CreditNote'] as Record<string, unknown>)['CreditNoteID']], ['ARCREDITPAYMENT', 33, note!['CreditNoteID']]);
  assert.equal([note!['RemainingCredit'], note!['Status']], [0, 'PAID']);
  await assertWritesValidate(world);
});

credit('with every write answer dropped after Xero saved it, look-ups settle each one: no credit note or allocation is doubled', async ({ world, key }) => {
  await post(world, key, '/invoices', consult('INV-9'));
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-9', { Allocation: { Invoice: { DocumentId: 'INV-9' }, Amount: 20 } }));
  await control(world, 'PUT', 'faults', { dropAfterCommitRate: 1, writesOnly: true });
  await runUntilSettled(world);
  await control(world, 'DELETE', 'faults');
  assert.equal(statusCounts(world), { delivered: 3 });
  assert.ok(world.loop.stats.found >= 3, `each was found by a look-up (${world.loop.stats.found})`);
  const notes = await ledger(world, 'CreditNote');
  assert.is(notes.length, 1, 'one credit note');
  assert.equal((notes[0]!.body['Allocations'] as unknown[]).length, 1, 'one allocation');
  const [invoice] = (await ledger(world, 'Invoice')).map((doc) => doc.body);
  assert.equal([invoice!['AmountCredited'], invoice!['AmountDue']], [20, 68]);
  assert.is(findJob(world.deps.db, jobs[0]!.id)!.xeroId, notes[0]!.id);
});

credit('an allocation or refund of a credit note that is not AUTHORISED, or to an invoice this device never sent, is refused with the field named and nothing stored', async ({ world, key }) => {
  const draft = rebate('CN-10', { Status: 'DRAFT', Allocation: { Invoice: { InvoiceNumber: 'INV-0001' }, Amount: 5 } });
  const refused = await post(world, key, '/credit-notes', draft, 400);
  assert.match(JSON.stringify(refused), 'CreditNotes[0].Allocation');
  assert.match(JSON.stringify(refused), 'AUTHORISED');
  const unknown = await post(world, key, '/credit-notes', rebate('CN-11', { Allocation: { Invoice: { DocumentId: 'NEVER' }, Amount: 5 } }), 400);
  assert.match(JSON.stringify(unknown), 'CreditNotes[0].Allocation.Invoice.DocumentId: this device sent no invoice with DocumentId \\"NEVER\\"');
  assert.is(world.deps.db.prepare('SELECT count(*) FROM jobs').pluck().get(), 0);
});

credit('Xero\'s refusal of an allocation (more than the invoice owes) reaches the job in Xero\'s words', async ({ world, key }) => {
  await post(world, key, '/invoices', { Invoices: [{ ...consult('INV-12').Invoices[0], LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 10, AccountCode: '200', TaxType: 'OUTPUT' }] }] });
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-12', { Allocation: { Invoice: { DocumentId: 'INV-12' }, Amount: 33 } }));
  await runUntilSettled(world);
  const allocation = findJob(world.deps.db, jobs[1]!.id)!;
  assert.is(allocation.status, 'failed');
  assert.equal(allocation.errors, ['Credit Note cannot be allocated as amount is greater than amount outstanding']);
});

credit('when Xero refuses the invoice, the credit note and its allocation stop with it, and go once the app corrects the invoice', async ({ world, key }) => {
  const bad = { Invoices: [{ ...consult('INV-13').Invoices[0], LineItems: [{ Description: 'Consultation', Quantity: 1, UnitAmount: 88, AccountCode: '999', TaxType: 'OUTPUT' }] }] };
  const [invoice] = (await post(world, key, '/invoices', bad)).jobs;
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-13', { Allocation: { Invoice: { DocumentId: 'INV-13' }, Amount: 33 } }));
  await runUntilSettled(world);
  await world.loop.drain();
  const [note, allocation] = jobs.map((job) => findJob(world.deps.db, job.id)!);
  assert.equal([findJob(world.deps.db, invoice!.id)!.status, note!.status, note!.cause, allocation!.status, allocation!.cause], ['failed', 'failed', 'dependency_failed', 'failed', 'dependency_failed']);
  assert.match(note!.errors![0]!, 'The invoice this credit note is allocated to');
  assert.match(allocation!.errors![0]!, 'The credit note this allocation draws on');

  await post(world, key, '/invoices', consult('INV-13'));
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 3 });
  const [stored] = (await ledger(world, 'Invoice')).map((doc) => doc.body);
  assert.equal([stored!['AmountCredited'], stored!['AmountDue']], [33, 55]);
});

credit('a supplier credit note (ACCPAYCREDIT) carries its key in CreditNoteNumber and is found there after a dropped answer', async ({ world, key }) => {
  const supplier = { CreditNotes: [{ DocumentId: 'SUP-1', Type: 'ACCPAYCREDIT', Contact: { Name: 'Bean Supply Co' }, Date: '2026-11-29', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', CreditNoteNumber: 'BSC-CR-77', LineItems: [{ Description: 'Spoilt beans', Quantity: 1, UnitAmount: 44, AccountCode: '310', TaxType: 'INPUT' }] }] };
  const { jobs } = await post(world, key, '/credit-notes', supplier);
  await control(world, 'PUT', 'faults', { dropAfterCommitRate: 1, writesOnly: true });
  await runUntilSettled(world);
  await control(world, 'DELETE', 'faults');
  const notes = await ledger(world, 'CreditNote');
  assert.is(notes.length, 1);
  assert.is(notes[0]!.body['CreditNoteNumber'], `BSC-CR-77 [${jobs[0]!.documentKey}]`);
  assert.is(notes[0]!.body['Reference'], undefined, 'Xero keeps no Reference on ACCPAYCREDIT');
  assert.is(findJob(world.deps.db, jobs[0]!.id)!.status, 'delivered');
  assert.ok(world.loop.stats.found >= 1);
});

credit('an allocation dated on or before the lock date is held before it costs a Xero call, while its credit note, dated after, goes', async ({ world, key }) => {
  await control(world, 'PUT', `organisations/${DEMO_ORGANISATIONS[0]!.id}/lock-dates`, { periodLockDate: '2026-11-28' });
  await whileTimePasses(world, checkOrganisation(world.proxy.running.proxy.deps, world.proxy.running.proxy.calls, world.organisationId));
  await post(world, key, '/invoices', { Invoices: [{ ...consult('INV-9').Invoices[0], Date: '2026-11-29' }] });
  const { jobs } = await post(world, key, '/credit-notes', rebate('CN-9', { Allocation: { Invoice: { DocumentId: 'INV-9' }, Amount: 33, Date: '2026-11-28' } }));
  await runUntilSettled(world);
  const allocation = findJob(world.deps.db, jobs[1]!.id)!;
  assert.equal([findJob(world.deps.db, jobs[0]!.id)!.status, allocation.status, allocation.cause], ['delivered', 'held', 'lock_date']);
  const { requests } = (await control(world, 'GET', 'requests?limit=200')) as { requests: Array<{ path: string }> };
  assert.not.ok(requests.some((request) => request.path.endsWith('/Allocations')), 'no allocation reached Xero');
});

credit.run();
