import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PlanCommand, PlanFile, ServicePlan } from '../../src/service/plan';
import { probe, runPlan, ServiceStepError } from '../../src/service/run-plan';

const run = suite('service.runPlan');

// Plans of harmless commands in a temp directory: the real plans run systemctl and useradd, which
// a test must never do to the machine it runs on.
const tempDir = () => mkdtempSync(join(tmpdir(), 'xp-run-plan-'));
const sh = (script: string, why = 'test'): PlanCommand => ({ argv: ['sh', '-c', script], why });

function plan(over: Partial<ServicePlan>): ServicePlan {
  return {
    action: 'install',
    platform: 'linux',
    manager: 'test',
    service: 'test.service',
    definition: '/nonexistent',
    executable: '/bin/true',
    dataDir: '/nonexistent',
    runsAs: 'nobody',
    directories: [],
    files: [],
    commands: [],
    notes: [],
    ...over,
  };
}

const noAssets = { asset: () => undefined };

run('makes missing directories owner-only (the ones above them passable), writes files with their modes whatever the umask', () => {
  const dir = tempDir();
  const data = join(dir, 'srv', 'data');
  const previous = process.umask(0o022);
  try {
    const report = runPlan(plan({ directories: [data], files: [{ path: join(data, 'a.toml'), contents: 'a = 1\n', mode: 0o600 }, { path: join(dir, 'unit'), contents: 'u\n', mode: 0o644 }] }), noAssets);
    assert.equal(report.steps.map((s) => s.outcome), ['made', 'written', 'written']);
  } finally {
    process.umask(previous);
  }
  assert.is(statSync(data).mode & 0o777, 0o700);
  assert.is(statSync(join(dir, 'srv')).mode & 0o777, 0o755);
  assert.is(statSync(join(data, 'a.toml')).mode & 0o777, 0o600);
  assert.is(readFileSync(join(dir, 'unit'), 'utf8'), 'u\n');
});

run('a file to keep is never overwritten, a file already holding the same bytes is left alone, any other is replaced', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.toml'), 'edited = true\n');
  writeFileSync(join(dir, 'same'), 'same\n');
  writeFileSync(join(dir, 'old'), 'old\n');
  const files: PlanFile[] = [
    { path: join(dir, 'config.toml'), contents: 'fresh = true\n', mode: 0o600, keepExisting: true },
    { path: join(dir, 'same'), contents: 'same\n', mode: 0o644 },
    { path: join(dir, 'old'), contents: 'new\n', mode: 0o644 },
  ];
  assert.equal(runPlan(plan({ files }), noAssets).steps.map((s) => s.outcome), ['kept', 'unchanged', 'written']);
  assert.is(readFileSync(join(dir, 'config.toml'), 'utf8'), 'edited = true\n');
  assert.is(readFileSync(join(dir, 'old'), 'utf8'), 'new\n');
});

run('runs commands in order, without a shell between the arguments, each only when its conditions hold', () => {
  const dir = tempDir();
  const log = join(dir, 'log');
  const commands: PlanCommand[] = [
    { argv: ['sh', '-c', 'printf "%s|" "$1" >> "$0"', log, 'one; two'], why: 'an argument with a semicolon stays one argument' },
    { ...sh(`echo skipped >> ${log}`), onlyIf: [{ kind: 'fails', argv: ['true'] }] },
    { ...sh(`echo ran-because-false-fails >> ${log}`), onlyIf: [{ kind: 'fails', argv: ['false'] }] },
    { ...sh(`echo skipped >> ${log}`), onlyIf: [{ kind: 'exists', path: join(dir, 'nothing') }] },
    { ...sh(`echo ran-because-printed >> ${log}`), onlyIf: [{ kind: 'prints', argv: ['echo', 'Started'], text: 'Started' }] },
    { ...sh(`echo skipped >> ${log}`), onlyIf: [{ kind: 'succeeds', argv: ['true'] }, { kind: 'does-not-print', argv: ['echo', 'NonExistent'], text: 'NonExistent' }] },
    { ...sh(`echo ran-because-missing-program-prints-nothing >> ${log}`), onlyIf: [{ kind: 'does-not-print', argv: [join(dir, 'no-such-program')], text: 'x' }] },
  ];
  const report = runPlan(plan({ commands }), noAssets);
  assert.equal(report.steps.map((s) => s.outcome), ['ran', 'skipped', 'ran', 'skipped', 'ran', 'skipped', 'ran']);
  assert.is(readFileSync(log, 'utf8'), 'one; two|ran-because-false-fails\nran-because-printed\nran-because-missing-program-prints-nothing\n');
});

run('the first failing command stops the plan with a ServiceStepError saying which step, why, what it printed and what was done', () => {
  const dir = tempDir();
  const after = join(dir, 'after');
  const commands: PlanCommand[] = [sh('true', 'do the first thing'), { ...sh('echo "Unit xero-proxy.service not loaded." >&2; exit 5', 'start the service'), hint: 'See why with: journalctl' }, sh(`touch ${after}`)];
  try {
    runPlan(plan({ files: [{ path: join(dir, 'f'), contents: 'f', mode: 0o644 }], commands }), noAssets);
    assert.unreachable('it should stop');
  } catch (error) {
    assert.instance(error, ServiceStepError);
    const failure = error as ServiceStepError;
    assert.is(failure.code, 'unavailable');
    assert.is(failure.step, 3);
    assert.is(failure.exitStatus, 5);
    assert.equal(failure.argv, ['sh', '-c', 'echo "Unit xero-proxy.service not loaded." >&2; exit 5']);
    assert.is(
      failure.message,
      "Stopped at step 3 of 4: `sh -c 'echo \"Unit xero-proxy.service not loaded.\" >&2; exit 5'` (to start the service) failed: it exited with status 5: Unit xero-proxy.service not loaded. Steps 1 to 2 were done; nothing after it was.",
    );
    assert.is(failure.hint, 'See why with: journalctl');
  }
  assert.not.ok(existsSync(after), 'nothing after the failure ran');
});

run('a command given attempts is tried again a second apart until it succeeds, and fails only when they are spent', () => {
  const dir = tempDir();
  const count = join(dir, 'count');
  // Fails twice, then succeeds: a manager still finishing the step before.
  const flaky = `n=$(cat ${count} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${count}; [ $n -ge 3 ]`;
  const pauses: number[] = [];
  const counted = { ...noAssets, pause: (ms: number) => void pauses.push(ms) };
  assert.equal(runPlan(plan({ commands: [{ ...sh(flaky), attempts: 5 }] }), counted).steps.map((s) => s.outcome), ['ran']);
  assert.is(readFileSync(count, 'utf8').trim(), '3');
  assert.equal(pauses, [1000, 1000], 'a second between tries, none after the one that succeeded');
  pauses.length = 0;
  try {
    runPlan(plan({ commands: [{ ...sh(`echo x >> ${join(dir, 'tries')}; exit 1`), attempts: 2 }] }), counted);
    assert.unreachable('it should fail');
  } catch (error) {
    assert.instance(error, ServiceStepError);
  }
  assert.is(readFileSync(join(dir, 'tries'), 'utf8'), 'x\nx\n');
  assert.equal(pauses, [1000], 'no wait after the last try');
});

run('a program that is not there is said by name', () => {
  try {
    runPlan(plan({ commands: [{ argv: ['no-such-program-xp', 'install'], why: 'register the service' }] }), noAssets);
    assert.unreachable('it should stop');
  } catch (error) {
    assert.instance(error, ServiceStepError);
    assert.is((error as ServiceStepError).message, 'Stopped at step 1 of 1: `no-such-program-xp install` (to register the service) failed: no-such-program-xp was not found. Nothing after it was done.');
    assert.is((error as ServiceStepError).hint, 'Fix the cause, then run the same command again: it is safe to repeat.');
  }
});

run('removals delete files, do not mind one already gone, and refuse a directory', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'unit'), 'u');
  const report = runPlan(plan({ commands: [{ remove: join(dir, 'unit'), why: 'remove the unit' }, { remove: join(dir, 'gone'), why: 'remove it' }] }), noAssets);
  assert.equal(report.steps.map((s) => s.outcome), ['removed', 'absent']);
  assert.not.ok(existsSync(join(dir, 'unit')));
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'xero-proxy.db'), 'precious');
  try {
    runPlan(plan({ commands: [{ remove: data, why: 'remove the data' }] }), noAssets);
    assert.unreachable('a directory must not be removed');
  } catch (error) {
    assert.instance(error, ServiceStepError);
    assert.match((error as Error).message, 'could not be removed (EISDIR: it is a directory, which a plan never removes)');
  }
  assert.is(readFileSync(join(data, 'xero-proxy.db'), 'utf8'), 'precious');
});

run('an embedded asset is written only when the executable carries it with the SHA-256 the plan names', () => {
  const dir = tempDir();
  const bytes = new TextEncoder().encode('MZ pretend wrapper');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = (path: string): PlanFile => ({ path, contents: { asset: 'winsw.exe', what: 'WinSW', bytes: bytes.length, sha256 }, mode: 0o755 });
  runPlan(plan({ files: [file(join(dir, 'ok.exe'))] }), { asset: (name) => (name === 'winsw.exe' ? bytes : undefined) });
  assert.equal(new Uint8Array(readFileSync(join(dir, 'ok.exe'))), bytes);
  const refused = (asset: (name: string) => Uint8Array | undefined) => {
    try {
      runPlan(plan({ files: [file(join(dir, 'bad.exe'))] }), { asset });
    } catch (error) {
      assert.instance(error, ServiceStepError);
      return (error as Error).message;
    }
    assert.unreachable('should refuse');
  };
  assert.match(refused(() => undefined)!, 'this executable carries no winsw.exe (WinSW); run the packaged executable built by npm run build');
  assert.match(refused(() => new TextEncoder().encode('tampered'))!, `not the ${sha256} of WinSW`);
  assert.not.ok(existsSync(join(dir, 'bad.exe')));
});

run('commands do not see the installer\'s own XERO_PROXY_ variables', () => {
  const dir = tempDir();
  const out = join(dir, 'env');
  process.env['XERO_PROXY_STORAGE_DATA_DIR'] = '/somewhere/else';
  try {
    runPlan(plan({ commands: [sh(`env > ${out}`)] }), noAssets);
  } finally {
    delete process.env['XERO_PROXY_STORAGE_DATA_DIR'];
  }
  assert.not.match(readFileSync(out, 'utf8'), 'XERO_PROXY_');
  assert.match(readFileSync(out, 'utf8'), /^PATH=/m);
});

const looking = suite('service.probe');

looking('gives the status and standard output, and null for a program that is not there, never throwing', () => {
  assert.equal(probe(['sh', '-c', 'echo active; exit 3']), { status: 3, stdout: 'active\n' });
  assert.equal(probe(['no-such-program-xp']), { status: null, stdout: '' });
});

run.run();
looking.run();
