import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli';
import { spkiOf, trustProxyCa } from '../helpers/https';
import { freePort } from '../helpers/proxy';
import { Browser, textOf } from '../helpers/web';

const demo = suite('cli.demo');

interface Demo {
  output: string;
  /** The printed requests, exactly as a person would copy them from the terminal. */
  shiftCommand: string;
  jobsCommand: string;
  key: string;
  sandboxUrl: string;
  stop: () => Promise<number | null>;
}

/** Starts the demo and returns what it printed once it says it is ready. */
async function runDemo(dataDir: string): Promise<Demo> {
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const child = spawnCli(['demo', '--data-dir', dataDir, '--port', String(port), '--sandbox-port', String(sandboxPort)], { cwd: dataDir });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitForOutput(child, /Ctrl\+C stops\./, 60_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  // The shift request runs from its `curl` to the line with its body; the jobs request is one line.
  const shiftCommand = /^ {2}curl -s --cacert '[^']+' -X POST [^\n]*\\\n[^\n]*\\\n[^\n]*--data '[^\n]*'$/m.exec(output)?.[0];
  const jobsCommand = /^ {2}curl -s --cacert '[^']+' -H '[^']+' \S+\/api\/v1\/jobs$/m.exec(output)?.[0];
  if (!shiftCommand || !jobsCommand) throw new Error(`the demo printed no requests to paste:\n${output}`);
  return {
    output,
    shiftCommand,
    jobsCommand,
    key: /API key (xpk_\S+)/.exec(output)![1]!,
    sandboxUrl: /sandbox Xero {3}(\S+)/.exec(output)![1]!,
    stop: () => (child.kill('SIGTERM'), exited),
  };
}

interface OrganisationRow {
  id: string;
  name: string;
  appType: string;
  linkState: string;
}

/** The organisations `xero-proxy org list --json` shows for the demo's state, beside the running demo. */
async function organisationsOf(dataDir: string): Promise<OrganisationRow[]> {
  const listed = await runCli(['org', 'list', '--json'], { cwd: dataDir, env: { XERO_PROXY_STORAGE_DATA_DIR: dataDir } });
  if (listed.code !== 0) throw new Error(`org list failed: ${listed.stderr}`);
  return (JSON.parse(listed.stdout) as { organisations: OrganisationRow[] }).organisations;
}

/** The grant types of the calls the sandbox's identity server answered, oldest first, with their status. */
async function tokenCalls(sandboxUrl: string): Promise<string[]> {
  const { requests } = (await (await fetch(`${sandboxUrl}/sandbox/requests?limit=5000`)).json()) as { requests: Array<{ path: string; status: number; requestBody: string | null }> };
  return requests
    .filter((request) => request.path === '/connect/token')
    .reverse()
    .map((request) => `${new URLSearchParams(request.requestBody ?? '').get('grant_type')} ${request.status}`);
}

/** Moves the sandbox's clock on, so the access tokens it issued expire and the proxy must renew. */
async function advanceSandbox(sandboxUrl: string, seconds: number): Promise<void> {
  const moved = await fetch(`${sandboxUrl}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
  if (!moved.ok) throw new Error(`the sandbox clock answered ${moved.status}`);
}

/** Runs a pasted command in a shell, as a terminal would, and reads its JSON answer. */
async function paste<T>(command: string): Promise<T> {
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { timeout: 30_000 });
  return JSON.parse(stdout) as T;
}

interface JobView {
  id: string;
  kind: string;
  status: string;
  xeroId?: string;
  xeroNumber?: string;
}

demo("the demo prints an end-of-shift request that, pasted as printed, answers with the invoice and payments delivered to the sandbox's café", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xp-demo-'));
  const first = await runDemo(dataDir);
  let firstCafe = '';
  let firstJobs: string[] = [];
  try {
    assert.match(first.output, 'admin          name "admin", password "harbourside-demo"; no two-step sign-in needed in the demo');
    assert.match(first.output, "linked         Harbourside Café (!Hb7Cf), with OAuth 2.0 (a grant from the sandbox's identity server");
    const [cafe] = await organisationsOf(dataDir);
    assert.equal(await organisationsOf(dataDir), [{ ...cafe!, name: 'Harbourside Café', appType: 'oauth2', linkState: 'linked' }], 'the café alone, linked with an OAuth 2.0 grant');
    assert.equal(await tokenCalls(first.sandboxUrl), ['authorization_code 200'], 'the proxy exchanged the code the sandbox gave its callback');
    assert.match(first.output, "device rights  reference, accounting.read (what the README's device API examples need)");
    const proxyUrl = /proxy {10}(\S+)/.exec(first.output)![1]!;
    assert.match(proxyUrl, /^https:\/\/localhost:\d+$/);
    const caFile = join(dataDir, 'ca.crt');
    assert.match(first.output, `  HTTPS          its own CA, fingerprint ${spkiOf(readFileSync(caFile))} (SPKI SHA-256, what devices pin)`);
    assert.match(first.output, `CA certificate ${caFile}: the requests below trust it alone`);
    assert.match(first.shiftCommand, `curl -s --cacert '${caFile}' -X POST '${proxyUrl}/api/v1/pos/shifts?wait=10'`);
    // This test's own requests trust the demo's CA, as a computer that imported ca.crt would.
    trustProxyCa(dataDir);
    const browser = new Browser(proxyUrl);
    const loginPage = await browser.get('/login');
    assert.match(textOf(loginPage.text), 'as in the demo): an administrator who has not set up an authenticator app signs in with the password alone.', loginPage.status + textOf(loginPage.text));
    assert.equal([(await browser.signIn('harbourside-demo')).location], ['/'], "the demo's administrator signs in with the password alone");
    const read = await fetch(`${proxyUrl}/api/v1/xero/api.xro/2.0/Organisation`, { headers: { authorization: `Bearer ${first.key}`, accept: 'application/json' } });
    assert.is(read.status, 200, 'the demo device reads accounting data through /xero, as the README shows');
    const payroll = await fetch(`${proxyUrl}/api/v1/xero/payroll.xro/1.0/Employees`, { headers: { authorization: `Bearer ${first.key}` } });
    assert.is(payroll.status, 403, 'but not payroll data');
    const answer = await paste<{ submissionId: string; jobs: JobView[] }>(first.shiftCommand);
    assert.equal(answer.jobs.map((job) => [job.kind, job.status]), [['invoice', 'delivered'], ['payment', 'delivered'], ['payment', 'delivered']], JSON.stringify(answer));
    const invoice = answer.jobs[0]!;
    assert.match(invoice.xeroId!, /^[0-9a-f-]{36}$/);
    assert.match(invoice.xeroNumber!, /^POS-DEMO-\d{4}-\d\d-\d\d-PM-[0-9A-Z]{4}$/);
    const { documents } = (await (await fetch(`${first.sandboxUrl}/sandbox/ledger?type=Invoice`)).json()) as { documents: Array<{ id: string; number: string; body: { Total?: number } }> };
    assert.equal(documents.map((d) => [d.id, d.number]), [[invoice.xeroId, invoice.xeroNumber]], 'one invoice in Xero, the one the answer names');

    assert.equal(await paste(first.shiftCommand), answer, 'pasted again: the same answer, nothing sent twice');
    const listed = await paste<{ Jobs: JobView[] }>(first.jobsCommand);
    firstJobs = listed.Jobs.map((job) => job.id);
    firstCafe = cafe!.id;
    assert.equal(listed.Jobs.map((job) => job.id).sort(), answer.jobs.map((job) => job.id).sort());

    // Half an hour on at Xero, the access token has expired: the proxy renews it with the refresh
    // token, and the identity server rotates it, so a renewal an hour on takes the rotated one.
    for (const renewal of [1, 2]) {
      await advanceSandbox(first.sandboxUrl, 31 * 60);
      const later = await fetch(`${proxyUrl}/api/v1/xero/api.xro/2.0/Organisation`, { headers: { authorization: `Bearer ${first.key}`, accept: 'application/json' } });
      assert.is(later.status, 200, `the device reads Xero after renewal ${renewal}`);
    }
    assert.equal(await tokenCalls(first.sandboxUrl), ['authorization_code 200', 'refresh_token 200', 'refresh_token 200']);
    assert.equal((await organisationsOf(dataDir)).map((org) => [org.id, org.linkState]), [[cafe!.id, 'linked']]);
  } finally {
    assert.is(await first.stop(), 0);
  }

  const second = await runDemo(dataDir);
  try {
    assert.match(second.output, 'admin          name "admin", password as set before');
    // The sandbox is new and knows nothing of the last grant: the demo linked the café again, onto the same organisation.
    assert.equal(await tokenCalls(second.sandboxUrl), ['authorization_code 200']);
    assert.equal((await organisationsOf(dataDir)).map((org) => [org.id, org.appType, org.linkState]), [[firstCafe, 'oauth2', 'linked']], 'no second organisation');
    assert.is.not(second.key, first.key, 'each start prints a fresh key');
    assert.is.not(second.shiftCommand, first.shiftCommand, 'and a shift of its own');
    const again = await paste<{ jobs: JobView[] }>(second.shiftCommand);
    assert.equal([...new Set(again.jobs.map((job) => job.status))], ['delivered']);
    const jobs = (await paste<{ Jobs: JobView[] }>(second.jobsCommand)).Jobs.map((job) => job.id);
    assert.equal(jobs.sort(), [...firstJobs, ...again.jobs.map((job) => job.id)].sort(), "the demo device keeps the last run's jobs beside this run's");
  } finally {
    assert.is(await second.stop(), 0);
  }
});

demo.run();
