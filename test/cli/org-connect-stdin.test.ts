import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnCli, waitForOutput } from '../helpers/cli';
import { startGrantWorld } from '../helpers/grant-world';

const connect = suite('cli.org-connect without input');

/** The process's state letter and the CPU time it has used, in clock ticks, from /proc/<pid>/stat. */
function processStat(pid: number): { state: string; ticks: number } {
  // The command name may hold spaces or parentheses; the fields after its closing one are fixed (proc(5)).
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ticks: Number(fields[11]) + Number(fields[12]) };
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

connect('org connect with standard input closed waits for the answer asleep instead of spinning', async () => {
  if (process.platform !== 'linux') return;
  // A localhost redirect makes the command read pasted addresses; with the proxy stopped, nothing ever answers.
  const world = await startGrantWorld('oauth2_pkce', { redirectUri: () => 'http://localhost:8080/connect/oauth2/callback' });
  await world.proxy.stop();
  const cwd = mkdtempSync(join(tmpdir(), 'xp-org-stdin-'));
  // No input and not interactive: standard input is /dev/null, as under cron or `</dev/null`.
  const child = spawnCli(['org', 'connect', '--timeout', '120'], { cwd, env: world.env });
  try {
    await waitForOutput(child, /paste that whole address here and press Enter/);
    // Let the end of input be read, so the samples see the steady state.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const first = processStat(child.pid!);
    const startedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const second = processStat(child.pid!);
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const cpuSeconds = (second.ticks - first.ticks) / ticksPerSecond;
    assert.ok(cpuSeconds / wallSeconds < 0.25, `used ${cpuSeconds.toFixed(2)} s of CPU in ${wallSeconds.toFixed(2)} s`);
    assert.is(child.exitCode, null, 'still waiting for the answer');
  } finally {
    child.kill();
    await world.sandbox.stop();
  }
});

connect.run();
