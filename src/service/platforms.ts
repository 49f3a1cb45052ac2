import { posix, win32 } from 'node:path';
import { renderExampleConfig } from '../config/example';
import { AppError } from '../lib/errors';
import { LAUNCHD_DEFAULT_DATA_DIR, LAUNCHD_DEFAULT_EXECUTABLE, launchdInstallPlan, launchdStatus, launchdUninstallPlan } from './launchd';
import type { PlanInputs, ServicePlan, ServicePlatform } from './plan';
import type { ServiceStatus, StatusProbe } from './status';
import { SYSTEMD_DEFAULT_DATA_DIR, SYSTEMD_DEFAULT_EXECUTABLE, systemdInstallPlan, systemdStatus, systemdUninstallPlan } from './systemd';
import { WINDOWS_DEFAULT_EXECUTABLE, winswInstallPlan, winswStatus, winswUninstallPlan } from './winsw';

/** One platform's service: its path syntax, defaults and plans. */
interface PlatformService {
  path: typeof posix;
  defaultDataDir(env: NodeJS.ProcessEnv): string;
  /** Where the executable is usually installed; stands in for it in a dry run from the sources. */
  usualExecutable: string;
  install(inputs: PlanInputs): ServicePlan;
  uninstall(inputs: PlanInputs): ServicePlan;
  status(executable: string, probe: StatusProbe): ServiceStatus;
}

export const PLATFORM_SERVICES: Record<ServicePlatform, PlatformService> = {
  linux: {
    path: posix,
    defaultDataDir: () => SYSTEMD_DEFAULT_DATA_DIR,
    usualExecutable: SYSTEMD_DEFAULT_EXECUTABLE,
    install: systemdInstallPlan,
    uninstall: systemdUninstallPlan,
    status: (_executable, probe) => systemdStatus(probe),
  },
  windows: {
    path: win32,
    // %ProgramData% is C:\ProgramData unless Windows was installed elsewhere.
    defaultDataDir: (env) => win32.join(env['ProgramData'] || env['PROGRAMDATA'] || 'C:\\ProgramData', 'Xero Comms Proxy'),
    usualExecutable: WINDOWS_DEFAULT_EXECUTABLE,
    install: winswInstallPlan,
    uninstall: winswUninstallPlan,
    status: winswStatus,
  },
  macos: {
    path: posix,
    defaultDataDir: () => LAUNCHD_DEFAULT_DATA_DIR,
    usualExecutable: LAUNCHD_DEFAULT_EXECUTABLE,
    install: launchdInstallPlan,
    uninstall: launchdUninstallPlan,
    status: (_executable, probe) => launchdStatus(probe),
  },
};

/** What `service install|uninstall` was asked for. */
export interface ServiceRequest {
  platform: ServicePlatform;
  dataDir?: string | undefined;
  user?: string | undefined;
  executable?: string | undefined;
}

/** What the plan needs to know about the machine the command runs on. */
export interface MachineFacts {
  /** This machine's platform; paths given relative are resolved only on it. */
  host: ServicePlatform | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The running program, when it is the packaged executable (`process.execPath` then). */
  packagedExecutable: string | undefined;
}

/** The executable, the data directory and the user, checked, and where the executable came from. */
export interface ServiceTarget {
  executable: string;
  /** `option` (--executable), `packaged` (this program) or `stand-in` (a dry run from the sources, or a plan that does not run it). */
  executableFrom: 'option' | 'packaged' | 'stand-in';
  dataDir: string;
  user: string | undefined;
}

/** Resolves the request's paths in the platform's own syntax (Windows paths even on Linux) and checks them. */
export function serviceTarget(request: ServiceRequest, machine: MachineFacts, options: { dryRun: boolean; needsExecutable: boolean }): ServiceTarget {
  const platform = PLATFORM_SERVICES[request.platform];
  if (request.user !== undefined) checkUser(request.platform, request.user);
  const dataDir = absolute(request.dataDir ?? platform.defaultDataDir(machine.env), '--data-dir', request.platform, machine);
  let executable: string;
  let executableFrom: ServiceTarget['executableFrom'];
  if (request.executable !== undefined) {
    executable = absolute(request.executable, '--executable', request.platform, machine);
    executableFrom = 'option';
  } else if (machine.packagedExecutable && machine.host === request.platform) {
    executable = machine.packagedExecutable;
    executableFrom = 'packaged';
  } else if (options.dryRun || !options.needsExecutable) {
    executable = platform.usualExecutable;
    executableFrom = 'stand-in';
  } else {
    throw new AppError('invalid', 'This is Node.js running the sources, not the packaged executable, so there is no executable for the service to run.', {
      hint: 'Build it (npm run build) and run dist/xero-proxy service install, or name it with --executable PATH.',
    });
  }
  for (const [what, path] of [['--data-dir', dataDir], ['the executable', executable]] as const) checkPathText(request.platform, what, path);
  return { executable, executableFrom, dataDir, user: request.user };
}

/**
 * The data directory an installed service uses, read back from its definition (the unit, the
 * WinSW XML, the plist) as install wrote it: the directory of its `--config`. Undefined when the
 * text does not say.
 */
export function installedDataDir(platform: ServicePlatform, definition: string): string | undefined {
  const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
  const config =
    platform === 'linux'
      ? /^ExecStart=.* --config (\S+) serve$/m.exec(definition)?.[1]
      : platform === 'windows'
        ? /<arguments>--config "([^"]+)" serve<\/arguments>/.exec(definition)?.[1]
        : /<string>--config<\/string>\s*<string>([^<]+)<\/string>/.exec(definition)?.[1];
  return config === undefined ? undefined : PLATFORM_SERVICES[platform].path.dirname(unescape(config));
}

/** The config a new install writes: `xero-proxy init`'s example, with data_dir pointing at the data directory. */
export function serviceConfigText(dataDir: string): string {
  return renderExampleConfig({ 'storage.data_dir': dataDir });
}

function absolute(path: string, option: string, platform: ServicePlatform, machine: MachineFacts): string {
  const syntax = PLATFORM_SERVICES[platform].path;
  // A Windows path is absolute with its drive (C:\…) or a share (\\server\…), not with \ alone.
  const rooted = syntax.isAbsolute(path) && (platform !== 'windows' || /^([A-Za-z]:[\\/]|[\\/]{2})/.test(path));
  if (rooted) return withoutTrailingSeparator(syntax, syntax.normalize(path));
  if (machine.host === platform) return withoutTrailingSeparator(syntax, syntax.resolve(machine.cwd, path));
  throw new AppError('invalid', `${option} ${JSON.stringify(path)} must be an absolute ${platform} path when planning for another platform${platform === 'windows' ? ' (e.g. D:\\Xero Comms Proxy)' : ''}.`, { field: option });
}

function withoutTrailingSeparator(syntax: typeof posix, path: string): string {
  const root = syntax.parse(path).root;
  let trimmed = path;
  while (trimmed.length > root.length && /[\\/]$/.test(trimmed)) trimmed = trimmed.slice(0, -1);
  return trimmed;
}

function checkUser(platform: ServicePlatform, user: string): void {
  if (platform === 'windows') {
    throw new AppError('invalid', '--user is not taken on Windows: the service runs as LocalSystem, which the data directory admits with Administrators.', { field: '--user' });
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(user)) {
    throw new AppError('invalid', `--user ${JSON.stringify(user)} is not an account name: letters, digits, _ . - only, not starting with a digit or -, at most 32.`, { field: '--user' });
  }
}

function checkPathText(platform: ServicePlatform, what: string, path: string): void {
  // Control characters cannot be written in XML 1.0 (the WinSW XML, the plist) nor safely in a unit.
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new AppError('invalid', `${what} ${JSON.stringify(path)} holds a control character.`, { field: what });
  // WinSW expands %VARIABLES% and its arguments are quoted with ".
  if (platform === 'windows' && /[%"]/.test(path)) throw new AppError('invalid', `${what} ${JSON.stringify(path)} holds % or ", which the WinSW XML cannot carry.`, { field: what });
}
