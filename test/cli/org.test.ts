import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { systemClock } from '../../src/lib/clock';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { insertCertificate } from '../../src/store/certificates';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli';
import { registerApp } from '../helpers/oauth1-client';
import { startTestProxy } from '../helpers/proxy';
import { startTestSandbox } from '../helpers/sandbox';

const org = suite('cli.org');
const KAURI = DEMO_ORGANISATIONS[2]!;

org('org connect prints the URL on its own line, waits for the callback, then prints the organisation and a device key', async () => {
  const sandbox = await startTestSandbox();
  const pair = generateKeyPair(systemClock);
  const app = await registerApp(sandbox.url, 'partner', { certificatePem: pair.info.certificatePem });
  const xeroEnv = { XERO_PROXY_XERO_APP_TYPE: 'partner', XERO_PROXY_XERO_API_URL: sandbox.url, XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey };
  const proxy = await startTestProxy({ publicUrlIsSelf: true, env: xeroEnv });
  const { deps } = proxy.running.proxy;
  insertCertificate(deps.db, deps.keyring, systemClock, 'active', pair);
  const cliEnv = { ...xeroEnv, XERO_PROXY_STORAGE_DATA_DIR: proxy.dataDir, XERO_PROXY_SERVER_PUBLIC_URL: deps.config.server.publicUrl };
  const cwd = mkdtempSync(join(tmpdir(), 'xp-org-'));
  try {
    const child = spawnCli(['org', 'connect', '--device', 'TILL-7', '--name', 'Back office till', '--json'], { cwd, env: cliEnv });
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = (await waitForOutput(child, /^http\S+\/oauth\/Authorize\?oauth_token=\S+$/m)).trim();
    // A person opens the URL on any machine, chooses the organisation and allows access.
    const approval = (await (
      await fetch(`${sandbox.url}/sandbox/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ oauthToken: new URL(url).searchParams.get('oauth_token'), organisationId: KAURI.id }) })
    ).json()) as { redirect: string };
    const callback = await fetch(approval.redirect);
    assert.is(callback.status, 200);
    assert.is(await exited, 0);
    const [first, ...rest] = stdout.split('\n');
    assert.is(first, url);
    const result = JSON.parse(rest.join('\n')) as { organisation: { name: string; shortCode: string }; device: { deviceId: string; apiKey: string } };
    assert.equal([result.organisation.name, result.organisation.shortCode, result.device.deviceId], [KAURI.name, KAURI.shortCode, 'TILL-7']);
    const status = await fetch(`${proxy.url}/api/v1/organisation`, { headers: { authorization: `Bearer ${result.device.apiKey}` } });
    assert.is(status.status, 200);

    const listed = JSON.parse((await runCli(['org', 'list', '--json'], { cwd, env: cliEnv })).stdout) as { organisations: Array<{ name: string; linkState: string; appType: string }> };
    assert.equal(listed.organisations.map((o) => [o.name, o.linkState, o.appType]), [[KAURI.name, 'linked', 'partner']]);
    const refreshed = await runCli(['org', 'refresh', KAURI.shortCode], { cwd, env: cliEnv });
    assert.is(refreshed.code, 0, refreshed.stderr);
    assert.is(refreshed.stdout.trim(), `${KAURI.name} (${KAURI.shortCode}) is linked and answers.\nPlan: Standard; edition: Business.`);
    // The daily check, on demand: the lock date an adviser set is read, the mappings are checked.
    await fetch(`${sandbox.url}/sandbox/organisations/${KAURI.id}/lock-dates`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ periodLockDate: '2026-03-31' }) });
    const checked = await runCli(['org', 'check'], { cwd, env: cliEnv });
    assert.is(checked.code, 0, checked.stderr);
    assert.is(checked.stdout.trim(), `${KAURI.name}: period lock date 2026-03-31; every mapping points at something Xero takes.`);
    assert.is((await runCli(['org', 'disconnect', KAURI.name], { cwd, env: cliEnv })).code, 0);
    const after = (await (await fetch(`${proxy.url}/api/v1/status`, { headers: { authorization: `Bearer ${result.device.apiKey}` } })).json()) as { organisation: { linkState: string }; warnings: string[] };
    assert.is(after.organisation.linkState, 'disconnected');
    assert.is(after.warnings[0], `${KAURI.name} was disconnected from Xero by the administrator.`);
  } finally {
    await proxy.stop();
    await sandbox.stop();
  }
});

org('org connect refuses to send a person to Xero when no server can receive the answer', async () => {
  const sandbox = await startTestSandbox();
  const app = await registerApp(sandbox.url, 'public');
  const dir = mkdtempSync(join(tmpdir(), 'xp-org-'));
  await runCli(['init'], { cwd: dir });
  try {
    const result = await runCli(['org', 'connect'], {
      cwd: dir,
      env: { XERO_PROXY_XERO_APP_TYPE: 'public', XERO_PROXY_XERO_API_URL: sandbox.url, XERO_PROXY_XERO_CONSUMER_KEY: app.consumerKey, XERO_PROXY_XERO_CONSUMER_SECRET: app.consumerSecret, XERO_PROXY_SERVER_PUBLIC_URL: 'https://127.0.0.1:1' },
    });
    assert.is(result.code, 1);
    assert.equal(result.stderr.trim().split('\n'), [
      "error: The proxy does not answer at https://127.0.0.1:1, so it cannot receive Xero's answer.",
      'hint: Start it with `xero-proxy serve` (and check server.public_url), then run this again.',
    ]);
  } finally {
    await sandbox.stop();
  }
});

org.run();
