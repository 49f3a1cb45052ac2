import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, spawnCli, startServe, waitForOutput } from '../helpers/cli';
import { freePort } from '../helpers/proxy';

const logFile = suite('cli.log-file');

const SECRET = 'cs-NEVER-LOGGED-4411';

logFile('serve as a service (XERO_PROXY_SERVICE=1) on the default config logs the same JSON lines to data/logs/xero-proxy.log, owner-only, without secrets', async () => {
  const dir = await initialised();
  const server = await startServe(dir, { XERO_PROXY_SERVICE: '1', XERO_PROXY_SERVER_LOG_LEVEL: 'debug', XERO_PROXY_XERO_CONSUMER_SECRET: SECRET }, 'logged');
  assert.is((await fetch(`${server.url}/healthz`)).status, 200);
  assert.is(await stop(server.child), 0, server.stderr());

  const path = join(dir, 'data', 'logs', 'xero-proxy.log');
  const written = readFileSync(path, 'utf8');
  const messages = written.trim().split('\n').map((line) => (JSON.parse(line) as { msg: string }).msg);
  assert.ok(messages.includes('proxy listening') && messages.includes('request'), messages.join(', '));
  assert.equal(messages.slice(-2), ['shutting down', 'stopped'], 'written to the end, then closed');
  assert.is(written, server.stderr(), 'the file has every line standard error has, as JSON');
  assert.not.match(written, SECRET);
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(statSync(join(dir, 'data', 'logs')).mode & 0o777, 0o700);
});

logFile('serve run by hand (no XERO_PROXY_SERVICE) writes no log file on the default config', async () => {
  const dir = await initialised();
  const server = await startServe(dir, {}, 'logged');
  assert.is(await stop(server.child), 0, server.stderr());
  assert.match(server.stderr(), '"msg":"stopped"');
  assert.not.ok(existsSync(join(dir, 'data', 'logs')));
});

logFile('a log file that cannot be made (a file where its directory should be) is said once on standard error; the server keeps serving and logging there', async () => {
  const dir = await initialised();
  // Refused even to root, unlike a directory without write permission.
  writeFileSync(join(dir, 'data', 'blocker'), 'a file, not a directory');
  const server = await startServe(dir, { XERO_PROXY_SERVER_LOG_FILE: 'blocker/xero-proxy.log', XERO_PROXY_SERVER_LOG_LEVEL: 'debug' }, 'logged');
  for (let n = 0; n < 3; n++) assert.is((await fetch(`${server.url}/healthz`)).status, 200);
  assert.is(await stop(server.child), 0, server.stderr());

  const events = server.stderr().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; level: string; file?: string; error?: { code?: string } });
  const reports = events.filter((event) => event.msg.startsWith('the log file cannot be written'));
  assert.is(reports.length, 1, server.stderr());
  assert.is(reports[0]!.level, 'error');
  assert.is(reports[0]!.msg, 'the log file cannot be written; logging to standard error only, and trying the file again each minute');
  assert.is(reports[0]!.file, join(dir, 'data', 'blocker', 'xero-proxy.log'));
  assert.is(reports[0]!.error?.code, 'ENOTDIR');
  assert.is(events.filter((event) => event.msg === 'request').length, 3, 'every request still logged on standard error');
  assert.is(events.at(-1)!.msg, 'stopped');
});

logFile('the demo keeps the same rule: as a service it logs to its data directory\'s logs/xero-proxy.log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-log-file-demo-'));
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const child = spawnCli(['demo', '--data-dir', 'demo-data', '--port', String(port), '--sandbox-port', String(sandboxPort)], { cwd: dir, env: { XERO_PROXY_SERVICE: '1' } });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  try {
    await waitForOutput(child, /Ctrl\+C stops\./, 60_000);
  } finally {
    assert.is(await stop(child), 0);
  }
  const written = readFileSync(join(dir, 'demo-data', 'logs', 'xero-proxy.log'), 'utf8');
  assert.ok(written.length > 0, 'the demo logged something (its device, at least)');
  assert.is(written, stderr);
  assert.is(statSync(join(dir, 'demo-data', 'logs', 'xero-proxy.log')).mode & 0o777, 0o600);
});

async function initialised(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-log-file-'));
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 0, init.stderr);
  // With an active certificate the default (partner) app has nothing to warn about at start-up.
  assert.is((await runCli(['cert', 'create', '--out', dir], { cwd: dir })).code, 0);
  return dir;
}


/** SIGTERM, as a service manager stops it; resolves with the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  return exited;
}

logFile.run();
