import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isAppError } from '../../src/lib/errors';
import { isRun, type PlanInputs } from '../../src/service/plan';
import { serviceConfigText } from '../../src/service/platforms';
import type { ProbeResult } from '../../src/service/status';
import { systemdInstallPlan, systemdStatus, systemdUninstallPlan, systemdUnit, SYSTEMD_UNIT_PATH } from '../../src/service/systemd';

const plan = suite('service.systemdInstallPlan');

const inputs = (over: Partial<PlanInputs> = {}): PlanInputs => ({
  executable: '/usr/local/bin/xero-proxy',
  dataDir: '/var/lib/xero-proxy',
  configText: serviceConfigText('/var/lib/xero-proxy'),
  port: 8080,
  shutdownGraceSeconds: 10,
  ...over,
});

/** An executable file in a temp dir: systemd-analyze verify checks that ExecStart's program exists. */
function fakeExecutable(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xp-unit-'));
  const exe = join(dir, 'xero-proxy');
  writeFileSync(exe, '#!/bin/sh\nexit 0\n');
  chmodSync(exe, 0o755);
  return exe;
}

/**
 * `systemd-analyze verify` of a unit, and the lines it printed about that unit. It also loads the
 * units ours names (network-online.target, multi-user.target), whose own remarks on this machine
 * are not ours; anything said about xero-proxy.service is.
 */
function verify(unit: string): { status: number | null; aboutUnit: string[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xp-verify-'));
  const file = join(dir, 'xero-proxy.service');
  writeFileSync(file, unit);
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
  if (result.error) throw new Error(`systemd-analyze could not be run (${result.error.message}); install Debian's systemd package`);
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, aboutUnit: output.split('\n').filter((line) => line.includes('xero-proxy')), output };
}

plan('the unit passes systemd-analyze verify without a word about it', () => {
  const result = verify(systemdUnit(inputs({ executable: fakeExecutable() })));
  assert.is(result.status, 0, result.output);
  assert.equal(result.aboutUnit, [], result.output);
});

plan('the verify check catches a unit with an unknown key or a missing program, so the test above can fail', () => {
  const exe = fakeExecutable();
  const typo = verify(systemdUnit(inputs({ executable: exe })).replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes'));
  assert.match(typo.aboutUnit.join('\n'), "Unknown key 'NoNewPrivilege'");
  const missing = verify(systemdUnit(inputs({ executable: join(exe, '..', 'no-such-program') })));
  assert.is.not(missing.status, 0);
  assert.match(missing.aboutUnit.join('\n'), 'is not executable');
});

plan('a port below 1024 gives the service CAP_NET_BIND_SERVICE and nothing else, and still verifies', () => {
  const unit = systemdUnit(inputs({ executable: fakeExecutable(), port: 443 }));
  assert.match(unit, /^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m);
  assert.match(unit, /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
  const result = verify(unit);
  assert.is(result.status, 0, result.output);
  assert.equal(result.aboutUnit, [], result.output);
  const high = systemdUnit(inputs({ port: 8080 }));
  assert.match(high, /^CapabilityBoundingSet=$/m);
  assert.not.match(high, 'AmbientCapabilities');
});

plan('a data directory outside /var/lib is opened with ReadWritePaths instead of StateDirectory, and verifies', () => {
  const unit = systemdUnit(inputs({ executable: fakeExecutable(), dataDir: '/srv/xero-proxy' }));
  assert.match(unit, /^ReadWritePaths=\/srv\/xero-proxy$/m);
  assert.not.match(unit, 'StateDirectory');
  const result = verify(unit);
  assert.is(result.status, 0, result.output);
  assert.equal(result.aboutUnit, [], result.output);
  const state = systemdUnit(inputs());
  assert.match(state, /^StateDirectory=xero-proxy$/m);
  assert.match(state, /^StateDirectoryMode=0700$/m);
  assert.not.match(state, 'ReadWritePaths');
});

plan('the unit runs serve with the data directory\'s config as its own user, marked as a service, restarted on failure', () => {
  const unit = systemdUnit(inputs());
  for (const line of [
    'ExecStart=/usr/local/bin/xero-proxy --config /var/lib/xero-proxy/xero-proxy.toml serve',
    'User=xero-proxy',
    'Group=xero-proxy',
    'Environment=XERO_PROXY_SERVICE=1',
    'Restart=on-failure',
    'RestartSec=5',
    'TimeoutStopSec=15',
    'After=network-online.target',
    'Wants=network-online.target',
    'WantedBy=multi-user.target',
    'CacheDirectory=xero-proxy',
    'UMask=0077',
  ]) {
    assert.ok(unit.split('\n').includes(line), `missing: ${line}`);
  }
  const other = systemdUnit(inputs({ user: 'shopproxy' }));
  assert.ok(other.split('\n').includes('User=shopproxy'));
  assert.not.match(other, /^Group=/m, "another account keeps its own primary group");
});

plan('the unit is hardened, and says why MemoryDenyWriteExecute is left off', () => {
  const lines = systemdUnit(inputs()).split('\n');
  for (const setting of [
    'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes',
    'ProtectKernelTunables=yes', 'ProtectKernelModules=yes', 'ProtectKernelLogs=yes', 'ProtectControlGroups=yes',
    'ProtectClock=yes', 'ProtectHostname=yes', 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'RestrictNamespaces=yes',
    'RestrictRealtime=yes', 'RestrictSUIDSGID=yes', 'LockPersonality=yes', 'SystemCallArchitectures=native',
  ]) {
    assert.ok(lines.includes(setting), `missing: ${setting}`);
  }
  assert.not.ok(lines.some((line) => line.startsWith('MemoryDenyWriteExecute')));
  assert.ok(lines.some((line) => line.startsWith('#') && line.includes('MemoryDenyWriteExecute')) && lines.some((line) => line.includes('V8')));
});

plan('the install creates the user only when id -u finds none, makes the key with init, and restarts so a second run takes the new unit', () => {
  const commands = systemdInstallPlan(inputs()).commands.filter(isRun);
  assert.equal(commands[0]!.argv, ['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/var/lib/xero-proxy', '--shell', '/usr/sbin/nologin', 'xero-proxy']);
  assert.equal(commands[0]!.onlyIf, [{ kind: 'fails', argv: ['id', '-u', 'xero-proxy'] }]);
  assert.equal(commands.map((c) => c.argv.join(' ')).slice(1), [
    '/usr/local/bin/xero-proxy --config /var/lib/xero-proxy/xero-proxy.toml init',
    'chown -R xero-proxy: /var/lib/xero-proxy',
    'chmod 0700 /var/lib/xero-proxy',
    'systemctl daemon-reload',
    'systemctl enable xero-proxy.service',
    'systemctl restart xero-proxy.service',
  ]);
  const files = systemdInstallPlan(inputs()).files;
  assert.equal(files.map((f) => [f.path, f.mode, Boolean(f.keepExisting)]), [[SYSTEMD_UNIT_PATH, 0o644, false], ['/var/lib/xero-proxy/xero-proxy.toml', 0o600, true]]);
  assert.match(files[1]!.contents as string, 'data_dir = "/var/lib/xero-proxy"');
});

plan('an executable or a data directory the hardened service cannot see or the unit cannot quote is refused with a hint', () => {
  const refusal = (over: Partial<PlanInputs>) => {
    try {
      systemdInstallPlan(inputs(over));
    } catch (error) {
      assert.ok(isAppError(error, 'invalid'), String(error));
      return error;
    }
    assert.unreachable('not refused');
  };
  const home = refusal({ executable: '/home/ann/Downloads/xero-proxy-linux-x64' })!;
  assert.is(home.message, 'the executable /home/ann/Downloads/xero-proxy-linux-x64 is under /home, which the service cannot see (ProtectHome=yes).');
  assert.is(home.hint, 'Copy it first: install -m 0755 /home/ann/Downloads/xero-proxy-linux-x64 /usr/local/bin/xero-proxy, then run /usr/local/bin/xero-proxy service install.');
  assert.match(refusal({ dataDir: '/root/xp' })!.message, 'the data directory /root/xp is under /root');
  assert.match(refusal({ dataDir: '/srv/xero proxy' })!.message, 'no spaces or quotes');
});

plan('uninstall stops and disables only an installed unit, removes it and keeps the data directory and the user', () => {
  const uninstall = systemdUninstallPlan({ executable: '/usr/local/bin/xero-proxy', dataDir: '/var/lib/xero-proxy' });
  assert.equal(uninstall.commands.map((c) => (isRun(c) ? c.argv.join(' ') : `remove ${c.remove}`)), [
    'systemctl stop xero-proxy.service',
    'systemctl disable xero-proxy.service',
    `remove ${SYSTEMD_UNIT_PATH}`,
    'systemctl daemon-reload',
  ]);
  assert.match(uninstall.notes.join('\n'), 'The data directory /var/lib/xero-proxy is kept');
  assert.equal(uninstall.directories, []);
  assert.equal(uninstall.files, []);
});

const status = suite('service.systemdStatus');

const probe = (answers: Record<string, ProbeResult>, unitExists = true) => ({
  run: (argv: readonly string[]) => answers[argv.slice(1, 2).join(' ')] ?? { status: null, stdout: '' },
  exists: (path: string) => unitExists && path === SYSTEMD_UNIT_PATH,
});

status('active and enabled reads as running and starting at boot', () => {
  const result = systemdStatus(probe({ 'is-enabled': { status: 0, stdout: 'enabled\n' }, 'is-active': { status: 0, stdout: 'active\n' } }));
  assert.equal([result.installed, result.running, result.startsAtBoot, result.state], [true, true, true, 'running']);
  assert.is(result.summary, 'xero-proxy.service is running and starts at boot.');
});

status('a failed unit reads as stopped after a failure', () => {
  const result = systemdStatus(probe({ 'is-enabled': { status: 0, stdout: 'enabled\n' }, 'is-active': { status: 3, stdout: 'failed\n' } }));
  assert.equal([result.running, result.state], [false, 'stopped after a failure']);
  assert.is(result.summary, 'xero-proxy.service is stopped after a failure and starts at boot.');
});

status('a disabled, inactive unit reads as stopped and not starting at boot', () => {
  const result = systemdStatus(probe({ 'is-enabled': { status: 1, stdout: 'disabled\n' }, 'is-active': { status: 3, stdout: 'inactive\n' } }));
  assert.is(result.summary, 'xero-proxy.service is stopped and does not start at boot.');
});

status('no unit file and systemd knowing none reads as not installed', () => {
  const result = systemdStatus(probe({ 'is-enabled': { status: 1, stdout: '' }, 'is-active': { status: 3, stdout: 'inactive\n' } }, false));
  assert.equal([result.installed, result.running, result.state], [false, false, 'not installed']);
  assert.is(result.summary, 'xero-proxy.service is not installed.');
});

plan.run();
status.run();
