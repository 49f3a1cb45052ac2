import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rawRequest } from '../helpers/raw-http';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const limit = suite<{ sandbox: TestSandbox }>('sandbox body limit');

limit.before(async (context) => {
  context.sandbox = await startTestSandbox();
});
limit.after(async ({ sandbox }) => sandbox.stop());

limit('a body over Xero’s 3.5 MB is refused with 413 while it is read, declared or chunked', async ({ sandbox }) => {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  for (const chunked of [false, true]) {
    const answer = await rawRequest(sandbox.url, { method: 'POST', path: '/api.xro/2.0/Invoices', headers: { 'content-type': 'application/xml' }, repeat: { chunk, times: 4 }, chunked });
    assert.is(answer.status, 413, `chunked: ${chunked}`);
    assert.is(answer.text, 'Request Entity Too Large');
  }
  const control = await rawRequest(sandbox.url, { method: 'PUT', path: '/sandbox/faults', headers: { 'content-type': 'application/json' }, repeat: { chunk, times: 4 }, chunked: true });
  assert.is(control.status, 413);
  assert.is(JSON.parse(control.text).error.code, 'too_large');
});

limit.run();
