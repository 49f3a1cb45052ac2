// `npm run bench`: every measurement in one run, printed as short tables. Not a test.
// The proxy is `xero-proxy serve`, the sandbox `xero-proxy sandbox` and bare Hono bench/bare.ts,
// each its own process; autocannon and the fetches of this file are the load.
//   npm run bench -- accept|delivery|hostile|scale   only one of them (default: all but scale)
//   --scale              adds the scale run (bench/scale.ts) to the default run
//   --json FILE          also writes every figure as JSON (keys in the README)
//   --cpu-prof           `serve` writes CPU profiles; their top functions by self time are printed
//   BENCH_SECONDS=5      seconds per accept measurement
//   BENCH_INVOICES=3000  invoices per delivery run (one of Xero's minutes at its ceiling)
//   BENCH_MINUTES=2,10   lengths of Xero's minute, in real seconds, one delivery run each
//   BENCH_PAYMENT_INVOICES=1000   invoices, each with its payment, of the calls-per-1,000 run
//   BENCH_EXE=path       the executable to run (default dist/xero-proxy, built when missing)
//   BENCH_PROXY=tsx      runs src/main.ts with tsx instead (profiles name the source files)
//   BENCH_KEEP=1         keeps each world's directory (logs, databases); one that failed is kept anyway
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { benchAccept } from './accept';
import { benchHostile } from './hostile';
import { benchDelivery, callsPer1000, type DeliveryFigures } from './delivery';
import { proxyCommand } from './processes';
import { topSelfTime } from './profile';
import { printAccept, printDelivery, printHostile, printProfile, printScale } from './report';
import { benchSandboxCall, type SandboxCallFigures } from './sandbox-call';
import { figuresJson, type Figures } from './figures';
import { loadScale } from './scale-entry';

const { values, positionals } = parseArgs({ options: { json: { type: 'string' }, scale: { type: 'boolean' }, 'cpu-prof': { type: 'boolean' } }, allowPositionals: true });
const only = positionals[0];
if (only !== undefined && !['accept', 'delivery', 'hostile', 'scale'].includes(only)) throw new Error(`npm run bench -- ${only}: choose accept, delivery, hostile or scale`);
const wants = (part: string) => only === part || (only === undefined && (part !== 'scale' || Boolean(values.scale)));

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const invoices = Number(process.env['BENCH_INVOICES'] ?? 3000);
const paymentInvoices = Number(process.env['BENCH_PAYMENT_INVOICES'] ?? 1000);
const minutes = (process.env['BENCH_MINUTES'] ?? '2,10').split(',').map((value) => Number(value) * 1000);
const command = proxyCommand();
const profileRoot = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'xero-bench-prof-')) : undefined;
const profiled: string[] = [];
const profileDir = (part: string) => {
  if (!profileRoot) return {};
  profiled.push(part);
  return { cpuProfDir: join(profileRoot, part) };
};

const started = performance.now();
console.log(`npm run bench: Node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString()}; the proxy is ${command.join(' ')}`);
const figures: Figures = {};
if (wants('accept')) {
  figures.accept = await benchAccept({ command, seconds, ...profileDir('accept') });
  printAccept(figures.accept);
}
if (wants('delivery')) {
  const runs: DeliveryFigures[] = [];
  let sandboxCall: SandboxCallFigures | undefined;
  for (const minuteMs of minutes) {
    const { figures: run, world } = await benchDelivery({ command, invoices, minuteMs, ...profileDir(`delivery-${minuteMs / 1000}s`) });
    runs.push(run);
    try {
      if (sandboxCall === undefined) sandboxCall = await benchSandboxCall(world, { minuteMs });
    } finally {
      await world.stop();
    }
  }
  const paid = await benchDelivery({ command, invoices: paymentInvoices, minuteMs: minutes[0]!, payments: true, ...profileDir('payments') });
  await paid.world.stop();
  figures.delivery = { runs, payments: paid.figures, ...(sandboxCall ? { sandboxCall } : {}) };
  printDelivery(figures.delivery);
  console.log(`\n   delivery.calls_per_1000 = ${callsPer1000(paid.figures).toFixed(1)} (goal: 41 or fewer)`);
}
if (wants('hostile')) {
  figures.hostile = await benchHostile();
  printHostile(figures.hostile);
}
if (wants('scale')) {
  const benchScale = await loadScale();
  if (benchScale) {
    figures.scale = await benchScale({ proxyCommand: command });
    printScale(figures.scale);
  } else console.log('\nscale: not measured (bench/scale.ts is not there)');
}
if (profileRoot) {
  for (const part of profiled) printProfile(part, join(profileRoot, part), topSelfTime(join(profileRoot, part)));
  console.log(`\nCPU profiles of serve: ${profileRoot}`);
}
if (values.json) {
  mkdirSync(join(values.json, '..'), { recursive: true });
  writeFileSync(values.json, JSON.stringify(figuresJson(figures), null, 2) + '\n');
  console.log(`\nfigures written to ${values.json}`);
}
console.log(`\nwhole run: ${((performance.now() - started) / 1000).toFixed(1)} s`);
