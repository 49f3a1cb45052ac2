import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VERSION } from '../../src/version';
import { REPO_ROOT, runCli, spawnCli, startServe, waitForOutput } from '../helpers/cli';
import { startTestSandbox } from '../helpers/sandbox';
import { proxyCaPem, spkiOf, trustProxyCa } from '../helpers/https';
import { freePort } from '../helpers/proxy';

const cli = suite('cli');

/** A client id as Xero's developer portal shows one. */
const CLIENT_ID = '0123456789ABCDEF0123456789ABCDEF';
/** A port nothing listens on: bound once by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'xp-cli-'));

cli('--version prints the version, which matches package.json', async () => {
  const result = await runCli(['--version'], { cwd: tempDir() });
  assert.is(result.code, 0);
  assert.is(result.stdout.trim(), VERSION);
  assert.is(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version, VERSION);
});

cli('--version --json prints the version with Node.js, SQLite and the platform, in either order', async () => {
  const memory = new Database(':memory:');
  const sqlite = memory.prepare('SELECT sqlite_version()').pluck().get() as string;
  memory.close();
  const expected = { version: VERSION, node: process.versions.node, sqlite, platform: process.platform, arch: process.arch };
  for (const args of [['--version', '--json'], ['--json', '-V']]) {
    const result = await runCli(args, { cwd: tempDir() });
    assert.is(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout), expected, args.join(' '));
    assert.equal(Object.keys(JSON.parse(result.stdout)), ['version', 'node', 'sqlite', 'platform', 'arch']);
  }
});

cli('init creates the config, an owner-only data directory and key, then keeps them', async () => {
  const dir = tempDir();
  const first = await runCli(['init', '--json'], { cwd: dir });
  assert.is(first.code, 0, first.stderr);
  assert.equal(
    JSON.parse(first.stdout).steps.map((s: { item: string; action: string }) => `${s.item}:${s.action}`),
    ['config:created', 'data directory:created', 'encryption key:created'],
  );
  assert.is(statSync(join(dir, 'data')).mode & 0o777, 0o700);
  assert.is(statSync(join(dir, 'data', 'master.key')).mode & 0o777, 0o600);
  const key = readFileSync(join(dir, 'data', 'master.key'), 'utf8');
  writeFileSync(join(dir, 'xero-proxy.toml'), '[server]\nlisten = "127.0.0.1:8181"\n');
  const second = await runCli(['init', '--json'], { cwd: dir });
  assert.equal(JSON.parse(second.stdout).steps.map((s: { action: string }) => s.action), ['kept', 'kept', 'kept']);
  assert.is(readFileSync(join(dir, 'xero-proxy.toml'), 'utf8'), '[server]\nlisten = "127.0.0.1:8181"\n', 'an edited config is never overwritten');
  assert.is(readFileSync(join(dir, 'data', 'master.key'), 'utf8'), key, 'the key is never replaced');
});

cli('init writes an OAuth 2.0 config: a PKCE app unless a client secret is named, never the secret itself', async () => {
  const pkce = tempDir();
  const first = await runCli(['init'], { cwd: pkce });
  assert.is(first.code, 0, first.stderr);
  const written = readFileSync(join(pkce, 'xero-proxy.toml'), 'utf8');
  assert.match(written, /^app_type = "oauth2_pkce"$/m);
  assert.match(written, /^client_id = ""$/m);
  assert.match(first.stdout, 'Next: make an app at developer.xero.com (My Apps → New app → "Auth code with PKCE"), with the redirect URI https://localhost:8080/connect/oauth2/callback,');
  assert.match(first.stdout, `then set its client id as xero.client_id in ${join(pkce, 'xero-proxy.toml')}.`);

  const web = tempDir();
  const second = await runCli(['init', '--client-id', CLIENT_ID, '--client-secret-env', 'SHOP_XERO_SECRET'], { cwd: web });
  assert.is(second.code, 0, second.stderr);
  const config = readFileSync(join(web, 'xero-proxy.toml'), 'utf8');
  assert.match(config, /^app_type = "oauth2"$/m);
  assert.match(config, `\nclient_id = "${CLIENT_ID}"\n`);
  assert.match(config, /^client_secret = "env:SHOP_XERO_SECRET"$/m);
  assert.match(second.stdout, 'Put its client secret in the environment variable SHOP_XERO_SECRET of whatever runs `xero-proxy serve`.');

  const kept = await runCli(['init', '--client-id', CLIENT_ID], { cwd: pkce });
  assert.match(kept.stdout, 'was kept as it is, so the Xero app options were not used: edit its [xero] section instead.');
  assert.is(readFileSync(join(pkce, 'xero-proxy.toml'), 'utf8'), written);
});

cli('init refuses a client id that is not one, or two secrets, before it creates anything', async () => {
  for (const args of [['--client-id', 'my app'], ['--client-id', CLIENT_ID, '--client-secret-env', 'A', '--client-secret-file', 'secret.txt'], ['--client-secret-env', 'not a name']]) {
    const dir = tempDir();
    const result = await runCli(['init', ...args], { cwd: dir });
    assert.is(result.code, 2, args.join(' '));
    assert.match(result.stderr, /^error: (--client-id: is not a Xero client id|Give --client-secret-env or --client-secret-file, not both|--client-secret-env: "not a name" is not an environment variable name)/);
    assert.equal(readdirSync(dir), [], 'nothing is written half-way');
  }
});

cli('doctor says an OAuth 1.0a app cannot reach today\'s Xero and what to choose instead; against a sandbox it is a warning', async () => {
  const dir = tempDir();
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const atXero = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: dir, env: { XERO_PROXY_XERO_APP_TYPE: 'partner' } });
  const legacy = (JSON.parse(atXero.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'xero app')!;
  assert.is(legacy.status, 'fail');
  assert.match(legacy.detail, 'app_type "partner" is OAuth 1.0a, which Xero switched off in 2021, so it cannot reach today\'s Xero: choose an OAuth 2.0 app instead: xero.app_type = "oauth2_pkce"');
  const sandbox = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: dir, env: { XERO_PROXY_XERO_APP_TYPE: 'private', XERO_PROXY_XERO_API_URL: 'http://127.0.0.1:1' } });
  const mock = (JSON.parse(sandbox.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'xero app')!;
  assert.is(mock.status, 'warn');
  assert.match(mock.detail, 'it works with http://127.0.0.1:1 (a sandbox or mock), not with today\'s Xero');
  const fresh = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: dir });
  assert.equal((JSON.parse(fresh.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'oauth2 app'), {
    check: 'oauth2 app',
    status: 'fail',
    detail: 'xero.client_id: is empty. Set it to the client id of your app in the Xero developer portal (My Apps).',
  });
});

cli('serve warns at start when the OAuth 2.0 client id is empty, and still serves', async () => {
  const dir = tempDir();
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const server = await startServe(dir, { XERO_PROXY_SERVER_TLS: 'off', XERO_PROXY_SERVER_PUBLIC_URL: 'http://localhost:8080' }, 'logged');
  try {
    assert.is((await fetch(`${server.url}/healthz`)).status, 200, 'it serves');
    const warnings = () => server.stderr().split('\n').filter((line) => line.includes('"level":"warn"'));
    // The log reaches this process through a pipe, maybe after the answer came by its socket.
    for (let waited = 0; warnings().length === 0 && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const [warning] = warnings();
    assert.ok(warning, server.stderr());
    assert.is(JSON.parse(warning).msg, 'Xero app: xero.client_id: is empty. Set it to the client id of your app in the Xero developer portal (My Apps).');
  } finally {
    server.child.kill('SIGTERM');
  }
});

cli('a bad config exits 2 with the key, the problem and a hint, and no stack trace', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'xero-proxy.toml'), '[xero]\napi_url = "not a url"\n');
  const result = await runCli(['doctor'], { cwd: dir });
  assert.is(result.code, 1, 'doctor reports the failed check');
  assert.match(result.stdout, 'xero.api_url: must be an http(s) URL.');
  const serve = await runCli(['serve'], { cwd: dir });
  assert.is(serve.code, 2);
  assert.equal(serve.stderr.trim().split('\n'), ['error: xero.api_url: must be an http(s) URL.', 'hint: Fix xero.api_url in the config file or XERO_PROXY_XERO_API_URL.']);
});

cli('usage errors exit 2', async () => {
  const result = await runCli(['frobnicate'], { cwd: tempDir() });
  assert.is(result.code, 2);
  assert.match(result.stderr, "unknown command 'frobnicate'");
});

cli('serve without init explains what to run', async () => {
  const result = await runCli(['serve'], { cwd: tempDir() });
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: The encryption key file .*master\.key does not exist\.\nhint: Run `xero-proxy init`/);
});

cli('doctor passes against a reachable Xero and reports each check as JSON', async () => {
  const dir = tempDir();
  assert.is((await runCli(['init', '--client-id', CLIENT_ID], { cwd: dir })).code, 0);
  const sandbox = await startTestSandbox();
  try {
    const result = await runCli(['doctor', '--json'], { cwd: dir, env: { XERO_PROXY_XERO_API_URL: sandbox.url } });
    assert.is(result.code, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ check: string; status: string }> };
    assert.ok(report.ok);
    assert.equal(report.checks.map((c) => `${c.check}:${c.status}`), ['runtime:ok', 'config:ok', 'data directory:ok', 'encryption key:ok', 'database:ok', 'oauth2 app:ok', 'https:ok', 'public url:ok', 'log file:ok', 'backups:ok', 'xero reachable:ok', 'clock:ok']);
  } finally {
    await sandbox.stop();
  }
});

cli('doctor fails when Xero cannot be reached', async () => {
  const dir = tempDir();
  await runCli(['init'], { cwd: dir });
  const port = await closedPort();
  const result = await runCli(['doctor', '--json', '--timeout', '2'], { cwd: dir, env: { XERO_PROXY_XERO_API_URL: `http://127.0.0.1:${port}` } });
  assert.is(result.code, 1);
  const failed = (JSON.parse(result.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'xero reachable');
  assert.is(failed?.status, 'fail');
  assert.is(failed!.detail, `http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
});

cli('serve answers /healthz over the HTTPS init set up, logs JSON lines without secrets, and stops cleanly on SIGTERM', async () => {
  const dir = tempDir();
  // With its app's client id, a new config has nothing to warn about at start-up.
  assert.is((await runCli(['init', '--client-id', CLIENT_ID], { cwd: dir })).code, 0);
  const port = await freePort();
  const child = spawnCli(['serve'], {
    cwd: dir,
    env: { XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`, XERO_PROXY_SERVER_PUBLIC_URL: `https://localhost:${port}`, XERO_PROXY_SERVER_LOG_LEVEL: 'debug', XERO_PROXY_XERO_CONSUMER_SECRET: 'cs-NEVER-LOGGED-77' },
  });
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const line = await waitForOutput(child, /^\{.*"msg":"proxy listening".*$/m);
    const listening = JSON.parse(line) as { url: string; bound: string; publicUrl: string; tls: string; caSpkiSha256: string };
    assert.equal([listening.url, listening.bound, listening.publicUrl, listening.tls], [`https://127.0.0.1:${port}`, `127.0.0.1:${port}`, `https://localhost:${port}`, 'auto']);
    trustProxyCa(join(dir, 'data'));
    assert.is(listening.caSpkiSha256, spkiOf(proxyCaPem(join(dir, 'data'))));
    const health = await fetch(`${listening.url}/healthz`);
    assert.is(health.status, 200);
    assert.equal(await health.json(), { status: 'ok', version: VERSION });
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0);
  const events = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  assert.equal(events.map((e) => e.msg), [
    "HTTPS: made the proxy's own certificate authority; devices pin its fingerprint",
    'HTTPS: issued a new server certificate',
    'proxy listening',
    'request',
    'shutting down',
    'stopped',
  ]);
  assert.not.match(log, 'cs-NEVER-LOGGED-77');
  assert.not.ok(existsSync(join(dir, 'data', 'xero-proxy.db-wal')), 'closing the database checkpoints and removes the WAL');
});

cli('serve logs the address it bound and warns when it listens for the LAN but server.public_url says localhost', async () => {
  const dir = tempDir();
  await runCli(['init'], { cwd: dir });
  assert.is((await runCli(['cert', 'create', '--out', dir], { cwd: dir })).code, 0);
  const port = await freePort();
  const child = spawnCli(['serve'], { cwd: dir, env: { XERO_PROXY_SERVER_LISTEN: `0.0.0.0:${port}`, XERO_PROXY_SERVER_PUBLIC_URL: `https://localhost:${port}` } });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const line = await waitForOutput(child, /^\{.*"msg":"server\.public_url: .*$/m);
    const warning = JSON.parse(line) as { level: string; msg: string };
    assert.is(warning.level, 'warn');
    assert.match(warning.msg, `server.public_url: the proxy listens on 0.0.0.0:${port}, open to the LAN, but server.public_url (https://localhost:${port}) names this computer alone`);
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0);
});

cli.run();
