// The bench's tables: each figure absolute and beside its baseline of the same run (bare Hono
// for accepts, Xero's ceiling for delivery, the floor of 20 writes per 1,000 invoices for calls).
import type { AcceptFigures } from './accept';
import { CEILING, callsPer1000, ofCeiling, perScaledMinute } from './delivery';
import type { Figures } from './figures';
import type { HostileFigures } from './hostile';
import type { SelfTime } from './profile';
import type { ScaleFigures } from './scale-entry';

const pad = (value: string | number, width: number): string => String(value).padStart(width);

export function printAccept(figures: AcceptFigures): void {
  console.log(`\n1. Durable accept: single-invoice POST /api/v1/invoices to serve, ${figures.seconds} s per cell, beside bare Hono (its own process)`);
  console.log('connections  proxy req/s  p50 ms  p99 ms  bare req/s  p50 ms  p99 ms  ratio  proxy non-2xx');
  for (const { connections, proxy, bare } of figures.rows) {
    console.log(
      [pad(connections, 11), pad(proxy.requestsPerSecond.toFixed(0), 11), pad(proxy.p50, 6), pad(proxy.p99, 6), pad(bare.requestsPerSecond.toFixed(0), 10), pad(bare.p50, 6), pad(bare.p99, 6), pad((proxy.requestsPerSecond / bare.requestsPerSecond).toFixed(3), 5), pad(proxy.non2xx, 13)].join('  '),
    );
  }
  console.log(`jobs committed: ${figures.jobsCommitted} (serve delivered them meanwhile, at Xero's real minute)`);
}

export function printDelivery({ runs, payments, sandboxCall }: NonNullable<Figures['delivery']>): void {
  const ceiling = CEILING.callsPerMinute * CEILING.invoicesPerCall;
  const invoices = runs[0]?.invoices ?? 0;
  console.log(`\n2. Delivery: ${invoices} invoices accepted while serve was held, then drained by a serve paced to the scaled minute`);
  console.log(`   Xero's minute scaled in the sandbox (sandbox.minute_ms) and serve (xero.rate_limit.minute_ms) alike; ceiling ${CEILING.callsPerMinute} calls x ${CEILING.invoicesPerCall} = ${ceiling} invoices a minute`);
  console.log('minute  accepted in  drained  delivered in  paced gap  ms/call  invoices/min  of ceiling  rate-limit answers  delivered  in Xero');
  for (const run of runs) {
    console.log(
      [
        pad(`${run.minuteMs / 1000} s`, 6),
        pad(`${run.acceptSeconds.toFixed(1)} s`, 11),
        pad(run.drained, 7),
        pad(`${run.deliverSeconds.toFixed(2)} s`, 12),
        pad((run.minuteMs / CEILING.callsPerMinute).toFixed(0), 9),
        pad(((run.deliverSeconds * 1000) / Math.max(1, run.writes + run.lookups)).toFixed(0), 7),
        pad(perScaledMinute(run).toFixed(0), 12),
        pad(`${(ofCeiling(run) * 100).toFixed(1)} %`, 10),
        pad(run.rateLimitAnswers, 18),
        pad(run.delivered, 9),
        pad(run.inXero, 7),
      ].join('  '),
    );
  }
  console.log('   delivered in: from the paced serve\'s first Xero call to the last job settled; drained: the jobs still open then.');
  console.log('   paced gap: the pacer\'s ms between calls (a minute / 60); ms/call: real ms per call. When ms/call is near the gap');
  console.log('   the pacer binds; when above it, the proxy\'s and sandbox\'s own time per 50-invoice call does.');
  const first = runs[0];
  if (sandboxCall && first) {
    const share = sandboxCall.msPerCallMedian / ((first.deliverSeconds * 1000) / Math.max(1, first.writes + first.lookups));
    console.log(
      `   the sandbox alone: ${sandboxCall.msPerCallMedian.toFixed(1)} ms per ${sandboxCall.invoicesPerCall}-invoice call (median; mean ${sandboxCall.msPerCallMean.toFixed(1)}; ${(share * 100).toFixed(0)} % of the ${first.minuteMs / 1000} s run's ms/call) over ${sandboxCall.calls} calls sent straight to it, ${sandboxCall.refused} refused`,
    );
  }
  console.log(`\n3. Xero calls (the sandbox's request log; the floor is ${1000 / CEILING.invoicesPerCall} writes per 1,000 invoices, ${(2 * 1000) / CEILING.invoicesPerCall} with their payments)`);
  console.log('run                       writes  look-ups  rate-limit answers  calls per 1,000 invoices');
  for (const run of [...runs, payments]) {
    const name = run.payments > 0 ? `${run.invoices} invoices + payments` : `${run.invoices} invoices, ${run.minuteMs / 1000} s`;
    console.log([name.padEnd(24), pad(run.writes, 6), pad(run.lookups, 8), pad(run.rateLimitAnswers, 18), pad(callsPer1000(run).toFixed(1), 24)].join('  '));
  }
}

export function printHostile(figures: HostileFigures): void {
  console.log(`\n4. Hostile input: ${figures.bodies} hostile 1 MB JSON and XML bodies posted at once, /healthz asked over and over meanwhile (the clients in child processes)`);
  console.log(`/healthz answered in at most ${figures.healthzMs.toFixed(0)} ms (${figures.healthzAnswers} answers); the event loop was held for at most ${figures.maxBlockMs.toFixed(0)} ms (${(figures.maxBlockMs / figures.idleMaxBlockMs).toFixed(1)} x its ${figures.idleMaxBlockMs.toFixed(0)} ms with no bodies sent; CPU between two turns at most ${figures.maxBlockCpuMs.toFixed(0)} ms, ${figures.idleMaxBlockCpuMs.toFixed(0)} ms with none); ${figures.refused} of ${figures.bodies} refused with 400 or 413`);
  console.log(`a 50-invoice batch of 100 lines as XML and as JSON: ${figures.batchAccepted} of 2 accepted, the event loop held for at most ${figures.batchMaxBlockMs.toFixed(0)} ms (CPU between two turns ${figures.batchMaxBlockCpuMs.toFixed(0)} ms)`);
  console.log(`the scan itself: ${figures.scanXmlMsPerMb.toFixed(1)} ms per MB of XML, ${figures.scanJsonMsPerMb.toFixed(1)} ms per MB of JSON, read to the end`);
}

export function printScale(figures: ScaleFigures): void {
  console.log(`\n5. Scale: ${figures.orgs} organisations x ${figures.devices / Math.max(1, figures.orgs)} devices in one serve`);
  console.log(`idle RSS ${figures.rssMb.toFixed(0)} MB; overview ${figures.overviewMs.toFixed(0)} ms; /documents ${figures.documentsMs.toFixed(0)} ms; token sweep at most ${figures.sweepMaxPerS} refreshes a second`);
}

export function printProfile(part: string, dir: string, top: SelfTime[] | undefined): void {
  if (top === undefined) {
    console.log(`\nCPU profile of serve (${part}): none in ${dir} (the executable may not honour NODE_OPTIONS=--cpu-prof; try BENCH_PROXY=tsx)`);
    return;
  }
  console.log(`\nCPU profile of serve (${part}): top functions by self time`);
  for (const row of top) console.log(`${pad(row.ms.toFixed(0), 7)} ms  ${pad((row.share * 100).toFixed(1), 5)} %  ${row.function}`);
}
