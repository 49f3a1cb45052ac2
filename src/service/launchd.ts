import { posix } from 'node:path';
import { escapeXml } from '../lib/xml';
import { SERVICE_CONFIG_NAME, type PlanInputs, type ServicePlan } from './plan';
import type { ServiceStatus, StatusProbe } from './status';

/** The LaunchDaemon's label (reverse DNS, as launchd wants) and its plist. */
export const LAUNCHD_LABEL = 'com.xerocommsproxy.proxy';
export const LAUNCHD_PLIST_PATH = `/Library/LaunchDaemons/${LAUNCHD_LABEL}.plist`;
export const LAUNCHD_DEFAULT_DATA_DIR = '/Library/Application Support/Xero Comms Proxy';
export const LAUNCHD_DEFAULT_EXECUTABLE = '/usr/local/bin/xero-proxy';
const TARGET = `system/${LAUNCHD_LABEL}`;

/**
 * The macOS install: a LaunchDaemon plist, the config and key in the data directory, then the
 * daemon (re)loaded, which starts it (RunAtLoad). It runs as root unless `--user` names an
 * existing account, which then owns the data directory. Running it again unloads the old
 * definition first; the config and the key are kept.
 */
export function launchdInstallPlan(inputs: PlanInputs): ServicePlan {
  const config = posix.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  const logs = posix.join(inputs.dataDir, 'logs');
  return {
    action: 'install',
    platform: 'macos',
    manager: 'launchd',
    service: LAUNCHD_LABEL,
    definition: LAUNCHD_PLIST_PATH,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: inputs.user ?? 'root',
    // launchd opens StandardOutPath and StandardErrorPath but makes no directory for them.
    directories: [inputs.dataDir, logs],
    files: [
      { path: LAUNCHD_PLIST_PATH, contents: launchdPlist(inputs), mode: 0o644 },
      { path: config, contents: inputs.configText, mode: 0o600, keepExisting: true },
    ],
    commands: [
      { argv: [inputs.executable, '--config', config, 'init'], why: 'create the encryption key beside the config (xero-proxy init keeps whatever exists)' },
      ...(inputs.user ? [{ argv: ['chown', '-R', inputs.user, inputs.dataDir], why: `give the data directory to ${inputs.user}` }] : []),
      { argv: ['chmod', '0700', inputs.dataDir], why: 'keep the data directory owner-only' },
      { argv: ['launchctl', 'bootout', TARGET], why: 'unload the running definition, so the new one is read', onlyIf: [{ kind: 'succeeds', argv: ['launchctl', 'print', TARGET] }] },
      { argv: ['launchctl', 'enable', TARGET], why: 'allow the daemon to load (undoes an earlier launchctl disable)' },
      {
        argv: ['launchctl', 'bootstrap', 'system', LAUNCHD_PLIST_PATH],
        why: 'load the daemon, which starts it now and at every boot',
        // Right after a bootout launchd may still be tearing the old daemon down, and refuses.
        attempts: 5,
        hint: `See why in ${logs} and with: launchctl print ${TARGET}`,
      },
    ],
    notes: [
      `Config: ${config} (kept when it exists; after editing it: launchctl kickstart -k ${TARGET}).`,
      `Data, key and database: ${inputs.dataDir}; logs: ${logs}.`,
      ...(inputs.user ? [] : ['The daemon runs as root; to run it as another existing account, install again with --user NAME.']),
      `Status: xero-proxy service status, or launchctl print ${TARGET}.`,
    ],
  };
}

/** Unloads the daemon and removes its plist; the data directory stays. */
export function launchdUninstallPlan(inputs: Pick<PlanInputs, 'dataDir' | 'executable' | 'user'>): ServicePlan {
  return {
    action: 'uninstall',
    platform: 'macos',
    manager: 'launchd',
    service: LAUNCHD_LABEL,
    definition: LAUNCHD_PLIST_PATH,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: inputs.user ?? 'root',
    directories: [],
    files: [],
    commands: [
      { argv: ['launchctl', 'bootout', TARGET], why: 'stop and unload the daemon', onlyIf: [{ kind: 'succeeds', argv: ['launchctl', 'print', TARGET] }] },
      { remove: LAUNCHD_PLIST_PATH, why: 'remove the daemon definition' },
    ],
    notes: [`The data directory ${inputs.dataDir} is kept (config, key, database, logs); delete it yourself once nothing in it is needed.`],
  };
}

/** The LaunchDaemon property list; every string is XML-escaped. */
export function launchdPlist(inputs: PlanInputs): string {
  const config = posix.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  const logs = posix.join(inputs.dataDir, 'logs');
  const string = (value: string) => `<string>${escapeXml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `xero-proxy service install`; running it again rewrites this file. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${string(LAUNCHD_LABEL)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[inputs.executable, '--config', config, 'serve'].map((arg) => `    ${string(arg)}`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>XERO_PROXY_SERVICE</key>',
    `    ${string('1')}`,
    '  </dict>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    ...(inputs.user ? ['  <key>UserName</key>', `  ${string(inputs.user)}`] : []),
    '  <key>WorkingDirectory</key>',
    `  ${string(inputs.dataDir)}`,
    '  <key>Umask</key>',
    '  <integer>63</integer>',
    '  <key>ExitTimeOut</key>',
    `  <integer>${inputs.shutdownGraceSeconds + 5}</integer>`,
    '  <key>StandardOutPath</key>',
    `  ${string(posix.join(logs, 'launchd.out.log'))}`,
    '  <key>StandardErrorPath</key>',
    `  ${string(posix.join(logs, 'launchd.err.log'))}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Asks launchd and says it in plain words. */
export function launchdStatus(probe: StatusProbe): ServiceStatus {
  const base = { platform: 'macos' as const, service: LAUNCHD_LABEL, definition: LAUNCHD_PLIST_PATH };
  const printed = probe.run(['launchctl', 'print', TARGET]);
  const hasPlist = probe.exists(LAUNCHD_PLIST_PATH);
  if (printed.status !== 0) {
    if (!hasPlist) return { ...base, installed: false, running: false, startsAtBoot: false, state: 'not installed', summary: `${LAUNCHD_LABEL} is not installed.` };
    return { ...base, installed: true, running: false, startsAtBoot: true, state: 'not loaded', summary: `${LAUNCHD_LABEL} is installed but not loaded; it loads at the next boot, or now with: launchctl bootstrap system ${LAUNCHD_PLIST_PATH}` };
  }
  const launchdState = /^\s*state = (.+)$/m.exec(printed.stdout)?.[1]?.trim() ?? '';
  const running = launchdState === 'running';
  const lastExit = /^\s*last exit code = (.+)$/m.exec(printed.stdout)?.[1]?.trim();
  const state = running ? 'running' : lastExit && lastExit !== '0' && lastExit !== '(never exited)' ? `stopped (last exit: ${lastExit})` : 'stopped';
  return { ...base, installed: true, running, startsAtBoot: hasPlist, state, summary: `${LAUNCHD_LABEL} is ${state} and ${hasPlist ? 'starts' : 'does not start'} at boot.` };
}
