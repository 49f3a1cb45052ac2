/**
 * What `xero-proxy service install|uninstall` does on a machine, as data: the files to write and
 * the commands to run, in order. Each platform's file (systemd.ts, winsw.ts, launchd.ts) makes
 * one from plain inputs without touching anything; run-plan.ts carries it out, and `--dry-run`
 * prints it. Plans only ever name the data directory to write into it: none removes it.
 */

/** The platforms a service can be installed on, by the names `--platform` takes. */
export const SERVICE_PLATFORMS = ['linux', 'windows', 'macos'] as const;
export type ServicePlatform = (typeof SERVICE_PLATFORMS)[number];

/** The config file a service reads, in its data directory. */
export const SERVICE_CONFIG_NAME = 'xero-proxy.toml';

/** A file the plan writes; its directory exists already or is among the plan's directories. */
export interface PlanFile {
  path: string;
  /** The text to write, or the executable's embedded asset (a binary) to copy out. */
  contents: string | EmbeddedAsset;
  /** Unix permission bits, e.g. 0o644; Windows has ACLs instead and ignores them. */
  mode: number;
  /** Written only when no file is there: the config, which a person may have edited since. */
  keepExisting?: boolean;
}

/** A file the build put inside the executable, checked by its SHA-256 before it is written. */
export interface EmbeddedAsset {
  asset: string;
  /** What it is, for people: "WinSW 1.17, the Windows service wrapper". */
  what: string;
  bytes: number;
  sha256: string;
}

/** When a command runs: every condition given must hold when its turn comes. */
export type Condition =
  | { kind: 'exists'; path: string }
  | { kind: 'missing'; path: string }
  /** The probe (a command that changes nothing) exits 0. */
  | { kind: 'succeeds'; argv: readonly string[] }
  | { kind: 'fails'; argv: readonly string[] }
  /** The probe's standard output contains `text`, whatever its exit status. */
  | { kind: 'prints'; argv: readonly string[]; text: string }
  | { kind: 'does-not-print'; argv: readonly string[]; text: string };

/** A command run without a shell, or a file removed (never a directory). */
export type PlanCommand =
  | {
      argv: readonly string[];
      why: string;
      onlyIf?: readonly Condition[];
      /** What to try when it fails, printed as the hint. */
      hint?: string;
      /** Tries before it counts as failed, a second apart (default 1): for a manager still finishing the step before. */
      attempts?: number;
    }
  | { remove: string; why: string };

/** The whole of an install or an uninstall on one platform. */
export interface ServicePlan {
  action: 'install' | 'uninstall';
  platform: ServicePlatform;
  /** The service manager: systemd, WinSW (on the Service Control Manager) or launchd. */
  manager: string;
  /** The service's name as its manager knows it. */
  service: string;
  /** The file that defines the service: the unit, the WinSW XML, the plist. */
  definition: string;
  executable: string;
  dataDir: string;
  /** Who the service runs as. */
  runsAs: string;
  /** Made first when missing, owner-only (0700): the data directory and its logs, never a system directory. */
  directories: readonly string[];
  /** Written before any command runs, in order. */
  files: readonly PlanFile[];
  /** Run in order; the first that fails stops the rest. */
  commands: readonly PlanCommand[];
  /** What a person should know afterwards: where things are, what to do next. */
  notes: readonly string[];
}

/** The inputs every platform's plan takes, already checked and absolute in that platform's path syntax. */
export interface PlanInputs {
  executable: string;
  dataDir: string;
  /** The account to run as (Linux: created when missing; macOS: an existing one); undefined for the default. */
  user?: string | undefined;
  /** The text of a new config file (the example, with data_dir pointing at the data directory). */
  configText: string;
  /** The configured `server.listen` port: below 1024 needs the capability to bind it. */
  port: number;
  /** `server.shutdown_grace_seconds`: how long the service needs to stop cleanly. */
  shutdownGraceSeconds: number;
}

/** The platform of this machine, if a service can be installed on it. */
export function hostPlatform(platform: NodeJS.Platform = process.platform): ServicePlatform | undefined {
  if (platform === 'linux') return 'linux';
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  return undefined;
}

/** Whether a step is a command (not a removal). */
export function isRun(command: PlanCommand): command is Extract<PlanCommand, { argv: readonly string[] }> {
  return 'argv' in command;
}
