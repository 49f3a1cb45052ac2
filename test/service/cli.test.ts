import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isRun, SERVICE_PLATFORMS, type ServicePlan } from '../../src/service/plan';
import { commandLine } from '../../src/service/plan-text';
import { serviceConfigText } from '../../src/service/platforms';
import { systemdInstallPlan } from '../../src/service/systemd';
import { runCli as runCliHere } from '../../src/cli/index';
import { runCli } from '../helpers/cli';

const cli = suite('cli.service');

/** A directory any user may enter, so the CLI can also run there as nobody. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xp-service-cli-'));
  chmodSync(dir, 0o755);
  return dir;
}

type JsonPlan = Omit<ServicePlan, 'files'> & { files: { path: string; contents: unknown; mode: string; keepExisting?: boolean }[]; remarks: string[] };

async function jsonPlan(args: string[], env: Record<string, string> = {}): Promise<JsonPlan> {
  const result = await runCli(['service', ...args, '--dry-run', '--json'], { cwd: tempDir(), env });
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as JsonPlan;
}

cli('install --dry-run prints every file with its full contents and every command, and changes nothing', async () => {
  const dir = tempDir();
  const dataDir = join(dir, 'not-yet');
  const args = ['service', 'install', '--dry-run', '--platform', 'linux', '--executable', '/usr/local/bin/xero-proxy', '--data-dir', dataDir];
  const result = await runCli(args, { cwd: dir });
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stderr, '');
  const expected = systemdInstallPlan({ executable: '/usr/local/bin/xero-proxy', dataDir, configText: serviceConfigText(dataDir), port: 8080, shutdownGraceSeconds: 10 });
  assert.ok(result.stdout.startsWith('Dry run of service install for Linux (systemd): nothing was written and nothing was run.\n'), result.stdout.slice(0, 200));
  for (const file of expected.files) {
    assert.ok(result.stdout.includes(`--- ${file.path}`), file.path);
    assert.ok(result.stdout.includes(file.contents as string), `the whole of ${file.path}`);
  }
  for (const command of expected.commands) {
    assert.ok(result.stdout.includes(isRun(command) ? commandLine(command.argv, 'linux') : `remove ${command.remove}`), JSON.stringify(command));
    assert.ok(result.stdout.includes(`to ${command.why}`), command.why);
  }
  assert.match(result.stdout, "only if `id -u xero-proxy` fails");
  assert.not.ok(existsSync(dataDir), 'a dry run makes no directory');
});

cli('install --dry-run --json prints the plan, with modes in octal', async () => {
  const plan = await jsonPlan(['install', '--platform', 'linux', '--executable', '/opt/xp/xero-proxy']);
  assert.equal([plan.action, plan.platform, plan.manager, plan.service, plan.runsAs, plan.dataDir], ['install', 'linux', 'systemd', 'xero-proxy.service', 'xero-proxy', '/var/lib/xero-proxy']);
  assert.equal(plan.files.map((f) => [f.path, f.mode]), [['/etc/systemd/system/xero-proxy.service', '0644'], ['/var/lib/xero-proxy/xero-proxy.toml', '0600']]);
  assert.match(plan.files[0]!.contents as string, 'ExecStart=/opt/xp/xero-proxy --config /var/lib/xero-proxy/xero-proxy.toml serve');
  assert.equal(plan.remarks, []);
});

cli('from the sources, a dry run shows the usual executable path and says so', async () => {
  const plan = await jsonPlan(['install', '--platform', 'linux']);
  assert.is(plan.executable, '/usr/local/bin/xero-proxy');
  assert.equal(plan.remarks, ['This is Node.js running the sources, so the plan shows the usual place of the executable, /usr/local/bin/xero-proxy; a real install runs from the packaged executable, or takes --executable PATH.']);
});

cli('the plan reads the port and the grace of a config already in the data directory: port 443 gets the one capability it needs', async () => {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'xero-proxy.toml'), '[server]\nlisten = "0.0.0.0:443"\nshutdown_grace_seconds = 30\n');
  const plan = await jsonPlan(['install', '--platform', 'linux', '--executable', '/usr/local/bin/xero-proxy', '--data-dir', dataDir]);
  const unit = plan.files[0]!.contents as string;
  assert.match(unit, /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
  assert.match(unit, /^TimeoutStopSec=35$/m);
  assert.match(unit, new RegExp(`^ReadWritePaths=${dataDir}$`, 'm'));
});

cli('a Windows dry run on Linux has Windows paths, the data directory under %ProgramData%, and WinSW described rather than printed', async () => {
  const plan = await jsonPlan(['install', '--platform', 'windows', '--executable', 'D:\\Apps\\Xero Comms Proxy\\xero-proxy-win-x64.exe'], { ProgramData: 'E:\\ProgramData' });
  assert.is(plan.dataDir, 'E:\\ProgramData\\Xero Comms Proxy');
  assert.equal(plan.files.map((f) => f.path), [
    'D:\\Apps\\Xero Comms Proxy\\xero-proxy-service.exe',
    'D:\\Apps\\Xero Comms Proxy\\xero-proxy-service.exe.config',
    'D:\\Apps\\Xero Comms Proxy\\xero-proxy-service.LICENSE.txt',
    'D:\\Apps\\Xero Comms Proxy\\xero-proxy-service.xml',
    'E:\\ProgramData\\Xero Comms Proxy\\xero-proxy.toml',
  ]);
  assert.equal(plan.files[0]!.contents, { asset: 'winsw.exe', what: 'WinSW 1.17, the Windows service wrapper', bytes: 59392, sha256: '5859b114d96800a2b98ef9d19eaa573a786a422dad324547ef25be181389df01' });
  assert.match(plan.files[3]!.contents as string, '<arguments>--config "E:\\ProgramData\\Xero Comms Proxy\\xero-proxy.toml" serve</arguments>');
  assert.equal(plan.remarks, ['On Windows, install runs from the packaged xero-proxy-win-x64.exe only: WinSW is copied out of it.']);

  const text = await runCli(['service', 'install', '--dry-run', '--platform', 'windows'], { cwd: tempDir(), env: { ProgramData: 'C:\\ProgramData' } });
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, '[WinSW 1.17, the Windows service wrapper: 59,392 bytes, SHA-256 5859b114d96800a2b98ef9d19eaa573a786a422dad324547ef25be181389df01, copied out of this executable\'s winsw.exe]');
  assert.match(text.stdout, 'icacls "C:\\ProgramData\\Xero Comms Proxy" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F');
  assert.match(text.stdout, '<executable>%BASE%\\xero-proxy-win-x64.exe</executable>');
});

cli('a macOS dry run shows the LaunchDaemon plist and launchctl bootstrap', async () => {
  const result = await runCli(['service', 'install', '--dry-run', '--platform', 'macos', '--user', '_xeroproxy'], { cwd: tempDir() });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, '--- /Library/LaunchDaemons/com.xerocommsproxy.proxy.plist (mode 0644)');
  assert.match(result.stdout, '<key>UserName</key>\n  <string>_xeroproxy</string>');
  assert.match(result.stdout, 'launchctl bootstrap system /Library/LaunchDaemons/com.xerocommsproxy.proxy.plist');
  assert.match(result.stdout, "chown -R _xeroproxy '/Library/Application Support/Xero Comms Proxy'");
});

cli('no uninstall plan removes, or names a command that could remove, the data directory', async () => {
  for (const platform of SERVICE_PLATFORMS) {
    const plan = await jsonPlan(['uninstall', '--platform', platform, ...(platform === 'windows' ? ['--data-dir', 'D:\\XP Data'] : ['--data-dir', '/srv/xp-data'])]);
    const dataDir = plan.dataDir;
    assert.equal(plan.directories, [], platform);
    assert.equal(plan.files, [], platform);
    for (const command of plan.commands) {
      if (isRun(command)) {
        assert.not.ok(command.argv.some((arg) => /^(rm|rmdir|rd|del|erase|Remove-Item|userdel)$/i.test(arg)), `${platform}: ${command.argv.join(' ')}`);
        assert.not.ok(command.argv.some((arg) => arg.startsWith(dataDir)), `${platform}: ${command.argv.join(' ')} names the data directory`);
      } else {
        assert.not.ok(command.remove === dataDir || command.remove.startsWith(dataDir + (platform === 'windows' ? '\\' : '/')), `${platform} removes ${command.remove}`);
      }
    }
    assert.ok(plan.notes.some((note) => note.includes(`The data directory ${dataDir} is kept`)), platform);
  }
});

/**
 * Runs the CLI in this process as a user who is not root. A test running as root (CI does) cannot
 * simply start the CLI as nobody: its checkout may sit where only root can enter. So there the
 * process's own uid answers as nobody's for the run: the check under test is `getuid() === 0`.
 */
async function runAsNonRoot(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const realGetuid = process.getuid;
  const realCwd = process.cwd();
  if (realGetuid?.() === 0) process.getuid = () => 65534;
  process.chdir(cwd);
  try {
    const code = await runCliHere(['node', 'xero-proxy', ...args], { out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.getuid = realGetuid;
    process.chdir(realCwd);
    process.exitCode = undefined;
  }
}

cli('install without root is refused before anything is touched, exit 1 with the reason and what to do', async () => {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  for (const action of ['install', 'uninstall']) {
    const result = await runAsNonRoot(['service', action, '--data-dir', dataDir, '--executable', '/usr/local/bin/xero-proxy'], dir);
    assert.is(result.code, 1, result.stderr);
    assert.equal(result.stderr.trim().split('\n'), [
      `error: service ${action} changes the system's services, so it must run as root.`,
      'hint: Run it again with sudo, or add --dry-run to see what it would do.',
    ]);
    assert.is(result.stdout, '');
  }
  assert.not.ok(existsSync(dataDir));
  const dry = await runAsNonRoot(['service', 'install', '--dry-run', '--data-dir', dataDir, '--executable', '/usr/local/bin/xero-proxy'], dir);
  assert.is(dry.code, 0, 'a dry run needs no root');
  assert.not.ok(existsSync(dataDir), 'and writes nothing');
});

cli('another platform\'s plan is only ever a dry run; an unknown platform or a relative foreign path is a usage error', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  const foreign = await runCli(['service', 'install', '--platform', 'windows'], { cwd: dir });
  assert.is(foreign.code, 2);
  assert.equal(foreign.stderr.trim().split('\n'), ['error: A windows service can only be installed or uninstalled on windows; this machine is linux.', 'hint: Add --dry-run to see the windows plan.']);
  const unknown = await runCli(['service', 'install', '--dry-run', '--platform', 'beos'], { cwd: dir });
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, 'error: --platform "beos" is not one of linux, windows, macos.');
  const relative = await runCli(['service', 'install', '--dry-run', '--platform', 'windows', '--data-dir', 'data'], { cwd: dir });
  assert.is(relative.code, 2);
  assert.match(relative.stderr, 'error: --data-dir "data" must be an absolute windows path when planning for another platform (e.g. D:\\Xero Comms Proxy).');
  const windowsUser = await runCli(['service', 'install', '--dry-run', '--platform', 'windows', '--user', 'ann'], { cwd: dir });
  assert.is(windowsUser.code, 2);
  assert.match(windowsUser.stderr, 'error: --user is not taken on Windows');
  const local = await runCli(['service', 'install', '--dry-run', '--platform', 'linux', '--data-dir', 'data', '--executable', '/usr/local/bin/xero-proxy', '--json'], { cwd: dir });
  assert.is(JSON.parse(local.stdout).dataDir, join(dir, 'data'), 'on its own platform a relative path is resolved');
});

cli.run();
