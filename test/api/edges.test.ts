import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestProxy, type TestProxy } from '../helpers/proxy';

const TILL = 'https://till.harbourside.test';

const edges = suite<{ proxy: TestProxy }>('api.edges');

edges.before(async (context) => {
  context.proxy = await startTestProxy({ env: { XERO_PROXY_API_CORS_ORIGINS: `${TILL} http://192.168.1.20:3000` } });
});
edges.after(async ({ proxy }) => proxy.stop());

edges('a wrong method on a known endpoint answers 405 method_not_allowed with Allow, in JSON', async ({ proxy }) => {
  const response = await fetch(`${proxy.url}/api/v1/invoices`, { method: 'GET', headers: { accept: 'application/json' } });
  assert.is(response.status, 405);
  assert.is(response.headers.get('allow'), 'POST, OPTIONS');
  assert.equal(await response.json(), { error: { code: 'method_not_allowed', message: '/api/v1/invoices does not take GET; it takes POST, OPTIONS.' } });
  const jobs = await fetch(`${proxy.url}/api/v1/jobs/job_123`, { method: 'DELETE' });
  assert.is(jobs.status, 405);
  assert.is(jobs.headers.get('allow'), 'GET, HEAD, OPTIONS');
});

edges('a wrong method answers in XML when the device speaks XML', async ({ proxy }) => {
  const response = await fetch(`${proxy.url}/api/v1/status`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<Status/>' });
  assert.is(response.status, 405);
  assert.is(response.headers.get('allow'), 'GET, HEAD, OPTIONS');
  assert.match(response.headers.get('content-type')!, 'application/xml');
  assert.match(await response.text(), '<code>method_not_allowed</code>');
});

edges('an unknown route is still 404 not_found, and the pass-through takes every method it documents', async ({ proxy }) => {
  const missing = await fetch(`${proxy.url}/api/v1/nowhere`, { method: 'PATCH' });
  assert.is(missing.status, 404);
  assert.equal(await missing.json(), { error: { code: 'not_found', message: 'There is no API endpoint PATCH /api/v1/nowhere.' } });
  // No key: the pass-through answers 401 for any method rather than 405.
  assert.is((await fetch(`${proxy.url}/api/v1/xero/api.xro/2.0/Accounts`, { method: 'DELETE' })).status, 401);
});

edges('a named origin gets its preflight answered and may read the answers, without credentials', async ({ proxy }) => {
  const preflight = await fetch(`${proxy.url}/api/v1/invoices`, {
    method: 'OPTIONS',
    headers: { origin: TILL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
  });
  assert.is(preflight.status, 204);
  assert.is(preflight.headers.get('access-control-allow-origin'), TILL);
  assert.match(preflight.headers.get('access-control-allow-methods')!, 'POST');
  assert.match(preflight.headers.get('access-control-allow-headers')!.toLowerCase(), 'authorization');
  assert.match(preflight.headers.get('access-control-allow-headers')!.toLowerCase(), 'idempotency-key');
  assert.is(preflight.headers.get('access-control-allow-credentials'), null);
  const status = await fetch(`${proxy.url}/api/v1/status`, { headers: { origin: TILL } });
  assert.is(status.status, 401);
  assert.is(status.headers.get('access-control-allow-origin'), TILL);
  assert.match(status.headers.get('vary') ?? '', /origin/i);
  assert.match(status.headers.get('access-control-expose-headers')!, 'Location');
});

edges('an origin not named gets no CORS headers, so its browser refuses to read the answer', async ({ proxy }) => {
  for (const origin of ['https://evil.test', 'https://till.harbourside.test.evil.test', 'null']) {
    const preflight = await fetch(`${proxy.url}/api/v1/invoices`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.is(preflight.headers.get('access-control-allow-origin'), null, origin);
    const answer = await fetch(`${proxy.url}/api/v1/status`, { headers: { origin } });
    assert.is(answer.headers.get('access-control-allow-origin'), null, origin);
  }
});

edges.run();

const closed = suite('api.edges without cors_origins');

closed('by default no origin is allowed and a preflight is a 405 naming the methods', async () => {
  const proxy = await startTestProxy();
  try {
    const preflight = await fetch(`${proxy.url}/api/v1/invoices`, { method: 'OPTIONS', headers: { origin: TILL, 'access-control-request-method': 'POST' } });
    assert.is(preflight.headers.get('access-control-allow-origin'), null);
    assert.is(preflight.status, 405);
  } finally {
    await proxy.stop();
  }
});

closed.run();
