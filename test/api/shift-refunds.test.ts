import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { ensureDemoMappings } from '../../src/services/demo-shift';
import { removeMapping, setCheckedMapping, type MappingInput } from '../../src/services/mappings';
import { control, ledger, runUntilSettled, statusCounts, type DeliveryWorld } from '../helpers/delivery';
import { asCli } from '../helpers/actor';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';
import { assertValidXml } from '../helpers/xsd';

const days = suite<{ world: DeliveryWorld; key: string; stop: () => Promise<void> }>('api.pos-shifts.awkward-days');

days.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'TILL-7');
  if (outcome.kind !== 'linked') throw new Error('not linked');
  const world: DeliveryWorld = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  const { deps, calls } = linked.proxy.running.proxy;
  // The demo café's till (Coffee, Food, cash, eftpos, rounding, no-tax) and the accounts of the awkward days.
  await whileTimePasses(linked, ensureDemoMappings(deps, calls, world.organisationId));
  const more: MappingInput[] = [
    { kind: 'suspense', account: '850' },
    { kind: 'tips', account: '855' },
    { kind: 'gift-cards', account: '856' },
    { kind: 'gift-card-redemptions', account: '856' },
  ];
  for (const input of more) await whileTimePasses(linked, setCheckedMapping(asCli(deps), calls, world.organisationId, input));
  Object.assign(context, { world, key: await collectKey(world, pairingId), stop: () => linked.stop() });
});
days.after.each(async ({ stop }) => stop());

const base = { closedAt: '2026-11-28T22:05:00+10:00' };

async function post(world: DeliveryWorld, key: string, shift: unknown): Promise<Array<{ id: string; kind: string; documentKey: string }>> {
  const response = await fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(shift) });
  assert.is(response.status, 202, await response.clone().text());
  return ((await response.json()) as { jobs: Array<{ id: string; kind: string; documentKey: string }> }).jobs;
}

type Doc = Record<string, unknown>;
const lines = (doc: Doc) => (doc['LineItems'] as Array<{ Description: string; LineAmount: number; AccountCode: string }>).map((line) => [line.Description, line.LineAmount, line.AccountCode]);
const paymentsOf = async (world: DeliveryWorld) => (await ledger(world, 'Payment')).map((doc) => doc.body);

async function assertBodiesValidate(world: DeliveryWorld): Promise<void> {
  const { requests } = (await control(world, 'GET', 'requests?limit=100')) as { requests: Array<{ method: string; path: string; requestBody: string | null }> };
  for (const write of requests.filter((r) => r.method === 'PUT')) {
    await assertValidXml(write.requestBody!, write.path.endsWith('/CreditNotes') ? 'CreditNote.xsd' : write.path.endsWith('/Payments') ? 'Payment.xsd' : 'Invoice.xsd');
  }
}

days('refunds become negative lines on the summary invoice, which the tenders pay in full', async ({ world, key }) => {
  const jobs = await post(world, key, { ...base, shiftId: 'R-1', sales: [{ category: 'Coffee', gross: 110, tax: 10 }], refunds: [{ category: 'Coffee', gross: 22, tax: 2, quantity: 4 }], tenders: [{ type: 'cash', amount: 30 }, { type: 'eftpos', amount: 58 }] });
  assert.equal(jobs.map((job) => job.kind), ['invoice', 'payment', 'payment']);
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 3 });
  const [invoice] = (await ledger(world, 'Invoice')).map((doc) => doc.body);
  assert.equal(lines(invoice!), [['Coffee', 110, '200'], ['Coffee refunds (4 returned)', -22, '200']]);
  assert.equal([invoice!['Total'], invoice!['TotalTax'], invoice!['AmountDue'], invoice!['Status']], [88, 8, 0, 'PAID']);
  assert.equal((await paymentsOf(world)).map((p) => [(p['Account'] as Doc)['Code'], p['Amount']]), [['092', 30], ['615', 58]]);
  await assertBodiesValidate(world);
});

days('a day whose refunds exceed its sales becomes a credit note with its refunds paid out of the tender accounts', async ({ world, key }) => {
  const jobs = await post(world, key, { ...base, shiftId: 'R-2', sales: [{ category: 'Food', gross: 11, tax: 1 }], refunds: [{ category: 'Food', gross: 55, tax: 5 }], tenders: [{ type: 'cash', amount: 11 }, { type: 'eftpos', amount: -55 }] });
  assert.equal(jobs.map((job) => job.kind), ['credit_note', 'payment']);
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 2 });
  assert.equal(await ledger(world, 'Invoice'), [], 'no invoice');
  const [note] = (await ledger(world, 'CreditNote')).map((doc) => doc.body);
  // The credit is the refunds less the sales, plus the cash taken, which goes to suspense.
  assert.equal(lines(note!), [['Food', -11, '200'], ['Food refunds', 55, '200'], ['Taken through cash on a refund day, to clear with a Receive Money entry', 11, '850']]);
  assert.equal([note!['Type'], note!['Total'], note!['TotalTax'], note!['RemainingCredit'], note!['Status']], ['ACCRECCREDIT', 55, 4, 0, 'PAID']);
  const [refund] = await paymentsOf(world);
  assert.equal([refund!['PaymentType'], (refund!['Account'] as Doc)['Code'], refund!['Amount']], ['ARCREDITPAYMENT', '615', 55]);
  await assertBodiesValidate(world);
});

days('cash-back (a negative tender) becomes a suspense line, not a negative payment; tips and gift cards go to their accounts', async ({ world, key }) => {
  const shift = {
    ...base,
    shiftId: 'R-3',
    sales: [{ category: 'Coffee', gross: 220, tax: 20 }],
    tips: 15,
    giftCards: { sold: 50, redeemed: 30 },
    tenders: [{ type: 'cash', amount: -40 }, { type: 'eftpos', amount: 295 }],
  };
  const jobs = await post(world, key, shift);
  assert.equal(jobs.map((job) => job.kind), ['invoice', 'payment'], 'one payment: the cash tender paid money out');
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 2 });
  const [invoice] = (await ledger(world, 'Invoice')).map((doc) => doc.body);
  assert.equal(lines(invoice!), [
    ['Coffee', 220, '200'],
    ['Tips', 15, '855'],
    ['Gift cards sold', 50, '856'],
    ['Gift cards redeemed', -30, '856'],
    ['Paid out through cash (cash-back), to clear with a Spend Money entry', 40, '850'],
  ]);
  assert.equal([invoice!['Total'], invoice!['AmountDue'], invoice!['Status']], [295, 0, 'PAID']);
  const payments = await paymentsOf(world);
  assert.equal(payments.map((p) => [(p['Account'] as Doc)['Code'], p['Amount']]), [['615', 295]]);
  assert.ok(payments.every((p) => Number(p['Amount']) > 0), 'no negative payment reached Xero');
  await assertBodiesValidate(world);
});

days('a shift with cash-back waits for the suspense account when none is mapped, naming it', async ({ world, key }) => {
  removeMapping(asCli(world.deps), world.organisationId, 'suspense', undefined);
  const response = await fetch(`${world.proxy.url}/api/v1/pos/shifts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...base, shiftId: 'R-4', sales: [{ category: 'Coffee', gross: 10, tax: 0.91 }], tenders: [{ type: 'cash', amount: -5 }, { type: 'eftpos', amount: 15 }] }),
  });
  const { jobs } = (await response.json()) as { jobs: Array<{ status: string; heldReason: string; missing: Array<{ kind: string; field: string }> }> };
  assert.is(jobs[0]!.status, 'held');
  assert.equal(jobs[0]!.missing.map((m) => [m.kind, m.field]), [['suspense', 'tenders[0].amount']]);
  assert.match(jobs[0]!.heldReason, 'the suspense account is not mapped yet');
});

days.run();
