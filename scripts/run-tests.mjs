#!/usr/bin/env node
// Runs every test/**/*.test.ts in its own process (`node --import tsx <file>`), so a file that
// crashes, hangs or leaks state cannot take others with it. Prints each file's output in one
// piece when it finishes, then a last line `N passed, N failed[, N skipped]`.
//
//   node scripts/run-tests.mjs [substring ...]   only files whose path contains a substring
//   TEST_TIMEOUT_S=300 TEST_JOBS=2               per-file timeout, parallel files (max 2 by default)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const timeoutMs = Number(process.env.TEST_TIMEOUT_S ?? 300) * 1000;
const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? Math.min(2, availableParallelism())));
const filters = process.argv.slice(2);

const files = listTests(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  // Zero tests is never a pass: a typo in a filter, or a checkout without its tests.
  console.error(`no test files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const running = new Set();
process.on('SIGINT', () => stopAll(130));
process.on('SIGTERM', () => stopAll(143));

let next = 0;
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, async () => {
  while (next < files.length) await runFile(files[next++]);
}));

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exitCode = totals.failed > 0 ? 1 : 0;

/** test/**\/*.test.ts, as paths relative to the project, sorted so runs are repeatable. */
function listTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Colour only when a person is watching; the summary is parsed with colours stripped anyway.
    const colour = process.stdout.isTTY && !('NO_COLOR' in process.env) ? { FORCE_COLOR: '1' } : {};
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...colour, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout also kills servers the test started
    });
    running.add(child);
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8'); // decodes multi-byte characters split across chunks
      stream.on('data', (d) => (output += d));
    }
    // Whatever the test left running (a server it forgot to close) would hold the pipes open:
    // kill its process group, and stop waiting for the pipes soon after in any case.
    child.on('exit', () => {
      killGroup(child);
      setTimeout(() => [child.stdout, child.stderr].forEach((s) => s.destroy()), 2000).unref();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);

    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const counts = parseUvu(output);
      let failed = counts ? counts.total - counts.passed : 0;
      let why = '';
      if (timedOut) why = `timed out after ${timeoutMs / 1000} s${counts ? '; the tests finished but something kept the process alive' : ''}`;
      else if (code !== 0) why = `exited with ${signal ?? `code ${code}`}`;
      else if (!counts) why = 'printed no uvu summary (did it call .run()?)';
      if (why) failed = Math.max(failed, 1);
      totals.passed += counts?.passed ?? 0;
      totals.skipped += counts?.skipped ?? 0;
      totals.failed += failed;

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = failed ? `FAIL${why ? ` (${why})` : ''}` : 'ok';
      process.stdout.write(`\n── ${file} ── ${status}, ${seconds} s\n${output.trimEnd()}\n`);
      resolve();
    });
  });
}

/**
 * uvu 0.5.6 ends its output with (colours aside):
 *     Total:     3
 *     Passed:    2
 *     Skipped:   0
 *     Duration:  1.23ms
 * Total counts the tests that ran (skipped ones are not in it), so failed = Total - Passed.
 * A file whose suites ran in separate ticks prints more than one summary; add them all.
 */
function parseUvu(text) {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const sum = (label) => [...plain.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)\\s*$`, 'gm'))].map((m) => Number(m[1]));
  const total = sum('Total');
  if (total.length === 0) return undefined;
  const add = (values) => values.reduce((a, b) => a + b, 0);
  return { total: add(total), passed: add(sum('Passed')), skipped: add(sum('Skipped')) };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function stopAll(code) {
  for (const child of running) killGroup(child);
  process.exit(code);
}
