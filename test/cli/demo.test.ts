import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnCli, waitForOutput } from '../helpers/cli';
import { freePort } from '../helpers/proxy';

const demo = suite('cli.demo');

/** Starts the demo and returns its printed key once it says it is ready. */
async function runDemo(dataDir: string): Promise<{ key: string; output: () => string; stop: () => Promise<number | null> }> {
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const child = spawnCli(['demo', '--data-dir', dataDir, '--port', String(port), '--sandbox-port', String(sandboxPort)], { cwd: dataDir });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitForOutput(child, /curl -s -H 'Authorization: Bearer xpk_\S+' http:\/\/localhost:\d+\/api\/v1\/organisation/, 60_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  const key = /Bearer (xpk_\S+)'/.exec(output)![1]!;
  return { key, output: () => output, stop: () => (child.kill('SIGTERM'), exited) };
}

demo('the demo links the sandbox café, prints a device key and a request that works, and restarts on its own state', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xp-demo-'));
  const first = await runDemo(dataDir);
  try {
    const url = /curl -s -H '[^']+' (\S+)/.exec(first.output())![1]!;
    const response = await fetch(url, { headers: { authorization: `Bearer ${first.key}` } });
    assert.is(response.status, 200);
    assert.is(((await response.json()) as { name: string }).name, 'Harbourside Café');
    assert.match(first.output(), 'admin          password "harbourside-demo"');
  } finally {
    assert.is(await first.stop(), 0);
  }
  const second = await runDemo(dataDir);
  try {
    assert.match(second.output(), 'admin          password as set before');
    assert.is.not(second.key, first.key, 'each start prints a fresh key');
  } finally {
    assert.is(await second.stop(), 0);
  }
});

demo.run();
