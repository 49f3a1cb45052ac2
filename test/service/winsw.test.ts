import { DOMParser, type Element } from '@xmldom/xmldom';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isRun, type PlanInputs } from '../../src/service/plan';
import { serviceConfigText } from '../../src/service/platforms';
import type { ProbeResult } from '../../src/service/status';
import { WINSW_ASSET, winswInstallPlan, winswStatus, winswUninstallPlan, winswXml } from '../../src/service/winsw';

const xml = suite('service.winswXml');

const EXE = 'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-win-x64.exe';
const DATA = 'C:\\ProgramData\\Xero Comms Proxy';
const inputs = (over: Partial<PlanInputs> = {}): PlanInputs => ({
  executable: EXE,
  dataDir: DATA,
  configText: serviceConfigText(DATA),
  port: 8080,
  shutdownGraceSeconds: 10,
  ...over,
});

/** Parses strictly: any error or warning from the parser fails the test. */
function parse(text: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(text, 'text/xml');
  assert.equal(problems, [], 'the XML parses cleanly');
  return doc.documentElement!;
}

const child = (parent: Element, name: string) => Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === name);
const text = (parent: Element, name: string) => {
  const found = child(parent, name);
  assert.is(found.length, 1, `one <${name}>`);
  return found[0]!.textContent;
};

xml('the WinSW XML parses and holds the service, the executable beside WinSW, its arguments and the service marker', () => {
  const service = parse(winswXml(inputs()));
  assert.is(service.tagName, 'service');
  assert.is(text(service, 'id'), 'xero-comms-proxy');
  assert.is(text(service, 'name'), 'Xero Comms Proxy');
  assert.ok(text(service, 'description')!.length > 20);
  assert.is(text(service, 'executable'), '%BASE%\\xero-proxy-win-x64.exe');
  assert.is(text(service, 'arguments'), '--config "C:\\ProgramData\\Xero Comms Proxy\\xero-proxy.toml" serve');
  assert.is(text(service, 'workingdirectory'), DATA);
  const env = child(service, 'env');
  assert.equal(env.map((e) => [e.getAttribute('name'), e.getAttribute('value')]), [['XERO_PROXY_SERVICE', '1']]);
});

xml('it restarts on failure, rolls its logs in the data directory, starts automatically and gives serve its grace to stop', () => {
  const service = parse(winswXml(inputs({ shutdownGraceSeconds: 20 })));
  assert.equal(child(service, 'onfailure').map((e) => [e.getAttribute('action'), e.getAttribute('delay')]), [['restart', '10 sec'], ['restart', '10 sec'], ['restart', '60 sec']]);
  assert.is(text(service, 'resetfailure'), '1 hour');
  assert.is(text(service, 'stoptimeout'), '25 sec');
  assert.is(text(service, 'startmode'), 'Automatic');
  assert.is(text(service, 'logpath'), `${DATA}\\logs`);
  const log = child(service, 'log');
  assert.is(log.length, 1);
  assert.is(log[0]!.getAttribute('mode'), 'roll-by-size');
  assert.is(text(log[0]!, 'sizeThreshold'), '10240');
  assert.is(text(log[0]!, 'keepFiles'), '5');
  assert.is(child(service, 'serviceaccount').length, 0, 'LocalSystem, the default');
});

xml('paths with XML\'s special characters are escaped and read back as given', () => {
  const dataDir = 'D:\\Tom & Jerry <Shop>\'s data';
  const service = parse(winswXml(inputs({ dataDir, executable: 'D:\\Apps & Co\\xero-proxy-win-x64.exe' })));
  assert.is(text(service, 'workingdirectory'), dataDir);
  assert.is(text(service, 'arguments'), `--config "${dataDir}\\xero-proxy.toml" serve`);
  assert.is(text(service, 'logpath'), `${dataDir}\\logs`);
});

const plan = suite('service.winswInstallPlan');

plan('WinSW, its .NET 4 runtime config, its licence and the XML go beside the executable, the config into the data directory, all in Windows paths', () => {
  const install = winswInstallPlan(inputs());
  assert.equal(install.files.map((f) => f.path), [
    'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.exe',
    'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.exe.config',
    'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.LICENSE.txt',
    'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.xml',
    'C:\\ProgramData\\Xero Comms Proxy\\xero-proxy.toml',
  ]);
  assert.equal(install.files[0]!.contents, { ...WINSW_ASSET });
  assert.equal(WINSW_ASSET, { asset: 'winsw.exe', what: 'WinSW 1.17, the Windows service wrapper', bytes: 59392, sha256: '5859b114d96800a2b98ef9d19eaa573a786a422dad324547ef25be181389df01' });
  const runtime = parse(install.files[1]!.contents as string);
  assert.ok(Array.from(runtime.getElementsByTagName('supportedRuntime')).some((e) => e.getAttribute('version') === 'v4.0'));
  assert.match(install.files[2]!.contents as string, 'Permission is hereby granted, free of charge');
  assert.ok(install.files[4]!.keepExisting);
  assert.match(install.files[4]!.contents as string, 'data_dir = "C:\\\\ProgramData\\\\Xero Comms Proxy"\r\n');
  assert.equal(install.directories, [DATA, `${DATA}\\logs`]);
});

plan('the data directory is closed to all but SYSTEM and Administrators, by SID, before the key is made; the service is reinstalled only when present', () => {
  const commands = winswInstallPlan(inputs()).commands.filter(isRun);
  const wrapper = 'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.exe';
  assert.equal(commands.map((c) => c.argv), [
    ['icacls', DATA, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F'],
    [EXE, '--config', `${DATA}\\xero-proxy.toml`, 'init'],
    [wrapper, 'stop'],
    [wrapper, 'uninstall'],
    [wrapper, 'install'],
    ['sc.exe', 'config', 'xero-comms-proxy', 'start=', 'delayed-auto'],
    [wrapper, 'start'],
  ]);
  assert.equal(commands[2]!.onlyIf, [{ kind: 'exists', path: wrapper }, { kind: 'prints', argv: [wrapper, 'status'], text: 'Started' }]);
  assert.equal(commands[3]!.onlyIf, [{ kind: 'exists', path: wrapper }, { kind: 'does-not-print', argv: [wrapper, 'status'], text: 'NonExistent' }]);
});

plan('uninstall stops and unregisters the service and removes only WinSW\'s files, keeping the data directory', () => {
  const uninstall = winswUninstallPlan({ executable: EXE, dataDir: DATA });
  assert.equal(uninstall.commands.map((c) => (isRun(c) ? c.argv.slice(1).join(' ') : `remove ${c.remove}`)), [
    'stop',
    'uninstall',
    'remove C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.xml',
    'remove C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.exe.config',
    'remove C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.LICENSE.txt',
    'remove C:\\Program Files\\Xero Comms Proxy\\xero-proxy-service.exe',
  ]);
  assert.match(uninstall.notes.join('\n'), `The data directory ${DATA} is kept`);
});

const status = suite('service.winswStatus');

const probe = (winsw: string | undefined, startType = '2   AUTO_START  (DELAYED)') => ({
  run: (argv: readonly string[]): ProbeResult =>
    argv[1] === 'status' ? { status: 0, stdout: `${winsw}\r\n` } : { status: 0, stdout: `SERVICE_NAME: xero-comms-proxy\r\n        START_TYPE         : ${startType}\r\n` },
  exists: (path: string) => winsw !== undefined && path.endsWith('xero-proxy-service.exe'),
});

status('WinSW\'s Started, Stopped and NonExistent read as words, with the start type from sc qc', () => {
  assert.is(winswStatus(EXE, probe('Started')).summary, 'The service xero-comms-proxy is running and starts at boot.');
  assert.is(winswStatus(EXE, probe('Stopped', '3   DEMAND_START')).summary, 'The service xero-comms-proxy is stopped and does not start at boot.');
  assert.equal([winswStatus(EXE, probe('NonExistent')).installed, winswStatus(EXE, probe('NonExistent')).state], [false, 'not installed']);
  assert.is(winswStatus(EXE, probe(undefined)).summary, 'The service xero-comms-proxy is not installed.', 'no WinSW beside the executable');
});

xml.run();
plan.run();
status.run();
