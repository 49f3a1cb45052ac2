import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const harness = suite('bench.harness');
const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `npm run bench` as npm would (tsx bench/run.ts, the project's Node first on PATH), to the end; its exit code and output. */
function runBench(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bench/run.ts'), ...args], { cwd: ROOT, env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env['PATH'] ?? ''}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

harness('a short accept run starts serve, the sandbox and bare Hono as processes and writes its figures as JSON', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'xp-bench-')), 'figures.json');
  const { code, output } = await runBench(['accept', '--json', file], { BENCH_PROXY: 'tsx', BENCH_SECONDS: '1' });
  assert.is(code, 0, output);
  assert.match(output, /the proxy is .*tsx .*src\/main\.ts/);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  assert.equal(Object.keys(json), ['accept']);
  const accept = json['accept']!;
  for (const key of ['ratio_10', 'ratio_50', 'p99_ms_50', 'rps_50', 'rps_10', 'bare_rps_10', 'bare_rps_50']) {
    assert.type(accept[key], 'number', key);
    assert.ok(Number.isFinite(accept[key]) && (accept[key] as number) > 0, `${key} is ${String(accept[key])}`);
  }
  assert.is(accept['non2xx_10'], 0);
  assert.is(accept['non2xx_50'], 0);
  // Every 202 counted by autocannon is a job in serve's database, read once the run ended.
  assert.ok((accept['jobs_committed'] as number) > 0);
});

harness.run();
