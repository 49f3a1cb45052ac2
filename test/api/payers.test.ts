import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { setCheckedMapping } from '../../src/services/mappings';
import { findJob } from '../../src/store/jobs';
import { asCli } from '../helpers/actor';
import { ledger, runUntilSettled, statusCounts, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';

const payers = suite<{ world: DeliveryWorld; key: string; stop: () => Promise<void> }>('api.payments.third-party-payers');

payers.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'PMS-2');
  if (outcome.kind !== 'linked') throw new Error('not linked');
  const world: DeliveryWorld = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  Object.assign(context, { world, key: await collectKey(world, pairingId), stop: () => linked.stop() });
});
payers.after.each(async ({ stop }) => stop());

async function post(world: DeliveryWorld, key: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> & { jobs: Array<{ id: string; status: string; cause?: string; missing?: Array<{ kind: string; name: string; field: string }> }> } }> {
  const response = await fetch(`${world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as never };
}

const consult = (id: string, patient: string, fee: number) => ({ DocumentId: id, Type: 'ACCREC', Contact: { Name: patient }, Date: '2026-11-30', LineAmountTypes: 'NoTax', Status: 'AUTHORISED', LineItems: [{ Description: 'Standard consultation', Quantity: 1, UnitAmount: fee, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' }] });
const bulkBill = (invoice: string, amount: number) => ({ Invoice: { DocumentId: invoice }, Payer: 'Medicare', Date: '2026-11-30', Amount: amount, Reference: `Medicare benefit ${invoice}` });

payers('payments naming a payer wait for its mapping, then land in its clearing account, adding up to the one settlement', async ({ world, key }) => {
  assert.is((await post(world, key, '/invoices', { Invoices: [consult('C-1', 'Aroha Ngata', 42.85), consult('C-2', 'Tom Baker', 42.85), consult('C-3', 'Mei Chen', 80)] })).status, 202);
  const sent = await post(world, key, '/payments', { Payments: [bulkBill('C-1', 42.85), bulkBill('C-2', 42.85), { ...bulkBill('C-3', 80), Payer: 'HCF' }] });
  assert.is(sent.status, 202, JSON.stringify(sent.body));
  assert.equal(sent.body.jobs.map((job) => [job.status, job.cause, job.missing?.map((m) => [m.kind, m.name, m.field])]), [
    ['held', 'mapping_missing', [['payer', 'Medicare', 'Payments[0].Payer']]],
    ['held', 'mapping_missing', [['payer', 'Medicare', 'Payments[1].Payer']]],
    ['held', 'mapping_missing', [['payer', 'HCF', 'Payments[2].Payer']]],
  ]);
  const { deps, calls } = world.proxy.running.proxy;
  await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, world.organisationId, { kind: 'payer', name: 'Medicare', account: '616' }));
  await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, world.organisationId, { kind: 'payer', name: 'HCF', account: '617' }));
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 6 });
  const payments = (await ledger(world, 'Payment')).map((doc) => doc.body as { Amount: number; Account: { Code: string } });
  const into = (code: string) => Math.round(payments.filter((p) => p.Account.Code === code).reduce((sum, p) => sum + p.Amount * 100, 0)) / 100;
  assert.equal([into('616'), into('617')], [85.7, 80], "each payer's day adds up to its settlement");
  assert.ok((await ledger(world, 'Invoice')).every((doc) => doc.body['Status'] === 'PAID'));
  assert.is(findJob(world.deps.db, sent.body.jobs[0]!.id)!.status, 'delivered');
});

payers('a payment naming both an Account and a Payer, or neither, is refused with the field named', async ({ world, key }) => {
  const both = await post(world, key, '/payments', { Payments: [{ Invoice: { InvoiceNumber: 'INV-0001' }, Account: { Code: '090' }, Payer: 'DVA', Date: '2026-11-30', Amount: 5 }] });
  assert.is(both.status, 400);
  assert.match(JSON.stringify(both.body), 'Payments[0].Payer: must not be given with Account');
  const neither = await post(world, key, '/payments', { Payments: [{ Invoice: { InvoiceNumber: 'INV-0001' }, Date: '2026-11-30', Amount: 5 }] });
  assert.is(neither.status, 400);
  assert.match(JSON.stringify(neither.body), 'Payments[0].Account: is required (or a Payer');
  assert.is(world.deps.db.prepare('SELECT count(*) FROM jobs').pluck().get(), 0);
});

payers('a shift tender naming a payer waits for its mapping, then its payment lands in the payer\'s clearing account, not the tender\'s', async ({ world, key }) => {
  const { deps, calls } = world.proxy.running.proxy;
  for (const input of [{ kind: 'category', name: 'Consultations', account: '200', tax: 'EXEMPTOUTPUT' }, { kind: 'tender', name: 'eftpos', account: '615' }] as const) {
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, world.organisationId, input));
  }
  // No tender mapping for "medicare": the payer's clearing account is where that money goes.
  const shift = { shiftId: 'DAY-30', closedAt: '2026-11-30T18:00:00+10:00', sales: [{ category: 'Consultations', gross: 150, tax: 0 }], tenders: [{ type: 'eftpos', amount: 30 }, { type: 'medicare', amount: 120, payer: 'Medicare' }] };
  const sent = await post(world, key, '/pos/shifts', shift);
  assert.is(sent.status, 202, JSON.stringify(sent.body));
  assert.equal(sent.body.jobs[0]!.missing?.map((m) => [m.kind, m.name, m.field]), [['payer', 'Medicare', 'tenders[1].payer']]);
  assert.ok(sent.body.jobs.every((job) => job.status === 'held'), JSON.stringify(sent.body.jobs));
  await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, world.organisationId, { kind: 'payer', name: 'Medicare', account: '616' }));
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 3 });
  const payments = (await ledger(world, 'Payment')).map((doc) => doc.body as { Amount: number; Account: { Code: string } });
  assert.equal(payments.map((p) => [p.Account.Code, p.Amount]).sort(), [['615', 30], ['616', 120]]);
  const [invoice] = await ledger(world, 'Invoice');
  assert.equal([invoice!.body['Total'], invoice!.body['Status']], [150, 'PAID']);
});

payers.run();
