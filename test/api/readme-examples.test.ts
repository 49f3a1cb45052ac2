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
import { pairAndGrant, startGrantWorld } from '../helpers/grant-world';
import { ledger } from '../helpers/delivery';
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
  { endpoint: /^POST \/attachments$/, status: 202 },
  { endpoint: /^GET \/jobs$/, status: 200 },
  { endpoint: /^GET \/reference\/[a-z-]+$/, status: 200 },
  { endpoint: /^GET \/xero\/api\.xro\/2\.0\/\w+$/, status: 200 },
];

/** Every `curl` command in a README section (the device API's by default), as written (continuation lines included). */
function readmeCommands(heading = '## The device API'): string[] {
  const text = readFileSync('README.md', 'utf8');
  const level = heading.slice(0, heading.indexOf(' ') + 1);
  const section = text.slice(text.indexOf(heading), text.indexOf(`\n${level}`, text.indexOf(heading) + 1));
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
async function run(world: Pick<LinkedWorld, 'proxy'>, key: string, command: string): Promise<{ status: number; body: string }> {
  assert.match(command, /^curl -s --cacert ca\.crt /, 'every example trusts the proxy\'s CA alone');
  const local = `${command.replaceAll('https://proxy.lan:8080', world.proxy.url)} -w '\\n%{http_code}'`;
  const { stdout } = await promisify(execFile)('sh', ['-c', local], { env: { ...process.env, KEY: key }, timeout: 30_000, cwd: caDir(world) });
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

/** A directory holding the proxy's CA certificate as `ca.crt`, where the commands run. */
function caDir(world: Pick<LinkedWorld, 'proxy'>): string {
  const dir = join(world.proxy.dataDir, 'readme');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), world.proxy.running.proxy.tls!.served.caCertificatePem);
  // The file the attachment examples send.
  writeFileSync(join(dir, 'referral.pdf'), `%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
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
    // The awkward days' accounts and a practice's payer and consultations, as the credit notes section maps them.
    for (const input of [{ kind: 'suspense', account: '850' }, { kind: 'tips', account: '855' }, { kind: 'payer', name: 'Medicare', account: '616' }, { kind: 'category', name: 'Consultations', account: '200', tax: 'EXEMPTOUTPUT' }] as const) {
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
      // The timesheet after the file is the Payroll 2.0 section's: the same request, approved, on Payroll AU 1.0 here.
      [
        ['invoice', 'delivered'], ['payment', 'delivered'], ['invoice', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered'], ['timesheet', 'delivered'], ['invoice', 'delivered'],
        ['attachment', 'delivered'], ['timesheet', 'delivered'],
        ['invoice', 'delivered'], ['credit_note', 'delivered'], ['allocation', 'delivered'], ['credit_note', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered'], ['invoice', 'delivered'], ['payment', 'delivered'],
        ['invoice', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered'],
        ['invoice', 'delivered'],
      ],
      JSON.stringify(jobs),
    );
    // The funder named by its e-mail went to the contact the café's Xero holds with that e-mail.
    const funder = JSON.parse(deps.db.prepare("SELECT result FROM jobs WHERE document_id = 'session-8820'").pluck().get() as string) as { Contact: { Name: string } };
    assert.is(funder.Contact.Name, 'Northside Catering');
  } finally {
    await world.stop();
  }
});

readme('the Payroll 2.0 example works as written for a UK organisation linked through OAuth 2.0: the timesheet lands in Payroll UK, approved', async () => {
  const [command, ...more] = readmeCommands('### Payroll UK, NZ and AU 2.0');
  assert.ok(command, 'the section has its example');
  assert.is(more.length, 0);
  const world = await startGrantWorld('oauth2', { proxy: { delivery: {} }, https: true });
  try {
    const bakery = DEMO_ORGANISATIONS.find((org) => org.countryCode === 'GB')!;
    const { chosen } = await pairAndGrant(world, 'LINKING-TILL', [bakery.id], bakery.id);
    const { deps, calls } = world.proxy.running.proxy;
    // Staff number E-017 is Oliver, on the bakery's weekly pay run calendar; "Ordinary" its ordinary hours.
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, chosen.id, { kind: 'staff', name: 'E-017', employee: payrollDemoId('employee', bakery.id, 1) }));
    await whileTimePasses(world, setCheckedMapping(asCli(deps), calls, chosen.id, { kind: 'earnings', name: 'Ordinary', rate: payrollDemoId('earningsRate', bakery.id, 1) }));
    const { apiKey } = addDevice(asCli(deps), { deviceId: 'TILL-0042', organisation: chosen.id, rights: [...DEMO.deviceRights] });
    const answer = await whileTimePasses(world, run(world, apiKey, command!));
    assert.is(answer.status, 200, answer.body);
    const { jobs } = JSON.parse(answer.body) as { jobs: Array<{ status: string; xeroId: string }> };
    assert.is(jobs[0]!.status, 'delivered');
    const stored = (await ledger(world, 'PayrollTimesheet2')).filter((doc) => doc.id === jobs[0]!.xeroId);
    assert.equal(stored.map((doc) => [doc.body['employeeID'], doc.body['status'], doc.body['totalHours']]), [[payrollDemoId('employee', bakery.id, 1), 'Approved', 37.5]]);
  } finally {
    await world.stop();
  }
});

readme.run();
