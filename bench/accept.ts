// Durable accept throughput: single-invoice POST /api/v1/invoices (validated, committed with
// synchronous=FULL before the 202) to `xero-proxy serve` at 10 and 50 connections, beside a bare
// Hono process that reads the same body and answers 202, measured alternately in the same run.
// autocannon runs here, in the bench's process; the proxy and the baseline each in their own.
// The proxy runs as shipped: its delivery loop sends what it accepts to the sandbox meanwhile.
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { freePort, startChild, tsxCommand, untilAnswers } from './processes';
import { startBenchWorld } from './world';

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

/** Posts `body` (default `SALE`) to `url` over `connections` for `seconds`, or `amount` requests in all when given. */
export async function load(url: string, options: { connections: number; seconds?: number; amount?: number; headers?: Record<string, string>; body?: string }): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 5 } : { amount: options.amount }),
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body ?? SALE,
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/** Starts bare Hono (bench/bare.ts) as its own process; its URL and a stop. */
export async function startBare(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = startChild('bare Hono', tsxCommand('bare.ts'), { env: { BENCH_BARE_PORT: String(port) }, logPath: join(dir, 'bare.log') });
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilAnswers(child, `${url}/healthz`);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, stop: () => child.stop() };
}

/** Measures accepts at 10 and 50 connections for `seconds` each, bare Hono then the proxy. */
export async function benchAccept(options: { command: string[]; seconds: number; cpuProfDir?: string }): Promise<AcceptFigures> {
  const world = await startBenchWorld({ command: options.command, minuteMs: 60_000, ...(options.cpuProfDir ? { cpuProfDir: options.cpuProfDir } : {}) });
  try {
    const bare = await startBare(world.dir);
    const rows: AcceptRow[] = [];
    try {
      for (const connections of [10, 50]) {
        const baseline = await load(`${bare.url}/x`, { connections, seconds: options.seconds });
        const proxy = await load(`${world.proxyUrl}/api/v1/invoices`, { connections, seconds: options.seconds, headers: { authorization: `Bearer ${world.apiKey}` } });
        rows.push({ connections, proxy, bare: baseline });
      }
    } finally {
      await bare.stop();
    }
    const db = new Database(world.proxyDb, { readonly: true });
    const jobsCommitted = db.prepare('SELECT count(*) FROM jobs').pluck().get() as number;
    db.close();
    await world.stop();
    return { seconds: options.seconds, rows, jobsCommitted };
  } catch (error) {
    await world.stop(true);
    throw error;
  }
}
