import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, parseConfigText } from '../config/load';
import { AppError } from '../lib/errors';
import { isPackaged, seaAsset } from '../lib/sea';
import { LAUNCHD_PLIST_PATH } from '../service/launchd';
import { hostPlatform, SERVICE_CONFIG_NAME, SERVICE_PLATFORMS, type ServicePlan, type ServicePlatform } from '../service/plan';
import { planJson, planText } from '../service/plan-text';
import { installedDataDir, PLATFORM_SERVICES, serviceConfigText, serviceTarget, type ServiceRequest, type ServiceTarget } from '../service/platforms';
import { isAdministrator } from '../service/privilege';
import { probe, runPlan } from '../service/run-plan';
import { SYSTEMD_UNIT_PATH } from '../service/systemd';
import { WINSW_ASSET, winswPaths } from '../service/winsw';
import { printData, type Io } from './output';

interface PlanOptions {
  dataDir?: string;
  user?: string;
  executable?: string;
  platform?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `xero-proxy service install|uninstall|status`: the proxy as the system's own service (systemd,
 * a Windows service through WinSW, a macOS LaunchDaemon). `--dry-run` prints every file and
 * command and does nothing, for any platform from any machine.
 * @example sudo xero-proxy service install --dry-run
 */
export function registerService(program: Command, io: Io): void {
  const service = program
    .command('service')
    .description('run the proxy as a system service: systemd on Linux, a Windows service (WinSW), a macOS LaunchDaemon');

  const planned = (command: Command) =>
    command
      .option('--data-dir <dir>', 'the config, key, database and logs (default: /var/lib/xero-proxy; %ProgramData%\\Xero Comms Proxy; /Library/Application Support/Xero Comms Proxy)')
      .option('--executable <path>', 'the executable the service runs (default: this one when it is the packaged executable; from the sources it must be given, except with --dry-run, which then shows the usual install path)')
      .option('--platform <name>', `${SERVICE_PLATFORMS.join(', ')} (default: this machine's); another platform's plan only with --dry-run`)
      .option('--dry-run', 'print every file with its contents and every command, and change nothing')
      .option('--json', 'print as JSON: with --dry-run the plan, else the plan and what was done');

  planned(
    service
      .command('install')
      .description('install the service, or update it (the config and key are kept) and restart it; needs root or Administrator')
      .option('--user <name>', 'Linux: the account it runs as, created when missing (default xero-proxy); macOS: an existing account (default root); not on Windows'),
  ).action((options: PlanOptions) => {
    const { plan, target } = preparePlan('install', options);
    carryOut(io, plan, target, options);
  });

  planned(
    service
      .command('uninstall')
      .description('stop the service and remove its definition; the data directory is kept; needs root or Administrator')
      .option('--user <name>', 'the account it ran as, only to name it (Linux default xero-proxy)'),
  ).action((options: PlanOptions) => {
    const { plan, target } = preparePlan('uninstall', options);
    carryOut(io, plan, target, options);
  });

  service
    .command('status')
    .description('whether the service is installed, running and started at boot (exit 0 only when running)')
    .option('--executable <path>', 'Windows: the executable WinSW was installed beside (default: this one)')
    .option('--json', 'print as JSON')
    .action((options: { executable?: string; json?: boolean }) => {
      const platform = requireHost();
      const executable = options.executable ?? (isPackaged() ? process.execPath : PLATFORM_SERVICES[platform].usualExecutable);
      const status = PLATFORM_SERVICES[platform].status(executable, { run: (argv) => probe(argv), exists: existsSync });
      printData(io, Boolean(options.json), status, () => status.summary);
      if (!status.running) process.exitCode = 1;
    });
}

function preparePlan(action: 'install' | 'uninstall', options: PlanOptions): { plan: ServicePlan; target: ServiceTarget } {
  const dryRun = Boolean(options.dryRun);
  const host = hostPlatform();
  const platform = options.platform === undefined ? requireHost() : parsePlatform(options.platform);
  if (!dryRun && platform !== host) {
    throw new AppError('invalid', `A ${platform} service can only be installed or uninstalled on ${platform}; this machine is ${host ?? process.platform}.`, {
      hint: `Add --dry-run to see the ${platform} plan.`,
    });
  }
  if (!dryRun && !isAdministrator()) {
    throw new AppError('forbidden', `service ${action} changes the system's services, so it must run as ${platform === 'windows' ? 'an Administrator' : 'root'}.`, {
      hint: platform === 'windows' ? 'Open the terminal with "Run as administrator" and run it again, or add --dry-run to see what it would do.' : `Run it again with sudo, or add --dry-run to see what it would do.`,
    });
  }
  const request: ServiceRequest = { platform, dataDir: options.dataDir ?? (action === 'uninstall' && platform === host ? dataDirOfInstalled(platform, options) : undefined), user: options.user, executable: options.executable };
  const packagedExecutable = isPackaged() ? process.execPath : undefined;
  // Only an install runs the executable; uninstalling on Windows needs it to find WinSW beside it.
  const needsExecutable = action === 'install' || platform === 'windows';
  const target = serviceTarget(request, { host, cwd: process.cwd(), env: process.env, packagedExecutable }, { dryRun, needsExecutable });
  if (!dryRun) checkMachine(action, platform, target);
  const configText = serviceConfigText(target.dataDir);
  // Only an install's definition depends on the config; an uninstall must not fail on a broken one.
  const existingConfig = action === 'install' && platform === host ? PLATFORM_SERVICES[platform].path.join(target.dataDir, SERVICE_CONFIG_NAME) : undefined;
  const settings = serviceSettings(existingConfig, configText);
  const inputs = { executable: target.executable, dataDir: target.dataDir, user: target.user, configText, ...settings };
  const plan = action === 'install' ? PLATFORM_SERVICES[platform].install(inputs) : PLATFORM_SERVICES[platform].uninstall(inputs);
  return { plan, target };
}

function carryOut(io: Io, plan: ServicePlan, target: ServiceTarget, options: PlanOptions): void {
  const json = Boolean(options.json);
  if (options.dryRun) {
    const host = hostPlatform();
    const packagedHere = isPackaged() && host === plan.platform;
    const standIn =
      target.executableFrom !== 'stand-in' || (plan.action === 'uninstall' && plan.platform !== 'windows')
        ? undefined
        : isPackaged()
          ? `This executable is for ${host ?? process.platform}, so the plan shows the usual place of the ${plan.platform} one, ${target.executable}; a real ${plan.action} runs there from it, or takes --executable PATH.`
          : `This is Node.js running the sources, so the plan shows the usual place of the executable, ${target.executable}; a real ${plan.action} runs from the packaged executable, or takes --executable PATH.`;
    const windowsFromSources = plan.platform === 'windows' && plan.action === 'install' && !packagedHere ? 'On Windows, install runs from the packaged xero-proxy-win-x64.exe only: WinSW is copied out of it.' : undefined;
    const remarks = [standIn, windowsFromSources].filter((s): s is string => s !== undefined);
    printData(io, json, { ...(planJson(plan) as object), remarks }, () => [planText(plan), ...(remarks.length ? ['', ...remarks] : [])].join('\n'));
    return;
  }
  const report = runPlan(plan, { asset: seaAsset, onStep: json ? undefined : (line) => io.out(line) });
  printData(io, json, { plan: planJson(plan), steps: report.steps }, () =>
    ['', plan.action === 'install' ? `Installed ${plan.service}; it runs as ${plan.runsAs}.` : `Uninstalled ${plan.service}.`, ...plan.notes].join('\n'),
  );
}

/**
 * What the machine must offer before anything is touched, so a refusal leaves it as it was:
 * the executable, systemd running as init, and on Windows the WinSW this executable carries.
 */
function checkMachine(action: 'install' | 'uninstall', platform: ServicePlatform, target: ServiceTarget): void {
  if (platform === 'linux' && !existsSync('/run/systemd/system')) {
    throw new AppError('unavailable', 'systemd is not running on this machine (it has no /run/systemd/system), so there is no service manager to install into.', {
      hint: 'Run xero-proxy serve under the init system this machine has (a container runs it as its command), or see --dry-run for the unit.',
    });
  }
  if (action === 'uninstall') return;
  let mode: number;
  try {
    accessSync(target.executable, constants.X_OK);
    mode = statSync(target.executable).mode;
  } catch {
    throw new AppError('invalid', `The executable ${target.executable} does not exist or cannot be run.`, { field: '--executable', hint: 'Name the packaged executable with --executable PATH.' });
  }
  if (platform !== 'windows' && (target.user !== undefined || platform === 'linux') && (mode & 0o005) !== 0o005) {
    throw new AppError('invalid', `The executable ${target.executable} cannot be read and run by other users (mode ${(mode & 0o777).toString(8)}), so the service's account could not start it.`, {
      field: '--executable',
      hint: `Run: chmod 755 ${target.executable}`,
    });
  }
  if (platform === 'windows' && !seaAsset(WINSW_ASSET.asset)) {
    throw new AppError('invalid', `This executable carries no WinSW (${WINSW_ASSET.asset}): on Windows, service install runs from the packaged xero-proxy-win-x64.exe, which does.`, {
      hint: 'Run the xero-proxy-win-x64.exe built by npm run build, or add --dry-run to see the plan.',
    });
  }
}

/**
 * The settings the service definition depends on: the listening port (below 1024 needs a
 * capability on Linux) and the shutdown grace (the stop timeout). From the config in the data
 * directory when there is one, else from the config a new install writes. The installer's own
 * XERO_PROXY_ variables are not the service's, so they are not read.
 */
function serviceSettings(configPath: string | undefined, configText: string): { port: number; shutdownGraceSeconds: number } {
  const config = configPath && existsSync(configPath) ? loadConfig({ path: configPath, env: {} }) : parseConfigText(configText);
  return { port: config.server.listen.port, shutdownGraceSeconds: config.server.shutdownGraceSeconds };
}

/** Uninstall names the data directory it keeps: the installed service's, read from its definition where it can be. */
function dataDirOfInstalled(platform: ServicePlatform, options: PlanOptions): string | undefined {
  const executable = options.executable ?? (isPackaged() ? process.execPath : PLATFORM_SERVICES[platform].usualExecutable);
  const definition = platform === 'windows' ? winswPaths(executable).xml : platform === 'linux' ? SYSTEMD_UNIT_PATH : LAUNCHD_PLIST_PATH;
  try {
    return installedDataDir(platform, readFileSync(definition, 'utf8'));
  } catch {
    return undefined;
  }
}

function requireHost(): ServicePlatform {
  const host = hostPlatform();
  if (!host) {
    throw new AppError('invalid', `There is no service support for ${process.platform}; the proxy installs as a service on Linux (systemd), Windows and macOS.`, {
      hint: 'Run xero-proxy serve under this system\'s own supervisor, or see a plan with --dry-run --platform linux.',
    });
  }
  return host;
}

function parsePlatform(name: string): ServicePlatform {
  if ((SERVICE_PLATFORMS as readonly string[]).includes(name)) return name as ServicePlatform;
  throw new AppError('invalid', `--platform ${JSON.stringify(name)} is not one of ${SERVICE_PLATFORMS.join(', ')}.`, { field: '--platform' });
}
