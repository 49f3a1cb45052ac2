import { posix } from 'node:path';
import { AppError } from '../lib/errors';
import { SERVICE_CONFIG_NAME, type PlanInputs, type ServicePlan } from './plan';
import type { ServiceStatus, StatusProbe } from './status';

/** The unit's name, and the system account it runs as unless `--user` names another. */
export const SYSTEMD_UNIT = 'xero-proxy.service';
export const SYSTEMD_UNIT_PATH = `/etc/systemd/system/${SYSTEMD_UNIT}`;
export const SYSTEMD_DEFAULT_USER = 'xero-proxy';
export const SYSTEMD_DEFAULT_DATA_DIR = '/var/lib/xero-proxy';
export const SYSTEMD_DEFAULT_EXECUTABLE = '/usr/local/bin/xero-proxy';

/**
 * Directories ProtectHome=yes hides from the service: an executable or data directory there
 * would fail at start with a message far from the cause.
 */
const HIDDEN_BY_PROTECT_HOME = ['/home', '/root', '/run/user'];

/** What systemd's own parser takes in a path without quoting or escapes; anything else is refused. */
const PLAIN_PATH = /^\/[A-Za-z0-9._+,:@=\/-]*$/;

/**
 * The systemd install: a system user (created only when missing), the unit (hardened as
 * Grafana's packaged unit, with the JIT's one exception), the config in the data directory when
 * it has none, the key made by `xero-proxy init`, then enable and (re)start. Running it again
 * rewrites the unit and restarts the service; the config and the key are kept.
 */
export function systemdInstallPlan(inputs: PlanInputs): ServicePlan {
  checkPath(inputs.executable, 'the executable');
  checkPath(inputs.dataDir, 'the data directory');
  const user = inputs.user ?? SYSTEMD_DEFAULT_USER;
  const config = posix.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  return {
    action: 'install',
    platform: 'linux',
    manager: 'systemd',
    service: SYSTEMD_UNIT,
    definition: SYSTEMD_UNIT_PATH,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: user,
    directories: [inputs.dataDir],
    files: [
      { path: SYSTEMD_UNIT_PATH, contents: systemdUnit(inputs), mode: 0o644 },
      { path: config, contents: inputs.configText, mode: 0o600, keepExisting: true },
    ],
    commands: [
      {
        argv: ['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', inputs.dataDir, '--shell', '/usr/sbin/nologin', user],
        why: `create the system user ${user} the service runs as`,
        onlyIf: [{ kind: 'fails', argv: ['id', '-u', user] }],
      },
      {
        argv: [inputs.executable, '--config', config, 'init'],
        why: 'create the encryption key beside the config (xero-proxy init keeps whatever exists)',
      },
      { argv: ['chown', '-R', `${user}:`, inputs.dataDir], why: `give the data directory to ${user}` },
      { argv: ['chmod', '0700', inputs.dataDir], why: 'keep the data directory owner-only' },
      { argv: ['systemctl', 'daemon-reload'], why: 'make systemd read the unit' },
      { argv: ['systemctl', 'enable', SYSTEMD_UNIT], why: 'start the service at boot' },
      {
        argv: ['systemctl', 'restart', SYSTEMD_UNIT],
        why: 'start the service now (or restart it with the new unit and executable)',
        hint: `See why with: journalctl -u ${SYSTEMD_UNIT} -n 50`,
      },
    ],
    notes: [
      `Config: ${config} (kept when it exists; after editing it: systemctl restart ${SYSTEMD_UNIT}).`,
      `Data, key and database: ${inputs.dataDir}; logs: ${posix.join(inputs.dataDir, 'logs', 'xero-proxy.log')} and journalctl -u ${SYSTEMD_UNIT}.`,
      `Status: xero-proxy service status, or systemctl status ${SYSTEMD_UNIT}.`,
    ],
  };
}

/** Stops and disables the service and removes the unit; the data directory and the user stay. */
export function systemdUninstallPlan(inputs: Pick<PlanInputs, 'dataDir' | 'executable' | 'user'>): ServicePlan {
  const installed = { kind: 'exists', path: SYSTEMD_UNIT_PATH } as const;
  return {
    action: 'uninstall',
    platform: 'linux',
    manager: 'systemd',
    service: SYSTEMD_UNIT,
    definition: SYSTEMD_UNIT_PATH,
    executable: inputs.executable,
    dataDir: inputs.dataDir,
    runsAs: inputs.user ?? SYSTEMD_DEFAULT_USER,
    directories: [],
    files: [],
    commands: [
      { argv: ['systemctl', 'stop', SYSTEMD_UNIT], why: 'stop the service', onlyIf: [installed] },
      { argv: ['systemctl', 'disable', SYSTEMD_UNIT], why: 'no longer start it at boot', onlyIf: [installed] },
      { remove: SYSTEMD_UNIT_PATH, why: 'remove the unit' },
      { argv: ['systemctl', 'daemon-reload'], why: 'make systemd forget the unit' },
    ],
    notes: [
      `The data directory ${inputs.dataDir} is kept (config, key, database, logs); delete it yourself once nothing in it is needed.`,
      `The user ${inputs.user ?? SYSTEMD_DEFAULT_USER} is kept; remove it with: userdel ${inputs.user ?? SYSTEMD_DEFAULT_USER}`,
    ],
  };
}

/** The unit file. Paths are plain (checked), so nothing in it needs quoting. */
export function systemdUnit(inputs: PlanInputs): string {
  const user = inputs.user ?? SYSTEMD_DEFAULT_USER;
  const config = posix.join(inputs.dataDir, SERVICE_CONFIG_NAME);
  const stateDirectory = inputs.dataDir.startsWith('/var/lib/') ? inputs.dataDir.slice('/var/lib/'.length) : undefined;
  const lowPort = inputs.port < 1024;
  return [
    '# Written by `xero-proxy service install`; running it again rewrites this file.',
    '# Upgrading: systemctl stop xero-proxy, replace the executable, systemctl start xero-proxy.',
    '[Unit]',
    'Description=Xero Comms Proxy',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${user}`,
    // The default account is made with a group of its own name; another account keeps its own group.
    ...(inputs.user === undefined ? [`Group=${user}`] : []),
    `ExecStart=${inputs.executable} --config ${config} serve`,
    '# Logs to data_dir/logs/xero-proxy.log as well as to the journal.',
    'Environment=XERO_PROXY_SERVICE=1',
    `WorkingDirectory=${inputs.dataDir}`,
    'Restart=on-failure',
    'RestartSec=5',
    '# serve finishes in-flight work within server.shutdown_grace_seconds of SIGTERM.',
    `TimeoutStopSec=${inputs.shutdownGraceSeconds + 5}`,
    ...(stateDirectory
      ? [`StateDirectory=${stateDirectory}`, 'StateDirectoryMode=0700']
      : [`ReadWritePaths=${inputs.dataDir}`]),
    '# Where the SQLite addon is written out of the executable ($CACHE_DIRECTORY).',
    'CacheDirectory=xero-proxy',
    'CacheDirectoryMode=0700',
    'UMask=0077',
    '',
    '# Hardening',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'RestrictNamespaces=yes',
    'RestrictRealtime=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    ...(lowPort
      ? [`# server.listen uses port ${inputs.port}, below 1024: binding it needs this one capability.`, 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE', 'AmbientCapabilities=CAP_NET_BIND_SERVICE']
      : ['CapabilityBoundingSet=']),
    '# No MemoryDenyWriteExecute=: V8, the JavaScript engine, compiles code at run time into',
    '# memory it then executes, which that setting forbids.',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** Asks systemd whether the unit is installed, running and enabled, and says it in plain words. */
export function systemdStatus(probe: StatusProbe): ServiceStatus {
  const base = { platform: 'linux' as const, service: SYSTEMD_UNIT, definition: SYSTEMD_UNIT_PATH };
  const enabled = probe.run(['systemctl', 'is-enabled', SYSTEMD_UNIT]).stdout.trim();
  const active = probe.run(['systemctl', 'is-active', SYSTEMD_UNIT]).stdout.trim();
  if (!probe.exists(SYSTEMD_UNIT_PATH) && (enabled === '' || enabled === 'not-found')) {
    return { ...base, installed: false, running: false, startsAtBoot: false, state: 'not installed', summary: `${SYSTEMD_UNIT} is not installed.` };
  }
  const running = active === 'active' || active === 'reloading';
  const startsAtBoot = enabled === 'enabled' || enabled === 'enabled-runtime';
  const state = ACTIVE_WORDS[active] ?? (active || 'unknown (systemctl gave no answer)');
  return {
    ...base,
    installed: true,
    running,
    startsAtBoot,
    state,
    summary: `${SYSTEMD_UNIT} is ${state} and ${startsAtBoot ? 'starts' : 'does not start'} at boot.`,
  };
}

/** systemctl is-active's answers, in words. */
const ACTIVE_WORDS: Record<string, string> = {
  active: 'running',
  reloading: 'running',
  inactive: 'stopped',
  failed: 'stopped after a failure',
  activating: 'starting',
  deactivating: 'stopping',
};

function checkPath(path: string, what: string): void {
  if (!PLAIN_PATH.test(path) || path.split('/').includes('..')) {
    throw new AppError('invalid', `${what} must be an absolute path of letters, digits and . _ + , : @ = - / (no spaces or quotes) for the systemd unit: ${JSON.stringify(path)}.`);
  }
  const hidden = HIDDEN_BY_PROTECT_HOME.find((dir) => path === dir || path.startsWith(dir + '/'));
  if (hidden) {
    throw new AppError('invalid', `${what} ${path} is under ${hidden}, which the service cannot see (ProtectHome=yes).`, {
      hint: what === 'the executable' ? `Copy it first: install -m 0755 ${path} ${SYSTEMD_DEFAULT_EXECUTABLE}, then run ${SYSTEMD_DEFAULT_EXECUTABLE} service install.` : `Choose a data directory outside ${hidden}, e.g. ${SYSTEMD_DEFAULT_DATA_DIR}.`,
    });
  }
}
