import { isRun, type Condition, type PlanCommand, type ServicePlan, type ServicePlatform } from './plan';

/**
 * A command as a person would type it: on Linux and macOS in a POSIX shell's quoting, on Windows
 * in cmd's. Only for showing; commands are run from their argv, without a shell.
 */
export function commandLine(argv: readonly string[], platform: ServicePlatform): string {
  return argv.map((arg) => (platform === 'windows' ? quoteWindows(arg) : quotePosix(arg))).join(' ');
}

/**
 * The whole plan for a person, as `--dry-run` prints it: what and where, every file with its
 * full contents, every command in order with why and when it runs, and the notes.
 */
export function planText(plan: ServicePlan): string {
  const lines = [
    `Dry run of service ${plan.action} for ${PLATFORM_NAMES[plan.platform]}: nothing was written and nothing was run.`,
    `Service: ${plan.service} (${plan.manager}), defined in ${plan.definition}`,
    `Runs: ${plan.executable}, as ${plan.runsAs}`,
    `Data directory: ${plan.dataDir}${plan.action === 'uninstall' ? ' (kept)' : ''}`,
    '',
  ];
  if (plan.directories.length) {
    lines.push(`Directories it would make when missing, owner-only (${plan.directories.length}):`, ...plan.directories.map((dir) => `  ${dir}`), '');
  }
  if (plan.files.length) {
    lines.push(`Files it would write (${plan.files.length}):`, '');
    for (const file of plan.files) {
      const mode = plan.platform === 'windows' ? '' : `mode ${octal(file.mode)}`;
      const when = file.keepExisting ? 'only if missing' : '';
      const about = [mode, when].filter(Boolean).join(', ');
      lines.push(`--- ${file.path}${about ? ` (${about})` : ''}`);
      if (typeof file.contents === 'string') lines.push(file.contents.replace(/\r\n/g, '\n').replace(/\n$/, ''));
      else lines.push(`[${file.contents.what}: ${file.contents.bytes.toLocaleString('en')} bytes, SHA-256 ${file.contents.sha256}, copied out of this executable's ${file.contents.asset}]`);
      lines.push(`--- end of ${file.path}`, '');
    }
  }
  lines.push(`Commands it would run, in order, each without a shell; the first that fails stops the rest (${plan.commands.length}):`, '');
  plan.commands.forEach((command, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${commandText(command, plan.platform)}`);
    lines.push(`    to ${command.why}`);
    if (isRun(command) && command.onlyIf?.length) lines.push(`    only if ${command.onlyIf.map((c) => conditionText(c, plan.platform)).join(' and ')}`);
    if (isRun(command) && (command.attempts ?? 1) > 1) lines.push(`    tried up to ${command.attempts} times, a second apart`);
  });
  if (plan.notes.length) lines.push('', ...plan.notes);
  return lines.join('\n');
}

/** The plan as `--json` prints it: modes in octal, as people write them. */
export function planJson(plan: ServicePlan): unknown {
  return { ...plan, files: plan.files.map((file) => ({ ...file, mode: octal(file.mode) })) };
}

/** The steps of a real run, for the lines printed as it goes. */
export function commandText(command: PlanCommand, platform: ServicePlatform): string {
  return isRun(command) ? commandLine(command.argv, platform) : `remove ${command.remove}`;
}

const PLATFORM_NAMES: Record<ServicePlatform, string> = { linux: 'Linux (systemd)', windows: 'Windows (WinSW)', macos: 'macOS (launchd)' };

function conditionText(condition: Condition, platform: ServicePlatform): string {
  switch (condition.kind) {
    case 'exists':
      return `${condition.path} exists`;
    case 'missing':
      return `${condition.path} does not exist`;
    case 'succeeds':
      return `\`${commandLine(condition.argv, platform)}\` succeeds`;
    case 'fails':
      return `\`${commandLine(condition.argv, platform)}\` fails`;
    case 'prints':
      return `\`${commandLine(condition.argv, platform)}\` prints ${condition.text}`;
    case 'does-not-print':
      return `\`${commandLine(condition.argv, platform)}\` does not print ${condition.text}`;
  }
}

function octal(mode: number): string {
  return '0' + mode.toString(8);
}

function quotePosix(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function quoteWindows(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./\\()*-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
}
