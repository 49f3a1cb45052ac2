// Durable accept throughput: single-invoice POST /api/v1/invoices (validated, committed with
// synchronous=FULL before the 202) at 10 and 50 connections, beside a bare Hono endpoint that
// reads the same body and answers 202, measured in the same run. Not a test: it measures.
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { startServer } from '../src/server/listen';
import { collectKey, pairAndLink, startWorld } from '../test/helpers/linked';

/** One single-invoice post, as a till sends a sale. */
export const SALE = JSON.stringify({
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

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** One row: the proxy and bare Hono at the same number of connections. */
export interface AcceptRow {
  connections: number;
  proxy: LoadFigures;
  bare: LoadFigures;
}

export interface AcceptFigures {
  seconds: number;
  rows: AcceptRow[];
  jobsCommitted: number;
}

/** Posts `SALE` to `url` over `connections` for `seconds`, or `amount` requests in all when given. */
export async function load(url: string, options: { connections: number; seconds?: number; amount?: number; headers?: Record<string, string> }): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 5 } : { amount: options.amount }),
    headers: { 'content-type': 'application/json', ...options.headers },
    body: SALE,
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/** Measures accepts at 10 and 50 connections for `seconds` each, proxy and bare Hono alternately. */
export async function benchAccept(seconds: number): Promise<AcceptFigures> {
  const world = await startWorld('private', {});
  const bare = new Hono();
  bare.post('/x', async (c) => {
    await c.req.text();
    return c.json({ accepted: true }, 202);
  });
  const bareServer = await startServer(bare.fetch, { host: '127.0.0.1', port: 0 });
  try {
    const { pairingId } = await pairAndLink(world, 'BENCH-TILL');
    const key = await collectKey(world, pairingId);
    const rows: AcceptRow[] = [];
    for (const connections of [10, 50]) {
      const baseline = await load(`${bareServer.url}/x`, { connections, seconds });
      const proxy = await load(`${world.proxy.url}/api/v1/invoices`, { connections, seconds, headers: { authorization: `Bearer ${key}` } });
      rows.push({ connections, proxy, bare: baseline });
    }
    const jobsCommitted = world.proxy.running.proxy.db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
    return { seconds, rows, jobsCommitted };
  } finally {
    await bareServer.close(1000);
    await world.stop();
  }
}
