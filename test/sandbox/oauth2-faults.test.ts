import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { bearerFetch, linkWebApp, registerOAuth2App, type TestOAuth2App } from '../helpers/oauth2-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const HARBOURSIDE = DEMO_ORGANISATIONS[0]!;

const faults = suite<{ sb: TestSandbox; web: TestOAuth2App; token: string }>('oauth2.faults');

faults.before(async (context) => {
  context.sb = await startTestSandbox();
  context.web = await registerOAuth2App(context.sb, { type: 'web' });
  context.token = (await linkWebApp(context.sb, context.web, [HARBOURSIDE.id]))['access_token'] as string;
});
faults.after.each(async ({ sb }) => {
  await fetch(`${sb.url}/sandbox/faults`, { method: 'DELETE' });
});
faults.after(async (context) => {
  await context.sb.stop();
});

const setFaults = (sb: TestSandbox, body: Record<string, unknown>) => fetch(`${sb.url}/sandbox/faults`, { method: 'PUT', body: JSON.stringify(body) });
const invoice = (reference: string) =>
  JSON.stringify({ Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, Reference: reference, LineItems: [{ Description: 'Tea', Quantity: 1, UnitAmount: 4, AccountCode: '200', TaxType: 'OUTPUT' }] }] });
const putInvoice = (sb: TestSandbox, token: string, reference: string, key: string) =>
  bearerFetch(sb, '/api.xro/2.0/Invoices', token, HARBOURSIDE.id, { method: 'PUT', body: invoice(reference), headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key } });
const invoicesWith = async (sb: TestSandbox, reference: string): Promise<number> => {
  const ledger = (await (await fetch(`${sb.url}/sandbox/ledger?organisationId=${HARBOURSIDE.id}&type=Invoice`)).json()) as { documents: Array<{ reference: string }> };
  return ledger.documents.filter((doc) => doc.reference === reference).length;
};

/** Polls the sandbox store until the first request has claimed `key` (a deadline, not a fixed sleep). */
async function waitForInFlightKey(sb: TestSandbox, key: string): Promise<void> {
  const deadline = Date.now() + 5000;
  const find = sb.sandbox.deps.db.prepare("SELECT 1 FROM oauth2_idempotency_keys WHERE key = ? AND state = 'in_flight'");
  while (!find.get(key)) {
    if (Date.now() > deadline) throw new Error(`the key ${key} was never claimed`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

faults('a write whose answer was dropped after commit is replayed, not repeated, when retried with its key', async ({ sb, token }) => {
  await setFaults(sb, { dropAfterCommitRate: 1 });
  const lost = await putInvoice(sb, token, 'DROPPED-1', 'key-dropped-1').then(
    () => 'answered',
    () => 'dropped',
  );
  assert.is(lost, 'dropped');
  await fetch(`${sb.url}/sandbox/faults`, { method: 'DELETE' });
  const retried = await putInvoice(sb, token, 'DROPPED-1', 'key-dropped-1');
  assert.is(retried.status, 200);
  assert.is(retried.headers.get('idempotent-replayed'), 'true');
  assert.is(await invoicesWith(sb, 'DROPPED-1'), 1);
});

faults('the same key while the first request is still running is 409', async ({ sb, token }) => {
  await setFaults(sb, { latencyMs: 1500 });
  const first = putInvoice(sb, token, 'SLOW-1', 'key-slow-1');
  await waitForInFlightKey(sb, 'key-slow-1');
  const second = await putInvoice(sb, token, 'SLOW-1', 'key-slow-1');
  assert.is(second.status, 409);
  assert.match(String(((await second.json()) as Record<string, unknown>)['Detail']), /still being processed/);
  assert.is((await first).status, 200);
  const third = await putInvoice(sb, token, 'SLOW-1', 'key-slow-1');
  assert.is(third.headers.get('idempotent-replayed'), 'true');
  assert.is(await invoicesWith(sb, 'SLOW-1'), 1);
});

faults('more than 5 Bearer calls in flight for one tenant: 429 concurrent, without Retry-After', async ({ sb, token }) => {
  await setFaults(sb, { latencyMs: 1500 });
  const responses = await Promise.all(Array.from({ length: 7 }, () => bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE.id)));
  const refused = responses.filter((response) => response.status === 429);
  assert.is(responses.filter((response) => response.status === 200).length, 5);
  assert.is(refused.length, 2);
  for (const response of refused) {
    assert.is(response.headers.get('x-rate-limit-problem'), 'concurrent');
    assert.is(response.headers.get('retry-after'), null);
  }
});

faults.run();
