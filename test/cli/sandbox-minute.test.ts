import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnCli, waitForOutput } from '../helpers/cli';
import { freePort } from '../helpers/proxy';

const minute = suite('cli.sandbox-minute');

/** A custom connection's token for the sandbox's first organisation, got as its developer would. */
async function bearer(url: string): Promise<{ authorization: string; 'xero-tenant-id': string }> {
  const { organisations } = (await (await fetch(`${url}/sandbox/organisations`)).json()) as { organisations: Array<{ id: string }> };
  const tenant = organisations[0]!.id;
  const app = (await (await fetch(`${url}/sandbox/oauth2/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'custom_connection', tenant }) })).json()) as { clientId: string; clientSecret: string };
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const token = (await (await fetch(`${url}/connect/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })).json()) as { access_token: string };
  return { authorization: `Bearer ${token.access_token}`, 'xero-tenant-id': tenant };
}

minute('with sandbox.minute_ms = 1000, `xero-proxy sandbox` refuses the 61st call of a second for a second, then answers again', async () => {
  const port = await freePort();
  const child = spawnCli(['sandbox', '--port', String(port), '--memory'], { cwd: mkdtempSync(join(tmpdir(), 'xp-sandbox-minute-')), env: { XERO_PROXY_SANDBOX_MINUTE_MS: '1000', XERO_PROXY_SANDBOX_RATE_LIMIT_STATUS: '429' } });
  try {
    await waitForOutput(child, /Xero sandbox on/);
    const url = `http://127.0.0.1:${port}`;
    const headers = await bearer(url);
    // 60 calls a scaled minute: sent at once (5 in flight at most), some land over the limit.
    const statuses: Array<{ status: number; retryAfter: string | null; problem: string | null }> = [];
    while (!statuses.some((s) => s.problem === 'minute')) {
      const batch = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const answer = await fetch(`${url}/api.xro/2.0/Organisation`, { headers: { ...headers, accept: 'application/json' } });
          await answer.arrayBuffer();
          return { status: answer.status, retryAfter: answer.headers.get('retry-after'), problem: answer.headers.get('x-rate-limit-problem') };
        }),
      );
      statuses.push(...batch);
      assert.ok(statuses.length < 2000, 'a minute of 60 calls is reached');
    }
    assert.is(statuses.find((s) => s.problem === 'minute')!.retryAfter, '1');
    // The next scaled minute opens: with Xero's own it would be up to a minute away.
    let status = 429;
    while (status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await fetch(`${url}/api.xro/2.0/Organisation`, { headers: { ...headers, accept: 'application/json' } });
      await answer.arrayBuffer();
      status = answer.status;
    }
    assert.is(status, 200);
  } finally {
    child.kill('SIGTERM');
  }
});

minute.run();
