// Durable accept throughput: single-invoice POST /api/v1/invoices (validated, committed with
// synchronous=FULL before the 202) at 10 and 50 connections, beside a bare Hono endpoint that
// reads the same body and answers 202, measured in the same run. Not a test: it prints figures.
//   npm run bench            (BENCH_SECONDS=5 by default)
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { startServer } from '../src/server/listen';
import { collectKey, pairAndLink, startWorld } from '../test/helpers/linked';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const invoice = JSON.stringify({
  Invoices: [
    {
      Type: 'ACCREC',
      Contact: { Name: 'Walk-in customer' },
      Date: '2026-11-28',
      LineAmountTypes: 'Inclusive',
      Reference: 'Table 4',
      Status: 'AUTHORISED',
      LineItems: [{ Description: 'Flat white', Quantity: 2, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' }],
    },
  ],
});

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, connections: number, headers: Record<string, string>): Promise<Figures> {
  const result = await autocannon({ url, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json', ...headers }, body: invoice });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

const world = await startWorld('private', {});
const { pairingId } = await pairAndLink(world, 'BENCH-TILL');
const key = await collectKey(world, pairingId);
const bare = new Hono();
bare.post('/x', async (c) => {
  await c.req.text();
  return c.json({ accepted: true }, 202);
});
const bareServer = await startServer(bare.fetch, { host: '127.0.0.1', port: 0 });

const rows: string[] = [];
for (const connections of [10, 50]) {
  const baseline = await load(`${bareServer.url}/x`, connections, {});
  const proxy = await load(`${world.proxy.url}/api/v1/invoices`, connections, { authorization: `Bearer ${key}` });
  rows.push(
    `${String(connections).padStart(11)}  ${fmt(proxy.requestsPerSecond)}  ${fmt(proxy.p50)}  ${fmt(proxy.p99)}  ${fmt(baseline.requestsPerSecond)}  ${fmt(baseline.p50)}  ${fmt(baseline.p99)}  ${(proxy.requestsPerSecond / baseline.requestsPerSecond).toFixed(3).padStart(7)}  ${proxy.non2xx}`,
  );
}
const jobs = world.proxy.running.proxy.db.prepare('SELECT count(*) FROM jobs').pluck().get();
console.log(`durable accept, single-invoice posts, ${seconds} s each (this machine: 2 cores)`);
console.log('connections  proxy req/s  p50 ms  p99 ms   bare req/s  p50 ms  p99 ms    ratio  proxy non-2xx');
for (const row of rows) console.log(row);
console.log(`jobs committed: ${jobs}`);
await bareServer.close(1000);
await world.stop();

function fmt(value: number): string {
  return value.toFixed(1).padStart(10);
}
