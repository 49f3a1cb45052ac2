import { DOMParser, type Element } from '@xmldom/xmldom';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LAUNCHD_PLIST_PATH, launchdInstallPlan, launchdPlist, launchdStatus, launchdUninstallPlan } from '../../src/service/launchd';
import { isRun, type PlanInputs } from '../../src/service/plan';
import { serviceConfigText } from '../../src/service/platforms';
import type { ProbeResult } from '../../src/service/status';

const plist = suite('service.launchdPlist');

const DATA = '/Library/Application Support/Xero Comms Proxy';
const inputs = (over: Partial<PlanInputs> = {}): PlanInputs => ({
  executable: '/usr/local/bin/xero-proxy',
  dataDir: DATA,
  configText: serviceConfigText(DATA),
  port: 8080,
  shutdownGraceSeconds: 10,
  ...over,
});

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** Reads a property list the way launchd does: <dict> of <key> and value, <array>, <string>, <integer>, <true/>, <false/>. */
function readPlist(text: string): Record<string, PlistValue> {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(text, 'text/xml');
  assert.equal(problems, [], 'the plist parses cleanly');
  const root = doc.documentElement!;
  assert.is(root.tagName, 'plist');
  const elements = (node: Element) => Array.from(node.childNodes).filter((n): n is Element => n.nodeType === 1);
  const value = (node: Element): PlistValue => {
    switch (node.tagName) {
      case 'string':
        return node.textContent ?? '';
      case 'integer':
        return Number(node.textContent);
      case 'true':
        return true;
      case 'false':
        return false;
      case 'array':
        return elements(node).map(value);
      case 'dict': {
        const out: Record<string, PlistValue> = {};
        const items = elements(node);
        for (let i = 0; i < items.length; i += 2) {
          assert.is(items[i]!.tagName, 'key');
          out[items[i]!.textContent!] = value(items[i + 1]!);
        }
        return out;
      }
      default:
        throw new Error(`not a plist element: ${node.tagName}`);
    }
  };
  return value(elements(root)[0]!) as Record<string, PlistValue>;
}

plist('the plist parses to the LaunchDaemon launchd needs: label, arguments, the service marker, kept alive after a crash', () => {
  const daemon = readPlist(launchdPlist(inputs()));
  assert.equal(daemon, {
    Label: 'com.xerocommsproxy.proxy',
    ProgramArguments: ['/usr/local/bin/xero-proxy', '--config', `${DATA}/xero-proxy.toml`, 'serve'],
    EnvironmentVariables: { XERO_PROXY_SERVICE: '1' },
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    WorkingDirectory: DATA,
    Umask: 0o077,
    ExitTimeOut: 15,
    StandardOutPath: `${DATA}/logs/launchd.out.log`,
    StandardErrorPath: `${DATA}/logs/launchd.err.log`,
  });
});

plist('an account given with --user becomes UserName; without it the daemon runs as root', () => {
  assert.is(readPlist(launchdPlist(inputs({ user: '_xeroproxy' })))['UserName'], '_xeroproxy');
  assert.is(readPlist(launchdPlist(inputs()))['UserName'], undefined);
  assert.is(launchdInstallPlan(inputs()).runsAs, 'root');
});

plist('paths with XML\'s special characters are escaped and read back as given', () => {
  const dataDir = "/Users/Shared/Tom & Jerry's <Shop>";
  const daemon = readPlist(launchdPlist(inputs({ dataDir, executable: '/Applications/A&B/xero-proxy' })));
  assert.is(daemon['WorkingDirectory'], dataDir);
  assert.equal(daemon['ProgramArguments'], ['/Applications/A&B/xero-proxy', '--config', `${dataDir}/xero-proxy.toml`, 'serve']);
});

const plan = suite('service.launchdInstallPlan');

plan('install writes the plist and the config, makes the key, unloads an old definition only when loaded, and loads the new one', () => {
  const install = launchdInstallPlan(inputs({ user: 'shop' }));
  assert.equal(install.directories, [DATA, `${DATA}/logs`]);
  assert.equal(install.files.map((f) => [f.path, f.mode, Boolean(f.keepExisting)]), [[LAUNCHD_PLIST_PATH, 0o644, false], [`${DATA}/xero-proxy.toml`, 0o600, true]]);
  const commands = install.commands.filter(isRun);
  assert.equal(commands.map((c) => c.argv), [
    ['/usr/local/bin/xero-proxy', '--config', `${DATA}/xero-proxy.toml`, 'init'],
    ['chown', '-R', 'shop', DATA],
    ['chmod', '0700', DATA],
    ['launchctl', 'bootout', 'system/com.xerocommsproxy.proxy'],
    ['launchctl', 'enable', 'system/com.xerocommsproxy.proxy'],
    ['launchctl', 'bootstrap', 'system', LAUNCHD_PLIST_PATH],
  ]);
  assert.equal(commands[3]!.onlyIf, [{ kind: 'succeeds', argv: ['launchctl', 'print', 'system/com.xerocommsproxy.proxy'] }]);
});

plan('uninstall unloads the daemon and removes the plist, keeping the data directory', () => {
  const uninstall = launchdUninstallPlan({ executable: '/usr/local/bin/xero-proxy', dataDir: DATA });
  assert.equal(uninstall.commands.map((c) => (isRun(c) ? c.argv.join(' ') : `remove ${c.remove}`)), ['launchctl bootout system/com.xerocommsproxy.proxy', `remove ${LAUNCHD_PLIST_PATH}`]);
  assert.match(uninstall.notes.join('\n'), `The data directory ${DATA} is kept`);
});

const status = suite('service.launchdStatus');

const probe = (printed: ProbeResult, plistExists: boolean) => ({ run: () => printed, exists: (path: string) => plistExists && path === LAUNCHD_PLIST_PATH });

status('launchctl print\'s state reads as words; no answer and no plist is not installed', () => {
  const running = launchdStatus(probe({ status: 0, stdout: 'system/com.xerocommsproxy.proxy = {\n\tactive count = 1\n\tstate = running\n\tpid = 412\n' }, true));
  assert.is(running.summary, 'com.xerocommsproxy.proxy is running and starts at boot.');
  const crashed = launchdStatus(probe({ status: 0, stdout: '\tstate = not running\n\tlast exit code = 1\n' }, true));
  assert.equal([crashed.running, crashed.state], [false, 'stopped (last exit: 1)']);
  const absent = launchdStatus(probe({ status: 113, stdout: '' }, false));
  assert.equal([absent.installed, absent.summary], [false, 'com.xerocommsproxy.proxy is not installed.']);
  const unloaded = launchdStatus(probe({ status: 113, stdout: '' }, true));
  assert.equal([unloaded.installed, unloaded.running, unloaded.state], [true, false, 'not loaded']);
});

plist.run();
plan.run();
status.run();
