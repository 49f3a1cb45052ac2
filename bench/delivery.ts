// Delivery throughput in scaled time, across processes: invoices (and, when asked, a payment for
// each) accepted through the device API while `serve` is held to one Xero call a (real) minute, then
// `serve` started again paced to a minute of `minuteMs`, against a sandbox whose minute is as
// long, and timed until none of its jobs is queued or sending (its database, read-only). Xero's
// side is counted in the sandbox's own request log. Not a test: it measures.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { load, SALE } from './accept';
import { startBenchWorld, type BenchWorld } from './world';

/** Xero's ceiling for one organisation: 60 calls a minute, each writing at most 50 invoices. */
export const CEILING = { callsPerMinute: 60, invoicesPerCall: 50 } as const;
const CEILING_PER_MINUTE = CEILING.callsPerMinute * CEILING.invoicesPerCall;

export interface DeliveryFigures {
  invoices: number;
  /** Payments posted, one per invoice by its DocumentId (0 when not asked for). */
  payments: number;
  minuteMs: number;
  /** Real seconds to accept every document (over 10 connections). */
  acceptSeconds: number;
  /** Jobs still open when the paced `serve` started: all of them, unless accepting outlasted the held minute. */
  drained: number;
  /** Real seconds from the first Xero call of the paced `serve` to the last job settled. */
  deliverSeconds: number;
  delivered: number;
  /** Distinct proxy keys among the organisation's invoices in the sandbox: each job once. */
  inXero: number;
  /** API calls the sandbox answered for the documents (both phases), from its request log. */
  writes: number;
  lookups: number;
  rateLimitAnswers: number;
}

/** Delivered documents per scaled minute: the rate per real minute, had Xero's minute been real. */
export const perScaledMinute = (f: DeliveryFigures): number => f.drained / (f.deliverSeconds / (f.minuteMs / 1000));
/** The share of Xero's ceiling (60 calls × 50 invoices a minute) the run achieved. */
export const ofCeiling = (f: DeliveryFigures): number => perScaledMinute(f) / CEILING_PER_MINUTE;
/** Xero calls per 1,000 invoices (with their payments, when the run posted them). */
export const callsPer1000 = (f: DeliveryFigures): number => ((f.writes + f.lookups) * 1000) / f.invoices;

export interface DeliveryRun {
  figures: DeliveryFigures;
  /** The world, still running, for a measurement after the drain; the caller stops it. */
  world: BenchWorld;
}

export async function benchDelivery(options: { command: string[]; invoices: number; minuteMs: number; payments?: boolean; cpuProfDir?: string }): Promise<DeliveryRun> {
  const { invoices, minuteMs } = options;
  // Held while the documents come in: one call in Xero's real minute, so the drain is the paced run's.
  const held = { XERO_PROXY_XERO_RATE_LIMIT_PER_MINUTE: '1', XERO_PROXY_XERO_RATE_LIMIT_MINUTE_MS: '60000' };
  const world = await startBenchWorld({ command: options.command, minuteMs, proxyEnv: held });
  try {
    const proxyDb = new Database(world.proxyDb, { readonly: true });
    const sandboxDb = new Database(world.sandboxDb, { readonly: true });
    const lastLogId = () => sandboxDb.prepare('SELECT coalesce(max(id), 0) FROM request_log').pluck().get() as number;
    // One sale first, delivered by the held serve: it spends the held minute's one call, so none
    // of the documents below goes before the paced serve starts, and their calls alone are counted.
    await postOne(world, 'invoices', JSON.parse(SALE));
    const deliveredCount = proxyDb.prepare(`SELECT count(*) FROM jobs WHERE status = 'delivered'`).pluck();
    while ((deliveredCount.get() as number) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const logBefore = lastLogId();

    const acceptStarted = performance.now();
    const auth = { authorization: `Bearer ${world.apiKey}` };
    if (options.payments) await postSalesAndPayments(world, invoices);
    else {
      const accepted = await load(`${world.proxyUrl}/api/v1/invoices`, { connections: 10, amount: invoices, headers: auth });
      if (accepted.non2xx > 0) throw new Error(`${accepted.non2xx} posts were not accepted`);
    }
    const acceptSeconds = (performance.now() - acceptStarted) / 1000;

    const open = proxyDb.prepare(`SELECT count(*) FROM jobs WHERE status IN ('queued', 'sending')`).pluck();
    await world.proxy.stop();
    const drained = open.get() as number;
    const pacedFrom = lastLogId();
    // Only the paced serve is profiled: its profile is the delivery loop's.
    await world.restartProxy({}, options.cpuProfDir);
    const deadline = performance.now() + Math.max(40 * minuteMs, 180_000);
    while ((open.get() as number) > 0) {
      if (performance.now() > deadline) throw new Error(`${String(open.get())} jobs still open after the deadline; see ${world.dir}/serve.log`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const settledAt = Date.now();
    const firstCall = sandboxDb.prepare(`SELECT min(at) FROM request_log WHERE id > ? AND path LIKE '/api.xro/%'`).pluck().get(pacedFrom) as string | null;
    const deliverSeconds = firstCall ? (settledAt - Date.parse(firstCall)) / 1000 : 0;

    const delivered = (deliveredCount.get() as number) - 1;
    const invoicesInXero = sandboxDb
      .prepare(`SELECT count(DISTINCT reference) FROM documents WHERE organisation_id = ? AND type = 'Invoice' AND reference LIKE '%[XP-%'`)
      .pluck()
      .get(world.xeroOrganisationId) as number;
    const inXero = invoicesInXero - 1; // the first sale's
    const log = sandboxDb
      .prepare(
        `SELECT count(*) FILTER (WHERE method IN ('PUT', 'POST')) AS writes,
                count(*) FILTER (WHERE method = 'GET') AS lookups,
                count(*) FILTER (WHERE status = 429 OR problem LIKE 'rate limit exceeded%') AS rateLimitAnswers
         FROM request_log WHERE id > ? AND path LIKE '/api.xro/%'`,
      )
      .get(logBefore) as { writes: number; lookups: number; rateLimitAnswers: number };
    proxyDb.close();
    sandboxDb.close();
    return { figures: { invoices, payments: options.payments ? invoices : 0, minuteMs, acceptSeconds, drained, deliverSeconds, delivered, inXero, ...log }, world };
  } catch (error) {
    await world.stop(true);
    throw error;
  }
}

/** Each sale as a till sends it: the invoice with its DocumentId, then its payment naming it; 10 tills at once. */
async function postSalesAndPayments(world: BenchWorld, count: number): Promise<void> {
  const sale = (JSON.parse(SALE) as { Invoices: Array<Record<string, unknown>> }).Invoices[0]!;
  const post = (path: string, body: unknown) => postOne(world, path, body);
  let next = 0;
  const till = async () => {
    for (let i = next++; i < count; i = next++) {
      const documentId = `sale-${i}`;
      await post('invoices', { Invoices: [{ ...sale, DocumentId: documentId }] });
      await post('payments', { Payments: [{ Invoice: { DocumentId: documentId }, Account: { Code: '090' }, Date: '2026-11-28', Amount: 9, Reference: 'EFTPOS' }] });
    }
  };
  await Promise.all(Array.from({ length: 10 }, till));
}

async function postOne(world: BenchWorld, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${world.proxyUrl}/api/v1/${path}`, { method: 'POST', headers: { authorization: `Bearer ${world.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 202) throw new Error(`POST /api/v1/${path} answered ${response.status}: ${await response.text()}`);
}
