import { win32 } from 'node:path';
import { escapeXml } from '../lib/xml';
import { SERVICE_CONFIG_NAME, type PlanCommand, type PlanInputs, type ServicePlan } from './plan';
import type { ServiceStatus, StatusProbe } from './status';

/** The service's id for the Service Control Manager (`sc query xero-comms-proxy`), and its display name. */
export const WINDOWS_SERVICE_ID = 'xero-comms-proxy';
export const WINDOWS_SERVICE_NAME = 'Xero Comms Proxy';
/** WinSW under the name it is written beside the executable; it reads the XML of the same base name. */
export const WINSW_FILE = 'xero-proxy-service.exe';
export const WINDOWS_DEFAULT_EXECUTABLE = 'C:\\Program Files\\Xero Comms Proxy\\xero-proxy-win-x64.exe';

/**
 * WinSW 1.17 (MIT), the `bin/winsw/winsw.exe` of the npm package node-windows 0.1.14: the build
 * embeds it in the Windows executable under this asset name, after checking this SHA-256.
 */
export const WINSW_ASSET = { asset: 'winsw.exe', what: 'WinSW 1.17, the Windows service wrapper', bytes: 59_392, sha256: '5859b114d96800a2b98ef9d19eaa573a786a422dad324547ef25be181389df01' } as const;

/** WinSW 1.17 is built for .NET 2.0; this lets it run on the .NET 4 every supported Windows has. */
const WINSW_RUNTIME_CONFIG = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<configuration>',
  '  <startup>',
  '    <supportedRuntime version="v4.0" />',
  '    <supportedRuntime version="v2.0.50727" />',
  '  </startup>',
  '</configuration>',
  '',
].join('\r\n');

/** WinSW's licence, which must travel with every copy: written beside it, with 1.17's own copyright line (its version resource) and the project's. */
const WINSW_LICENSE = [
  'xero-proxy-service.exe is WinSW 1.17, the Windows Service Wrapper (https://github.com/winsw/winsw),',
  'as the npm package node-windows 0.1.14 ships it. Its licence:',
  '',
  'Copyright 2008-2013 Sun Microsystems, Inc., CloudBees, Inc.',
  'Copyright (c) 2010-2016 Kohsuke Kawaguchi, Sun Microsystems, Inc., CloudBees, Inc., Oleg Nenashev and other contributors',
  '',
  'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and',
  'associated documentation files (the "Software"), to deal in the Software without restriction,',
  'including without limitation the rights to use, copy, modify, merge, publish, distribute,',
  'sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is',
  'furnished to do so, subject to the following conditions:',
  '',
  'The above copyright notice and this permission notice shall be included in all copies or',
  'substantial portions of the Software.',
  '',
  'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT',
  'NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND',
  'NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES',
  'OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN',
  'CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.',
  '',
].join('\r\n');

/** SYSTEM and Administrators by their well-known SIDs, which hold in every language of Windows. */
const DATA_DIR_ACL = ['/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F'];

/** Where WinSW, its runtime config, its licence and its XML go: beside the executable (WinSW's %BASE%). */
export function winswPaths(executable: string): { wrapper: string; runtimeConfig: string; license: string; xml: string } {
  const dir = win32.dirname(executable);
  return {
    wrapper: win32.join(dir, WINSW_FILE),
    runtimeConfig: win32.join(dir, `${WINSW_FILE}.config`),
    license: win32.join(dir, 'xero-proxy-service.LICENSE.txt'),
    xml: win32.join(dir, 'xero-proxy-service.xml'),
  };
}

/**
 * The Windows install: WinSW beside the executable with its XML, the data directory closed to
 * all but SYSTEM and Administrators, the config and key, then the service (re)installed, set to
 * start automatically after boot's rush (delayed) and started. Running it again stops and
 * reinstalls the service with the new XML; the config and the key are kept.
 */
export function winswInstallPlan(inputs: PlanInputs): ServicePlan {
  const paths = winswPaths(inputs.executable);
  const config = win32.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  return {
    action: 'install',
    platform: 'windows',
    manager: 'WinSW',
    service: WINDOWS_SERVICE_ID,
    definition: paths.xml,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: 'LocalSystem',
    // WinSW writes the service's standard output and error to logs, and needs it there first.
    directories: [inputs.dataDir, win32.join(inputs.dataDir, 'logs')],
    files: [
      { path: paths.wrapper, contents: { ...WINSW_ASSET }, mode: 0o755 },
      { path: paths.runtimeConfig, contents: WINSW_RUNTIME_CONFIG, mode: 0o644 },
      { path: paths.license, contents: WINSW_LICENSE, mode: 0o644 },
      { path: paths.xml, contents: winswXml(inputs), mode: 0o644 },
      { path: config, contents: inputs.configText.replace(/\n/g, '\r\n'), mode: 0o600, keepExisting: true },
    ],
    commands: [
      { argv: ['icacls', inputs.dataDir, ...DATA_DIR_ACL], why: 'let only SYSTEM and Administrators into the data directory' },
      { argv: [inputs.executable, '--config', config, 'init'], why: 'create the encryption key beside the config (xero-proxy init keeps whatever exists)' },
      ...removeService(paths.wrapper),
      // Right after an uninstall Windows may still hold the old service, marked for deletion.
      { argv: [paths.wrapper, 'install'], why: `register the service ${WINDOWS_SERVICE_ID} with Windows`, attempts: 5 },
      { argv: ['sc.exe', 'config', WINDOWS_SERVICE_ID, 'start=', 'delayed-auto'], why: 'start it automatically at boot, once the network is up (WinSW 1.17 cannot say "delayed")' },
      { argv: [paths.wrapper, 'start'], why: 'start the service now', hint: `See why in ${win32.join(inputs.dataDir, 'logs')} and in the Event Viewer (Windows Logs, Application).` },
    ],
    notes: [
      `Config: ${config} (kept when it exists; after editing it: ${paths.wrapper} restart).`,
      `Data, key and database: ${inputs.dataDir}; logs: ${win32.join(inputs.dataDir, 'logs')}.`,
      `Status: xero-proxy service status, or sc query ${WINDOWS_SERVICE_ID}.`,
    ],
  };
}

/** Stops and unregisters the service and removes WinSW and its XML; the data directory stays. */
export function winswUninstallPlan(inputs: Pick<PlanInputs, 'dataDir' | 'executable'>): ServicePlan {
  const paths = winswPaths(inputs.executable);
  return {
    action: 'uninstall',
    platform: 'windows',
    manager: 'WinSW',
    service: WINDOWS_SERVICE_ID,
    definition: paths.xml,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: 'LocalSystem',
    directories: [],
    files: [],
    commands: [
      ...removeService(paths.wrapper),
      { remove: paths.xml, why: 'remove the service definition' },
      { remove: paths.runtimeConfig, why: "remove WinSW's runtime config" },
      { remove: paths.license, why: "remove WinSW's licence" },
      { remove: paths.wrapper, why: 'remove WinSW' },
    ],
    notes: [`The data directory ${inputs.dataDir} is kept (config, key, database, logs); delete it yourself once nothing in it is needed.`],
  };
}

/** Stop and unregister, each only when there is something to stop or unregister. */
function removeService(wrapper: string): PlanCommand[] {
  const status = [wrapper, 'status'];
  const present = { kind: 'exists', path: wrapper } as const;
  return [
    { argv: [wrapper, 'stop'], why: 'stop the running service', onlyIf: [present, { kind: 'prints', argv: status, text: 'Started' }] },
    { argv: [wrapper, 'uninstall'], why: 'unregister the service', onlyIf: [present, { kind: 'does-not-print', argv: status, text: 'NonExistent' }] },
  ];
}

/**
 * WinSW's XML, in the elements WinSW 1.17 reads (`<log mode>` with its rolling, `<onfailure>`,
 * `<resetfailure>`, `<stoptimeout>`). No `<serviceaccount>`: the service runs as LocalSystem.
 * @see https://github.com/winsw/winsw/blob/v2/doc/xmlConfigFile.md
 */
export function winswXml(inputs: PlanInputs): string {
  const config = win32.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  const x = escapeXml;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Written by `xero-proxy service install`; running it again rewrites this file. -->',
    '<!-- Upgrading: xero-proxy-service.exe stop, replace the executable, xero-proxy-service.exe start. -->',
    '<service>',
    `  <id>${WINDOWS_SERVICE_ID}</id>`,
    `  <name>${WINDOWS_SERVICE_NAME}</name>`,
    '  <description>Holds the Xero credentials of the LAN\'s tills and apps and delivers their documents to Xero.</description>',
    `  <executable>%BASE%\\${x(win32.basename(inputs.executable))}</executable>`,
    `  <arguments>--config "${x(config)}" serve</arguments>`,
    `  <workingdirectory>${x(inputs.dataDir)}</workingdirectory>`,
    '  <!-- Logs to data_dir\\logs\\xero-proxy.log as well. -->',
    '  <env name="XERO_PROXY_SERVICE" value="1"/>',
    '  <startmode>Automatic</startmode>',
    '  <onfailure action="restart" delay="10 sec"/>',
    '  <onfailure action="restart" delay="10 sec"/>',
    '  <onfailure action="restart" delay="60 sec"/>',
    '  <resetfailure>1 hour</resetfailure>',
    '  <!-- serve finishes in-flight work within server.shutdown_grace_seconds of the stop. -->',
    `  <stoptimeout>${inputs.shutdownGraceSeconds + 5} sec</stoptimeout>`,
    `  <logpath>${x(win32.join(inputs.dataDir, 'logs'))}</logpath>`,
    '  <log mode="roll-by-size">',
    '    <sizeThreshold>10240</sizeThreshold>',
    '    <keepFiles>5</keepFiles>',
    '  </log>',
    '  <!-- No serviceaccount: LocalSystem, which the data directory\'s ACL admits. -->',
    '</service>',
    '',
  ].join('\r\n');
}

/** Asks WinSW (and `sc qc` for the start type) and says it in plain words. */
export function winswStatus(executable: string, probe: StatusProbe): ServiceStatus {
  const paths = winswPaths(executable);
  const base = { platform: 'windows' as const, service: WINDOWS_SERVICE_ID, definition: paths.xml };
  const answer = probe.exists(paths.wrapper) ? probe.run([paths.wrapper, 'status']).stdout : 'NonExistent';
  if (/NonExistent/.test(answer)) {
    return { ...base, installed: false, running: false, startsAtBoot: false, state: 'not installed', summary: `The service ${WINDOWS_SERVICE_ID} is not installed.` };
  }
  const running = /Started/.test(answer);
  const startType = /START_TYPE\s*:\s*(\d)/.exec(probe.run(['sc.exe', 'qc', WINDOWS_SERVICE_ID]).stdout)?.[1];
  const startsAtBoot = startType === '2';
  const state = running ? 'running' : /Stopped/.test(answer) ? 'stopped' : `unknown (WinSW said ${JSON.stringify(answer.trim())})`;
  return { ...base, installed: true, running, startsAtBoot, state, summary: `The service ${WINDOWS_SERVICE_ID} is ${state} and ${startsAtBoot ? 'starts' : 'does not start'} at boot.` };
}
