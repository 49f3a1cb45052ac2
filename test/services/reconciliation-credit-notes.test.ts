import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { reconcileDay } from '../../src/services/reconciliation';
import { runView } from '../../src/services/reconciliation-report';
import { findJob } from '../../src/store/jobs';
import { asCli } from '../helpers/actor';
import { control, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startOfNextUtcDay, startWorld, whileTimePasses } from '../helpers/linked';

const CAFE = DEMO_ORGANISATIONS[0]!;
const notes = suite<{ world: DeliveryWorld; key: string; stop: () => Promise<void> }>('services.reconciliation.credit-notes');

notes.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: CAFE.id, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'RETURNS-TILL');
  if (outcome.kind !== 'linked') throw new Error('not linked');
  const world: DeliveryWorld = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  const key = await collectKey(world, pairingId);
  // The day's deliveries and the person's changes stay in one UTC day, whatever the hour.
  await startOfNextUtcDay(world);
  Object.assign(context, { world, key, stop: () => linked.stop() });
});
notes.after.each(async ({ stop }) => stop());

const today = (world: DeliveryWorld) => world.clock.now().toISOString().slice(0, 10);
const reconcile = (world: DeliveryWorld) => whileTimePasses(world, reconcileDay(asCli({ ...world.deps, transport: fetch }), world.proxy.running.proxy.calls, world.organisationId, today(world), { trigger: 'cli' }));
const note = (id: string, status: string, amount: number) => ({
  DocumentId: id, Type: 'ACCRECCREDIT', Contact: { Name: 'Walk-in customer' }, Date: '2026-11-29', LineAmountTypes: 'Inclusive', Status: status,
  LineItems: [{ Description: 'Returned keep cup', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'OUTPUT' }],
});

notes('credit notes delivered through the device API reconcile clean; voided or deleted by a person in Xero, each is reported in plain words', async ({ world, key }) => {
  const response = await fetch(`${world.proxy.url}/api/v1/credit-notes`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ CreditNotes: [note('RET-1', 'AUTHORISED', 12.5), note('RET-2', 'DRAFT', 8)] }) });
  assert.is(response.status, 202, await response.clone().text());
  const ids = ((await response.json()) as { jobs: Array<{ id: string }> }).jobs.map((job) => job.id);
  await runUntilSettled(world);
  const [approved, draft] = ids.map((id) => findJob(world.deps.db, id)!);
  assert.equal([approved!.status, draft!.status], ['delivered', 'delivered']);

  const clean = await reconcile(world);
  assert.equal([clean.error, clean.state, clean.checked, clean.calls, clean.findings], [null, 'clean', 2, 1, []]);
  const log = (await control(world, 'GET', 'requests?limit=100')) as { requests: Array<{ method: string; path: string; query: string | null; status: number }> };
  const read = log.requests.find((request) => request.method === 'GET' && request.path === '/api.xro/2.0/CreditNotes');
  assert.equal([read?.query, read?.status], ['?page=1', 200]);

  // A person in Xero: an approved credit note is voided, not deleted; a draft one is deleted.
  await world.advance(3600);
  const refused = await fetch(`${world.sandbox.url}/sandbox/organisations/${CAFE.id}/credit-notes/${approved!.xeroId}/delete`, { method: 'POST' });
  assert.is(refused.status, 409);
  assert.is(((await refused.json()) as { error: { message: string } }).error.message, 'Credit Note not of valid status for modification');
  await control(world, 'POST', `organisations/${CAFE.id}/credit-notes/${approved!.xeroNumber ?? approved!.xeroId}/void`);
  await control(world, 'POST', `organisations/${CAFE.id}/credit-notes/${draft!.xeroId}/delete`);

  const found = await reconcile(world);
  assert.is(found.state, 'found');
  assert.equal(found.findings.map((f) => [f.kind, f.finding, f.jobId, f.expected]), [['credit_note', 'voided', approved!.id, 12.5], ['credit_note', 'deleted', draft!.id, 8]]);
  const [voided, deleted] = runView(world.deps, found, CAFE.name).findings.map((finding) => finding.words);
  const when = (finding: typeof found.findings[number]) => finding.xeroUpdatedAt!.slice(0, 16).replace('T', ' ');
  assert.is(voided!.sentence, `Credit note ${approved!.xeroNumber} (DocumentId RET-1, till RETURNS-TILL) was voided in Xero on ${when(found.findings[0]!)} UTC, after the proxy delivered it on ${approved!.deliveredAt!.slice(0, 16).replace('T', ' ')} UTC.`);
  assert.match(deleted!.sentence, /^Credit note \S+ \(DocumentId RET-2, till RETURNS-TILL\) was deleted in Xero on /);
  assert.match(voided!.action, 'Xero cannot un-void a document');
});

notes.run();
