// `npm run bench`: every measurement in one run, printed as short tables. Not a test.
//   BENCH_SECONDS=5        seconds per accept measurement
//   BENCH_INVOICES=3000    invoices per delivery run (one of Xero's minutes at its ceiling)
//   BENCH_MINUTES=2,10     lengths of Xero's minute, in real seconds, one delivery run each
//   npm run bench -- accept|delivery|hostile   only one of them
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchAccept, type AcceptFigures } from './accept';
import { benchHostile, type HostileFigures } from './hostile';
import { benchDelivery, CEILING, ofCeiling, perScaledMinute, type DeliveryFigures } from './delivery';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const invoices = Number(process.env['BENCH_INVOICES'] ?? 3000);
const minutes = (process.env['BENCH_MINUTES'] ?? '2,10').split(',').map((value) => Number(value) * 1000);
const only = process.argv[2];

const started = performance.now();
console.log(`npm run bench: Node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString()}`);
if (only === undefined || only === 'accept') printAccept(await benchAccept(seconds));
if (only === undefined || only === 'delivery') {
  const runs: DeliveryFigures[] = [];
  for (const minuteMs of minutes) runs.push(await benchDelivery({ invoices, minuteMs }));
  printDelivery(runs);
}
if (only === undefined || only === 'hostile') printHostile(await benchHostile());
console.log(`\nwhole run: ${((performance.now() - started) / 1000).toFixed(1)} s`);

function printAccept(figures: AcceptFigures): void {
  console.log(`\n1. Durable accept: single-invoice POST /api/v1/invoices, ${figures.seconds} s per cell, beside bare Hono`);
  console.log('connections  proxy req/s  p50 ms  p99 ms  bare req/s  p50 ms  p99 ms  ratio  proxy non-2xx');
  for (const { connections, proxy, bare } of figures.rows) {
    console.log(
      [pad(connections, 11), pad(proxy.requestsPerSecond.toFixed(0), 11), pad(proxy.p50, 6), pad(proxy.p99, 6), pad(bare.requestsPerSecond.toFixed(0), 10), pad(bare.p50, 6), pad(bare.p99, 6), pad((proxy.requestsPerSecond / bare.requestsPerSecond).toFixed(3), 5), pad(proxy.non2xx, 13)].join('  '),
    );
  }
  console.log(`jobs committed: ${figures.jobsCommitted}`);
}

function printDelivery(runs: DeliveryFigures[]): void {
  const ceiling = CEILING.callsPerMinute * CEILING.invoicesPerCall;
  console.log(`\n2. Delivery: ${invoices} invoices to one organisation, accepted first, then drained by the delivery loop into the sandbox`);
  console.log(`   Xero's minute scaled in the sandbox's limits and the proxy's pacer alike; ceiling ${CEILING.callsPerMinute} calls x ${CEILING.invoicesPerCall} = ${ceiling} invoices a minute`);
  console.log('minute  accepted in  delivered in  paced gap  ms/call  invoices/min  of ceiling  rate-limit answers  delivered  in Xero');
  for (const run of runs) {
    console.log(
      [
        pad(`${run.minuteMs / 1000} s`, 6),
        pad(`${run.acceptSeconds.toFixed(1)} s`, 11),
        pad(`${run.deliverSeconds.toFixed(2)} s`, 12),
        pad((run.minuteMs / CEILING.callsPerMinute).toFixed(0), 9),
        pad(((run.deliverSeconds * 1000) / Math.max(1, run.writes + run.lookups)).toFixed(0), 7),
        pad(perScaledMinute(run).toFixed(0), 12),
        pad(`${(ofCeiling(run) * 100).toFixed(1)} %`, 10),
        pad(`${run.rateLimitAnswers} (loop saw ${run.rateLimitedSeen})`, 18),
        pad(run.delivered, 9),
        pad(run.inXero, 7),
      ].join('  '),
    );
  }
  console.log('   invoices/min: per scaled minute, i.e. per real minute had Xero\'s minute been real.');
  console.log('   paced gap: the pacer\'s ms between calls (a minute / 60); ms/call: real ms per call in the run. When ms/call is');
  console.log('   near the gap the pacer binds; when above it, the proxy and sandbox\'s own time per 50-invoice call does.');
  console.log(`\n3. Xero calls per 1,000 invoices (counted in the sandbox's request log; the floor is ${1000 / CEILING.invoicesPerCall} writes)`);
  console.log('minute  writes  look-ups  writes/1,000  look-ups/1,000');
  for (const run of runs) {
    console.log([pad(`${run.minuteMs / 1000} s`, 6), pad(run.writes, 6), pad(run.lookups, 8), pad(((run.writes * 1000) / run.delivered).toFixed(1), 12), pad(((run.lookups * 1000) / run.delivered).toFixed(1), 14)].join('  '));
  }
}

function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

function printHostile(figures: HostileFigures): void {
  console.log(`\n4. Hostile input: ${figures.bodies} hostile 1 MB JSON and XML bodies posted at once, /healthz asked over and over meanwhile (the clients in child processes)`);
  console.log(`/healthz answered in at most ${figures.healthzMs.toFixed(0)} ms (${figures.healthzAnswers} answers); the event loop was held for at most ${figures.maxBlockMs.toFixed(0)} ms (${(figures.maxBlockMs / figures.idleMaxBlockMs).toFixed(1)} x its ${figures.idleMaxBlockMs.toFixed(0)} ms with no bodies sent; CPU between two turns at most ${figures.maxBlockCpuMs.toFixed(0)} ms, ${figures.idleMaxBlockCpuMs.toFixed(0)} ms with none); ${figures.refused} of ${figures.bodies} refused with 400 or 413`);
  console.log(`a 50-invoice batch of 100 lines as XML and as JSON: ${figures.batchAccepted} of 2 accepted, the event loop held for at most ${figures.batchMaxBlockMs.toFixed(0)} ms (CPU between two turns ${figures.batchMaxBlockCpuMs.toFixed(0)} ms)`);
  console.log(`the scan itself: ${figures.scanXmlMsPerMb.toFixed(1)} ms per MB of XML, ${figures.scanJsonMsPerMb.toFixed(1)} ms per MB of JSON, read to the end`);
}
