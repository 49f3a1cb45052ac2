import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SERVER_LOCK_DETAILS_FILE } from '../../src/store/server-lock';
import { runCli, startServe } from '../helpers/cli';
import { freePort } from '../helpers/proxy';

const lock = suite('cli.server-lock');

lock('a second serve on the same data directory refuses, naming the first, which keeps serving; commands still work beside it', async () => {
  const dir = await initialised();
  const first = await startServe(dir, { XERO_PROXY_SERVER_LOG_LEVEL: 'error' });
  try {
    const second = await runCli(['serve'], { cwd: dir, env: { XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${await freePort()}` } });
    assert.is(second.code, 1, second.stderr);
    const [message, hint] = second.stderr.trim().split('\n');
    assert.match(message!, `error: Another xero-proxy server is already running on the data directory ${join(dir, 'data')} (PID ${first.child.pid}, started `);
    assert.match(message!, `, listening on ${first.url}).`);
    assert.is(hint, `hint: Stop that server first (kill ${first.child.pid}), or give this one its own data directory (storage.data_dir).`);
    assert.not.match(second.stderr, 'proxy listening');

    const demo = await runCli(['demo', '--data-dir', 'data', '--port', String(await freePort()), '--sandbox-port', String(await freePort())], { cwd: dir });
    assert.is(demo.code, 1, demo.stderr);
    assert.match(demo.stderr, `(PID ${first.child.pid}, started `);

    assert.is((await fetch(`${first.url}/healthz`)).status, 200, 'the first server still answers');
    const listed = await runCli(['device', 'list', '--json'], { cwd: dir });
    assert.is(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout), { devices: [] });
  } finally {
    await kill(first.child);
  }
});

lock('after the server is killed with SIGKILL, a new serve starts on the same data directory', async () => {
  const dir = await initialised();
  const first = await startServe(dir, { XERO_PROXY_SERVER_LOG_LEVEL: 'error' });
  await kill(first.child);
  assert.ok(existsSync(join(dir, 'data', SERVER_LOCK_DETAILS_FILE)), 'the killed server left its details behind');
  const next = await startServe(dir, { XERO_PROXY_SERVER_LOG_LEVEL: 'error' });
  try {
    assert.is((await fetch(`${next.url}/healthz`)).status, 200);
  } finally {
    await kill(next.child);
  }
});

async function initialised(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-server-lock-'));
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 0, init.stderr);
  return dir;
}


async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

lock.run();
