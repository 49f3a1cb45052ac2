import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { ensureDemoMappings } from '../../src/services/demo-shift';
import { parseRights } from '../../src/domain/device-rights';
import { DEMO } from '../../src/services/demo';
import { addDevice } from '../../src/services/devices';
import { setCheckedMapping } from '../../src/services/mappings';
import { pairAndLink, startWorld, whileTimePasses, type LinkedWorld } from '../helpers/linked';
import { asCli } from '../helpers/actor';

const readme = suite('api.readme-examples');

/** What each endpoint's example must answer; an example for an endpoint not listed here fails the test until it is. */
const EXPECTED: ReadonlyArray<{ endpoint: RegExp; status: number }> = [
  { endpoint: /^POST \/invoices$/, status: 202 },
  { endpoint: /^POST \/credit-notes$/, status: 202 },
  { endpoint: /^POST \/payments$/, status: 202 },
  { endpoint: /^POST \/pos\/shifts$/, status: 200 },
  { endpoint: /^POST \/payroll\/timesheets$/, status: 200 },
  { endpoint: /^POST \/payroll\/wage-bills$/, status: 202 },
  { endpoint: /^GET \/jobs$/, status: 200 },
  { endpoint: /^GET \/reference\/[a-z-]+$/, status: 200 },
  { endpoint: /^GET \/xero\/api\.xro\/2\.0\/\w+$/, status: 200 },
];

/** Every `curl` command in the README's device API section, as written (continuation lines included). */
function readmeCommands(): string[] {
  const text = readFileSync('README.md', 'utf8');
  const section = text.slice(text.indexOf('## The device API'), text.indexOf('\n## ', text.indexOf('## The device API') + 1));
  const commands: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    // A command starts at `curl` and runs to the next blank or comment line.
    let current: string[] | undefined;
    const lines: string[][] = [];
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('curl ')) lines.push((current = [line]));
      else if (current && line.trim() !== '' && !line.startsWith('#')) current.push(line);
      else current = undefined;
    }
    commands.push(...lines.map((command) => command.join('\n')));
  }
  return commands;
}

/** `POST /pos/shifts`: the method and the path under /api/v1 a command calls. */
function endpointOf(command: string): string {
  const path = /https:\/\/proxy\.lan:8080\/api\/v1(\/[^\s'?"]*)/.exec(command)?.[1];
  if (!path) throw new Error(`no proxy URL in the README command:\n${command}`);
  return `${/-X (\w+)/.exec(command)?.[1] ?? 'GET'} ${path}`;
}

/**
 * Runs a README command in a shell against the test proxy over HTTPS, with `ca.crt` the proxy's
 * CA certificate as the README says, returning the status and the body.
 */
async function run(world: LinkedWorld, key: string, command: string): Promise<{ status: number; body: string }> {
  assert.match(command, /^curl -s --cacert ca\.crt /, 'every example trusts the proxy\'s CA alone');
  const local = `${command.replaceAll('https://proxy.lan:8080', world.proxy.url)} -w '\\n%{http_code}'`;
  const { stdout } = await promisify(execFile)('sh', ['-c', local], { env: { ...process.env, KEY: key }, timeout: 30_000, cwd: caDir(world) });
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

/** A directory holding the proxy's CA certificate as `ca.crt`, where the commands run. */
function caDir(world: LinkedWorld): string {
  const dir = join(world.proxy.dataDir, 'readme');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), world.proxy.running.proxy.tls!.served.caCertificatePem);
  return dir;
}

readme("every curl example of the device API section works as written, over HTTPS with the proxy's CA as its only trust anchor: Xero takes each document, and every endpoint has one", async () => {
  const commands = readmeCommands();
  const endpoints = commands.map(endpointOf);
  for (const { endpoint } of EXPECTED) assert.ok(endpoints.some((e) => endpoint.test(e)), `the README has an example for ${endpoint}`);

  // The sandbox's café, its till mapped as in the demo and its wages to 477; the delivery loop running.
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: {} }, publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' } });
  try {
    const { outcome } = await pairAndLink(world, 'LINKING-TILL');
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    const { deps, calls } = world.proxy.running.proxy;
    await whileTimePasses(world, ensureDemoMappings(deps, calls, outcome.organisation.id));
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, { kind: 'wages', account: '477' }));
    // The awkward days' accounts and a practice's payer, as the credit notes section maps them.
    for (const input of [{ kind: 'suspense', account: '850' }, { kind: 'tips', account: '855' }, { kind: 'payer', name: 'Medicare', account: '616' }] as const) {
      await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, input));
    }
    // Staff number E-017 is Mia, on the café's weekly pay calendar; "Ordinary" its ordinary hours.
    const cafe = DEMO_ORGANISATIONS[0]!.id;
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, { kind: 'staff', name: 'E-017', employee: payrollDemoId('employee', cafe, 1) }));
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, outcome.organisation.id, { kind: 'earnings', name: 'Ordinary', rate: payrollDemoId('earningsRate', cafe, 1) }));
    // The rights the README gives the examples' device (and the demo gives its own).
    const rights = /device add TILL-0042 --org [^\n]*--rights ([a-z.,]+)/.exec(readFileSync('README.md', 'utf8'))?.[1];
    assert.ok(rights, 'the README says which rights the examples\' device has');
    assert.equal(parseRights([rights!]), [...DEMO.deviceRights], 'the demo device has what the README examples need');
    const { apiKey } = addDevice(asCli(deps), { deviceId: 'TILL-0042', organisation: outcome.organisation.id, rights: [rights!] });

    for (const [index, command] of commands.entries()) {
      const expected = EXPECTED.find(({ endpoint }) => endpoint.test(endpoints[index]!));
      if (!expected) assert.unreachable(`the README shows ${endpoints[index]}, which this test does not know; add what it answers (and any mappings it needs) here`);
      // Calls to Xero are paced a second apart: the clocks move while a command waits its turn.
      const answer = await whileTimePasses(world, run(world, apiKey, command));
      assert.is(answer.status, expected!.status, `${endpoints[index]} answered ${answer.body}`);
    }

    const open = () => deps.db.prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'sending')`).pluck().get() as number;
    await whileTimePasses(world, (async () => {
      const deadline = Date.now() + 30_000;
      while (open() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    })());
    const jobs = deps.db.prepare('SELECT kind, status, errors FROM jobs ORDER BY rowid').all() as Array<{ kind: string; status: string; errors: string | null }>;
    assert.equal(
      jobs.map((job) => [job.kind, job.status]),
      [
        ['invoice', 'delivered'], ['payment', 'delivered'], ['invoice', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered'], ['timesheet', 'delivered'], ['invoice', 'delivered'],
        ['invoice', 'delivered'], ['credit_note', 'delivered'], ['allocation', 'delivered'], ['credit_note', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered'], ['invoice', 'delivered'], ['payment', 'delivered'],
      ],
      JSON.stringify(jobs),
    );
  } finally {
    await world.stop();
  }
});

readme.run();
