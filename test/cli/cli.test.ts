import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VERSION } from '../../src/version';
import { REPO_ROOT, runCli, spawnCli, waitForOutput } from '../helpers/cli';
import { startTestSandbox } from '../helpers/sandbox';

const cli = suite('cli');
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
  await runCli(['init'], { cwd: dir });
  // The default app type (partner) signs with RSA-SHA1, so a healthy install has a certificate.
  assert.is((await runCli(['cert', 'create', '--out', dir], { cwd: dir })).code, 0);
  const sandbox = await startTestSandbox();
  try {
    const result = await runCli(['doctor', '--json'], { cwd: dir, env: { XERO_PROXY_XERO_API_URL: sandbox.url } });
    assert.is(result.code, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ check: string; status: string }> };
    assert.ok(report.ok);
    assert.equal(report.checks.map((c) => `${c.check}:${c.status}`), ['runtime:ok', 'config:ok', 'data directory:ok', 'encryption key:ok', 'database:ok', 'certificate:ok', 'log file:ok', 'backups:ok', 'xero reachable:ok', 'clock:ok']);
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

cli('serve answers /healthz, logs JSON lines without secrets, and stops cleanly on SIGTERM', async () => {
  const dir = tempDir();
  await runCli(['init'], { cwd: dir });
  // With an active certificate the default (partner) app has nothing to warn about at start-up.
  assert.is((await runCli(['cert', 'create', '--out', dir], { cwd: dir })).code, 0);
  const child = spawnCli(['serve'], {
    cwd: dir,
    env: { XERO_PROXY_SERVER_LISTEN: '127.0.0.1:0', XERO_PROXY_SERVER_LOG_LEVEL: 'debug', XERO_PROXY_XERO_CONSUMER_SECRET: 'cs-NEVER-LOGGED-77' },
  });
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const line = await waitForOutput(child, /^\{.*"msg":"proxy listening".*$/m);
    const url = JSON.parse(line).url as string;
    const health = await fetch(`${url}/healthz`);
    assert.is(health.status, 200);
    assert.equal(await health.json(), { status: 'ok', version: VERSION });
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0);
  const events = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  assert.equal(events.map((e) => e.msg), ['proxy listening', 'request', 'shutting down', 'stopped']);
  assert.not.match(log, 'cs-NEVER-LOGGED-77');
  assert.not.ok(existsSync(join(dir, 'data', 'xero-proxy.db-wal')), 'closing the database checkpoints and removes the WAL');
});

cli.run();
