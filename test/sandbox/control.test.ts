import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const control = suite<{ sb: TestSandbox }>('sandbox.control');

control.before(async (context) => {
  context.sb = await startTestSandbox();
});
control.after(async (context) => {
  await context.sb.stop();
});

control('lists the deterministic demo organisations', async ({ sb }) => {
  const response = await fetch(`${sb.url}/sandbox/organisations`);
  assert.is(response.status, 200);
  const body = (await response.json()) as { organisations: Array<{ id: string; name: string }> };
  assert.equal(
    body.organisations.map((org) => org.id),
    DEMO_ORGANISATIONS.map((org) => org.id),
  );
});

control('advances the clock and refuses to move it back', async ({ sb }) => {
  const before = (await (await fetch(`${sb.url}/sandbox/clock`)).json()) as { offsetSeconds: number };
  const moved = await fetch(`${sb.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 3600 }) });
  assert.is(moved.status, 200);
  const after = (await moved.json()) as { offsetSeconds: number };
  assert.is(after.offsetSeconds - before.offsetSeconds, 3600);
  const back = await fetch(`${sb.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: -5 }) });
  assert.is(back.status, 400);
  const error = (await back.json()) as { error: { code: string; message: string; field: string } };
  assert.is(error.error.code, 'invalid');
  assert.is(error.error.field, 'advanceSeconds');
});

control('validates faults and names the bad field', async ({ sb }) => {
  const bad = await fetch(`${sb.url}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRates: { '418': 0.5 } }) });
  assert.is(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, 'errorRates.418: only 500, 502, 503 and 504');
  const good = await fetch(`${sb.url}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRates: { '503': 0.2 }, latencyMs: 5 }) });
  assert.is(good.status, 200);
  assert.equal(((await good.json()) as { errorRates: unknown }).errorRates, { '503': 0.2 });
  const cleared = await fetch(`${sb.url}/sandbox/faults`, { method: 'DELETE' });
  assert.equal(((await cleared.json()) as { errorRates: unknown }).errorRates, {});
});

control.run();
