import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write';
import { AppError } from '../lib/errors';
import { isRun, type Condition, type EmbeddedAsset, type PlanCommand, type PlanFile, type ServicePlan } from './plan';
import { commandLine } from './plan-text';
import type { ProbeResult } from './status';

/** What carrying out a plan did, step by step, in the plan's order. */
export interface PlanReport {
  steps: { step: string; outcome: 'made' | 'written' | 'unchanged' | 'kept' | 'ran' | 'skipped' | 'removed' | 'absent' }[];
}

export interface RunPlanOptions {
  /** The executable's embedded assets by name (`seaAsset`); undefined where there are none. */
  asset(name: string): Uint8Array | undefined;
  /** Called as each step is done, with a line for a person. */
  onStep?: (line: string) => void;
  /** How the runner waits between a command's tries (a synchronous pause by default); tests count the waits instead. */
  pause?: (ms: number) => void;
  /** The environment of the commands; defaults to this process's less its XERO_PROXY_ variables. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A step of a plan that could not be done: which, how it failed, and that nothing after it was
 * run. Its code is always `unavailable`; `step` (from 1) and `argv` say where it stopped.
 */
export class ServiceStepError extends AppError {
  readonly step: number;
  readonly argv: readonly string[] | undefined;
  readonly exitStatus: number | null | undefined;

  constructor(message: string, options: { step: number; argv?: readonly string[]; exitStatus?: number | null; hint: string; cause?: unknown }) {
    super('unavailable', message, { hint: options.hint, retryable: false, cause: options.cause });
    this.name = 'ServiceStepError';
    this.step = options.step;
    this.argv = options.argv;
    this.exitStatus = options.exitStatus;
  }
}

/**
 * Carries out a plan: makes its missing directories owner-only, writes its files (atomically,
 * with their modes; a file marked `keepExisting` that exists is left alone), then runs its
 * commands in order without a shell, each only when its conditions hold, and stops at the first
 * that fails with a `ServiceStepError`. Removals delete files only and do not mind a file
 * already gone.
 */
export function runPlan(plan: ServicePlan, options: RunPlanOptions): PlanReport {
  const env = options.env ?? withoutProxyEnv(process.env);
  const total = plan.directories.length + plan.files.length + plan.commands.length;
  const report: PlanReport = { steps: [] };
  const done = (step: string, outcome: PlanReport['steps'][number]['outcome']) => {
    report.steps.push({ step, outcome });
    options.onStep?.(`${outcome.padEnd(8)} ${step}`);
  };
  let number = 0;
  for (const dir of plan.directories) {
    number++;
    try {
      done(dir, makeDirectory(dir) ? 'made' : 'kept');
    } catch (error) {
      throw new ServiceStepError(`${stoppedAt(number, total)}: the directory ${dir} could not be made (${describe(error)}). ${nothingAfter(number)}`, {
        step: number,
        hint: 'Run it as root (Administrator on Windows), then run the same command again.',
        cause: error,
      });
    }
  }
  for (const file of plan.files) {
    number++;
    try {
      done(file.path, writeFile(file, options));
    } catch (error) {
      if (error instanceof ServiceStepError) throw error;
      throw new ServiceStepError(`${stoppedAt(number, total)}: ${file.path} could not be written (${describe(error)}). ${nothingAfter(number)}`, {
        step: number,
        hint: 'Run it as root (Administrator on Windows), with the disk not full, then run the same command again.',
        cause: error,
      });
    }
  }
  for (const command of plan.commands) {
    number++;
    if (!isRun(command)) {
      const existed = existsSync(command.remove);
      if (existed) removeFile(command, number, total);
      done(`remove ${command.remove}`, existed ? 'removed' : 'absent');
      continue;
    }
    const line = commandLine(command.argv, plan.platform);
    if (command.onlyIf && !command.onlyIf.every((condition) => holds(condition, env))) {
      done(line, 'skipped');
      continue;
    }
    try {
      runWithAttempts(command.argv, env, command.attempts ?? 1, options.pause ?? pauseSync);
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { status?: number | null; signal?: string | null; stderr?: Buffer; stdout?: Buffer };
      const said = lastLines(String(failure.stderr ?? '') || String(failure.stdout ?? ''));
      const how =
        failure.code === 'ENOENT' ? `${command.argv[0]} was not found` : failure.signal ? `it was killed by ${failure.signal}` : `it exited with status ${failure.status}`;
      throw new ServiceStepError(`${stoppedAt(number, total)}: \`${line}\` (to ${command.why}) failed: ${how}${said ? `: ${said.replace(/\.$/, '')}` : ''}. ${nothingAfter(number)}`, {
        step: number,
        argv: command.argv,
        exitStatus: failure.status ?? null,
        hint: command.hint ?? `Fix the cause, then run the same command again: it is safe to repeat.`,
        cause: error,
      });
    }
    done(line, 'ran');
  }
  return report;
}

/** Runs a command, trying again a second later while attempts are left; throws the last failure. */
function runWithAttempts(argv: readonly string[], env: NodeJS.ProcessEnv, attempts: number, pause: (ms: number) => void): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      return;
    } catch (error) {
      if (attempt >= attempts || (error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
      pause(1000);
    }
  }
}

// A synchronous pause: the runner is synchronous from end to end, like the commands it runs.
function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs a command that only looks, never throwing: a command that cannot be run has status null. */
export function probe(argv: readonly string[], env: NodeJS.ProcessEnv = withoutProxyEnv(process.env)): ProbeResult {
  try {
    const stdout = execFileSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, timeout: 30_000 });
    return { status: 0, stdout: stdout.toString('utf8') };
  } catch (error) {
    const failure = error as { status?: number | null; stdout?: Buffer };
    return { status: typeof failure.status === 'number' ? failure.status : null, stdout: failure.stdout ? failure.stdout.toString('utf8') : '' };
  }
}

function holds(condition: Condition, env: NodeJS.ProcessEnv): boolean {
  switch (condition.kind) {
    case 'exists':
      return existsSync(condition.path);
    case 'missing':
      return !existsSync(condition.path);
    case 'succeeds':
      return probe(condition.argv, env).status === 0;
    case 'fails':
      return probe(condition.argv, env).status !== 0;
    case 'prints':
      return probe(condition.argv, env).stdout.includes(condition.text);
    case 'does-not-print':
      return !probe(condition.argv, env).stdout.includes(condition.text);
  }
}

/** Writes one file, unless it is to be kept or already holds exactly these bytes. */
function writeFile(file: PlanFile, options: RunPlanOptions): 'written' | 'unchanged' | 'kept' {
  if (file.keepExisting && existsSync(file.path)) return 'kept';
  const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : assetBytes(file.contents, options);
  // Windows cannot replace a running program's file: WinSW, while the service runs, is left as it is when it is the same.
  if (existsSync(file.path) && sameBytes(file.path, bytes)) {
    chmodSync(file.path, file.mode);
    return 'unchanged';
  }
  writeFileAtomic(file.path, bytes, { mode: file.mode, exclusive: Boolean(file.keepExisting) });
  // The mode given to open() is filtered by the umask too.
  chmodSync(file.path, file.mode);
  return 'written';
}

/** Makes a directory owner-only when it is missing; an existing one is left as it is. */
function makeDirectory(dir: string): boolean {
  if (existsSync(dir)) return false;
  // Directories above it that are missing too must stay passable for the service's account.
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  mkdirSync(dir, { mode: 0o700 });
  // mkdir's mode passes through the umask; these directories must be owner-only whatever it is.
  chmodSync(dir, 0o700);
  return true;
}

function sameBytes(path: string, bytes: Uint8Array): boolean {
  try {
    return statSync(path).size === bytes.length && readFileSync(path).equals(bytes);
  } catch {
    return false;
  }
}

function assetBytes(asset: EmbeddedAsset, options: RunPlanOptions): Uint8Array {
  const bytes = options.asset(asset.asset);
  if (!bytes) throw new Error(`this executable carries no ${asset.asset} (${asset.what}); run the packaged executable built by npm run build`);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== asset.sha256) throw new Error(`the embedded ${asset.asset} has SHA-256 ${digest}, not the ${asset.sha256} of ${asset.what}`);
  return bytes;
}

function removeFile(command: Extract<PlanCommand, { remove: string }>, number: number, total: number): void {
  try {
    // A file, never a directory: plans never remove the data directory, and this makes sure.
    if (statSync(command.remove).isDirectory()) throw Object.assign(new Error('it is a directory, which a plan never removes'), { code: 'EISDIR' });
    rmSync(command.remove, { force: true });
  } catch (error) {
    throw new ServiceStepError(`${stoppedAt(number, total)}: ${command.remove} could not be removed (${describe(error)}). ${nothingAfter(number)}`, {
      step: number,
      hint: 'Run it as root (Administrator on Windows), then run the same command again.',
      cause: error,
    });
  }
}

function stoppedAt(number: number, total: number): string {
  return `Stopped at step ${number} of ${total}`;
}

function nothingAfter(number: number): string {
  return number === 1 ? 'Nothing after it was done.' : `Steps 1 to ${number - 1} were done; nothing after it was.`;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : e.message ?? String(error);
}

/** The last two non-empty lines a command printed, which usually say why it failed. */
function lastLines(text: string): string {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).slice(-2).join(' / ');
}

/** The installer's own XERO_PROXY_ settings must not leak into `init` or the service's files. */
function withoutProxyEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('XERO_PROXY_')));
}
