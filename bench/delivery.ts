// Delivery throughput in scaled time: invoices accepted through the device API, then drained by
// the real delivery loop into the sandbox over real sockets, with Xero's minute made to last
// `minuteMs` both in the sandbox's limit windows and in the proxy's pacer. Not a test: it measures.
import { performance } from 'node:perf_hooks';
import { DeliveryLoop } from '../src/queue/delivery-loop';
import { startRealTimeWorld } from '../test/helpers/real-time';
import { load } from './accept';

/** Xero's ceiling for one organisation: 60 calls a minute, each writing at most 50 invoices. */
export const CEILING = { callsPerMinute: 60, invoicesPerCall: 50 } as const;
const CEILING_PER_MINUTE = CEILING.callsPerMinute * CEILING.invoicesPerCall;

export interface DeliveryFigures {
  invoices: number;
  minuteMs: number;
  /** Real seconds to accept every invoice (single-invoice posts over 10 connections). */
  acceptSeconds: number;
  /** Real seconds from starting the loop to the last job settled. */
  deliverSeconds: number;
  delivered: number;
  /** Distinct proxy keys among the organisation's invoices in the sandbox: each job once. */
  inXero: number;
  /** Calls the sandbox answered during delivery, from its own request log. */
  writes: number;
  lookups: number;
  rateLimitAnswers: number;
  /** The loop's own count of the rate-limit answers it received. */
  rateLimitedSeen: number;
}

/** Delivered invoices per scaled minute: the rate per real minute, had Xero's minute been real. */
export const perScaledMinute = (f: DeliveryFigures): number => f.delivered / (f.deliverSeconds / (f.minuteMs / 1000));
/** The share of Xero's ceiling (60 calls × 50 invoices a minute) the run achieved. */
export const ofCeiling = (f: DeliveryFigures): number => perScaledMinute(f) / CEILING_PER_MINUTE;

/**
 * Accepts `invoices` single-invoice posts for one organisation (Xero's standard limits in the
 * sandbox, the standard profile in the proxy), then starts a delivery loop paced to the same
 * scaled minute and times it until no job is queued or sending.
 */
export async function benchDelivery(options: { invoices: number; minuteMs: number }): Promise<DeliveryFigures> {
  const { invoices, minuteMs } = options;
  const world = await startRealTimeWorld({ minuteMs, limits: { perMinute: 60, perDay: 5000, concurrency: 5 } });
  const { deps, calls, db } = world.proxy.running.proxy;
  const sandboxDb = world.sandbox.sandbox.deps.db;
  let loop: DeliveryLoop | undefined;
  try {
    const acceptStarted = performance.now();
    const accepted = await load(`${world.proxy.url}/api/v1/invoices`, { connections: 10, amount: invoices, headers: { authorization: `Bearer ${world.apiKey}` } });
    const acceptSeconds = (performance.now() - acceptStarted) / 1000;
    if (accepted.non2xx > 0) throw new Error(`${accepted.non2xx} posts were not accepted`);

    const logBefore = sandboxDb.prepare('SELECT coalesce(max(id), 0) FROM request_log').pluck().get() as number;
    const open = db.prepare(`SELECT count(*) FROM jobs WHERE status IN ('queued', 'sending')`).pluck();
    loop = new DeliveryLoop(deps, calls);
    const started = performance.now();
    loop.start();
    // Twenty scaled minutes, or two real minutes if longer: ample for one minute's worth of work.
    const deadline = started + Math.max(20 * minuteMs, 120_000);
    while ((open.get() as number) > 0) {
      if (performance.now() > deadline) throw new Error(`${String(open.get())} jobs still open after the deadline`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const deliverSeconds = (performance.now() - started) / 1000;

    const delivered = db.prepare(`SELECT count(*) FROM jobs WHERE status = 'delivered'`).pluck().get() as number;
    const inXero = sandboxDb
      .prepare(`SELECT count(DISTINCT reference) FROM documents WHERE organisation_id = ? AND type = 'Invoice' AND reference LIKE '%[XP-%'`)
      .pluck()
      .get(world.xeroOrganisationId) as number;
    const log = sandboxDb
      .prepare(
        `SELECT count(*) FILTER (WHERE method IN ('PUT', 'POST')) AS writes,
                count(*) FILTER (WHERE method = 'GET') AS lookups,
                count(*) FILTER (WHERE problem LIKE 'rate limit exceeded%') AS rateLimitAnswers
         FROM request_log WHERE id > ? AND organisation_id = ?`,
      )
      .get(logBefore, world.xeroOrganisationId) as { writes: number; lookups: number; rateLimitAnswers: number };
    return { invoices, minuteMs, acceptSeconds, deliverSeconds, delivered, inXero, ...log, rateLimitedSeen: loop.stats.rateLimited };
  } finally {
    await loop?.stop(5_000);
    await world.stop();
  }
}
