// Hostile bodies: twenty 1 MB bodies a misbehaving till might send (XML deep, wide, entity-laden;
// JSON deep, wide), posted at once while /healthz is asked over and over; then the largest real
// batch (50 invoices of 100 lines, as XML and as JSON). The figures are the longest the proxy's
// event loop was held (perf_hooks.monitorEventLoopDelay), the slowest /healthz answer, and what
// the scan of a body costs. Not a test: it measures.
//
// The proxy runs in this process, so its event loop is the one measured. The clients run in two
// child processes, one building and writing the 20 MB of bodies, one timing /healthz: in this
// process their work would be counted as the proxy's, and in one child the /healthz times would
// include the time that child spends writing bodies.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { bodyScanner } from '../src/lib/body-scan/body-scanner';
import { DEVICE_SCAN_LIMITS } from '../src/lib/body-scan/limits';
import { collectKey, pairAndLink, startWorld } from '../test/helpers/linked';
import { rawRequest } from '../test/helpers/raw-http';

export interface HostileFigures {
  /** The longest the event loop was held while only /healthz was asked, for a second: the floor. */
  idleMaxBlockMs: number;
  idleMaxBlockCpuMs: number;
  bodies: number;
  /** The slowest /healthz answer while the bodies were in, as a client of its own saw it. */
  healthzMs: number;
  /** How many times /healthz answered meanwhile. */
  healthzAnswers: number;
  /** The longest the proxy's event loop was held while the hostile bodies arrived (wall time). */
  maxBlockMs: number;
  /**
   * The most CPU time the proxy's thread spent between two turns of its loop meanwhile: the hold
   * its own work caused, without the time the OS gave other processes on a busy machine.
   */
  maxBlockCpuMs: number;
  refused: number;
  /** The same while a 50-invoice batch of 100 lines arrived as XML and as JSON (both accepted). */
  batchMaxBlockMs: number;
  batchMaxBlockCpuMs: number;
  batchAccepted: number;
  /** The scan's own time for 1 MB of body read to its end (a body the scan lets through). */
  scanXmlMsPerMb: number;
  scanJsonMsPerMb: number;
}

const LIMIT = 999_000; // under the document endpoints' 1,000,000 bytes, so the scan, not the 413, refuses
const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.floor((LIMIT - head.length - tail.length) / unit.length)) + tail;

/** Twenty bodies of about 1 MB each that no till should send, with their content types. */
export function hostileBodies(): Array<{ type: string; body: string }> {
  const xml = [
    fill('<Invoices>', '<x/>', '</Invoices>'),
    fill('', '<a>'),
    fill('<?xml version="1.0"?>\n', '<a>\n'),
    fill('<Invoices><Invoice ', 'a="1" ', '/></Invoices>'),
    fill('<Invoices>', '<Invoice><Type>ACCREC</Type></Invoice>', '</Invoices>'),
    fill('<!DOCTYPE x [', '<!ENTITY a "b">', ']><Invoices/>'),
    fill('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "', 'a', '">]><Invoices>&a;</Invoices>'),
    fill('<Invoices><Invoice>', '<!-- <a><b> --><Reference>r</Reference>', '<!ENTITY e "x"></Invoice></Invoices>'),
    fill('<Invoices><Invoice><Reference>', 'x', '</Reference></Invoice></Invoices>'),
    fill('<Invoices>', '<!-- c --><x></x>', '</Invoices>'),
    fill('<Invoices>', '<![CDATA[<a><b>]]><y a="<>"/>', '</Invoices>'),
  ];
  const json = [
    fill('', '['),
    fill('', '{"a":'),
    fill('{"Invoices":[', '0,', '0]}'),
    fill('{"Invoices":[', '{},', '{}]}'),
    fill('{"Invoices":[', '"]}[{",', '""]}'),
    fill('{"Invoices":[{"Reference":"', '\\"[', '"}]}'),
    fill('{"Invoices":[', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],', '1]}'),
    fill('{"Invoices":[{"LineItems":[', '{"Quantity":1},', '{}]}]}'),
    fill('[', 'null,', 'null]'),
  ];
  return [...xml.map((body) => ({ type: 'application/xml', body })), ...json.map((body) => ({ type: 'application/json', body }))];
}

/** The largest batch a till should send: 50 invoices of 100 lines, as XML and as JSON. */
export function batchBodies(): Array<{ type: string; body: string }> {
  const line = { Description: 'Flat white, large', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' };
  const invoice = (n: number) => ({ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, Date: '2026-11-28', DueDate: '2026-12-12', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', Reference: `Batch ${n}`, LineItems: Array.from({ length: 100 }, () => line) });
  const xmlLine = '<LineItem><Description>Flat white, large</Description><Quantity>1</Quantity><UnitAmount>4.5</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem>';
  const xmlInvoice = (n: number) =>
    `<Invoice><Type>ACCREC</Type><Contact><Name>Cash Customer</Name></Contact><Date>2026-11-28</Date><DueDate>2026-12-12</DueDate><LineAmountTypes>Inclusive</LineAmountTypes><Status>AUTHORISED</Status><Reference>Batch ${n}</Reference><LineItems>${xmlLine.repeat(100)}</LineItems></Invoice>`;
  return [
    { type: 'application/xml', body: `<Invoices>${Array.from({ length: 50 }, (_, n) => xmlInvoice(n)).join('')}</Invoices>` },
    { type: 'application/json', body: JSON.stringify({ Invoices: Array.from({ length: 50 }, (_, n) => invoice(50 + n)) }) },
  ];
}

export async function benchHostile(): Promise<HostileFigures> {
  // The loop is manual so the accepted batches are not delivered meanwhile: only the accept is measured.
  const world = await startWorld('private', { proxy: { delivery: { manual: true } } });
  try {
    const { pairingId } = await pairAndLink(world, 'BENCH-TILL');
    const key = await collectKey(world, pairingId);
    const [xmlBatch, jsonBatch] = batchBodies();
    const scanXmlMsPerMb = scanCost('xml', xmlBatch!.body);
    const scanJsonMsPerMb = scanCost('json', jsonBatch!.body);
    // The same measurement with no body sent: what the machine alone holds the loop for (timers,
    // the OS scheduling other work), so the figures under load can be read against it.
    const idle = await underLoad(world.proxy.url, key, 'idle');
    const hostile = await underLoad(world.proxy.url, key, "hostile");
    const batch = await underLoad(world.proxy.url, key, 'batch');
    return {
      idleMaxBlockMs: idle.maxBlockMs,
      idleMaxBlockCpuMs: idle.maxBlockCpuMs,
      bodies: hostile.statuses.length,
      healthzMs: hostile.healthzMs,
      healthzAnswers: hostile.healthzAnswers,
      maxBlockMs: hostile.maxBlockMs,
      maxBlockCpuMs: hostile.maxBlockCpuMs,
      refused: hostile.statuses.filter((s) => s === 400 || s === 413).length,
      batchMaxBlockMs: batch.maxBlockMs,
      batchMaxBlockCpuMs: batch.maxBlockCpuMs,
      batchAccepted: batch.statuses.filter((s) => s === 202).length,
      scanXmlMsPerMb,
      scanJsonMsPerMb,
    };
  } finally {
    await world.stop();
  }
}

/** The scan's time for `text` in 64 KB chunks, the best of 20 runs, per MB. */
function scanCost(format: 'xml' | 'json', text: string): number {
  const bytes = Buffer.from(text);
  let best = Infinity;
  for (let run = 0; run < 20; run++) {
    const started = performance.now();
    const scanner = bodyScanner(format, DEVICE_SCAN_LIMITS)!;
    for (let at = 0; at < bytes.length; at += 65_536) scanner.chunk(bytes.subarray(at, at + 65_536));
    scanner.end();
    best = Math.min(best, performance.now() - started);
  }
  return (best * 1_000_000) / bytes.length;
}

interface ClientReport {
  statuses: number[];
  healthzMs: number;
  healthzAnswers: number;
}

/** A child process of this file in one of its roles, started and waiting for the word to go. */
async function startChild(role: string, args: string[]): Promise<{ go(): void; report(): Promise<string>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), role, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ready = await lines.next();
  if (ready.value !== 'ready') throw new Error(`the ${role} child did not start: ${String(ready.value)}`);
  return {
    go: () => child.stdin!.write('go\n'),
    report: async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`the ${role} child ended without a report`);
      return line.value;
    },
    stop: async () => {
      child.stdin!.end();
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    },
  };
}

/**
 * Posts the bodies of `mode` from one child process while another asks /healthz, and measures
 * this process's event loop meanwhile. Two children, so a slow /healthz is the proxy's and not
 * the time the posting child spends writing 20 MB.
 */
async function underLoad(base: string, key: string, mode: 'idle' | 'hostile' | 'batch'): Promise<ClientReport & { maxBlockMs: number; maxBlockCpuMs: number }> {
  const [poster, asker] = await Promise.all([startChild('--hostile-clients', [mode, base, key]), startChild('--healthz-asker', [base])]);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const cpu = cpuHolds();
  asker.go();
  poster.go();
  const statuses = JSON.parse(await poster.report()) as number[];
  asker.go(); // the second word: stop asking and report
  const health = JSON.parse(await asker.report()) as { healthzMs: number; healthzAnswers: number };
  delay.disable();
  const maxBlockCpuMs = cpu.stop();
  await Promise.all([poster.stop(), asker.stop()]);
  return { statuses, ...health, maxBlockMs: delay.max / 1e6, maxBlockCpuMs };
}

/** The most CPU time this thread spends between two 1 ms timers, until stopped. */
function cpuHolds(): { stop(): number } {
  let last = process.threadCpuUsage();
  let most = 0;
  let timer: NodeJS.Timeout;
  const tick = () => {
    const now = process.threadCpuUsage();
    most = Math.max(most, (now.user - last.user + now.system - last.system) / 1000);
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop: () => {
      clearTimeout(timer);
      return most;
    },
  };
}

/** The posting child: every body at once (none for `idle`, which waits a second instead); reports their statuses. */
async function postBodies(mode: string, base: string, key: string): Promise<void> {
  const bodies = mode === 'hostile' ? hostileBodies() : mode === 'batch' ? batchBodies() : [];
  const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  await input.next();
  if (mode === 'idle') await new Promise((resolve) => setTimeout(resolve, 1000));
  const statuses = await Promise.all(
    bodies.map(({ type, body }) => rawRequest(base, { method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body }).then((answer) => answer.status, () => 0)),
  );
  process.stdout.write(JSON.stringify(statuses) + '\n');
}

/** The asking child: /healthz again and again, one at a time, until told to stop; reports the slowest. */
async function askHealthz(base: string): Promise<void> {
  const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  process.stdout.write('ready\n');
  await input.next();
  let stop = false;
  void input.next().then(() => (stop = true));
  let healthzMs = 0;
  let healthzAnswers = 0;
  do {
    const asked = performance.now();
    await fetch(`${base}/healthz`).then((response) => response.arrayBuffer());
    healthzMs = Math.max(healthzMs, performance.now() - asked);
    healthzAnswers++;
  } while (!stop);
  process.stdout.write(JSON.stringify({ healthzMs, healthzAnswers }) + '\n');
}

if (process.argv[2] === '--hostile-clients') await postBodies(process.argv[3]!, process.argv[4]!, process.argv[5]!);
if (process.argv[2] === '--healthz-asker') await askHealthz(process.argv[3]!);
