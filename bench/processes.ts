// The bench's child processes: the proxy's executable (or tsx on the source), started with an
// environment, watched until it answers over HTTP, and stopped with SIGTERM as a service manager
// would, so a CPU profile asked for is written on the way out.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/**
 * The argv that runs `xero-proxy`: BENCH_PROXY=tsx runs the source (for profiling with names),
 * BENCH_EXE names an executable, otherwise dist/xero-proxy, built for this machine when missing.
 */
export function proxyCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env['BENCH_PROXY'] === 'tsx') return [TSX, join(ROOT, 'src/main.ts')];
  if (env['BENCH_EXE']) return [resolve(env['BENCH_EXE'])];
  const exe = join(ROOT, 'dist/xero-proxy');
  const stale = existsSync(exe) && newestSource(join(ROOT, 'src')) > statSync(exe).mtimeMs;
  if (!existsSync(exe) || stale) {
    const target = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    console.log(`bench: ${exe} is ${stale ? 'older than src/' : 'missing'}; building it (npm run build -- --target ${target})`);
    const built = spawnSync('npm', ['run', 'build', '--', '--target', target], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`npm run build -- --target ${target} failed`);
  }
  return [exe];
}

/** The argv that runs a TypeScript file of bench/ with the project's tsx. */
export const tsxCommand = (file: string): string[] => [TSX, join(ROOT, 'bench', file)];

/** A free TCP port on 127.0.0.1: bound, read, released. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

// A bench that ends on an error leaves no server behind it.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Where its standard output and error go. */
  readonly logPath: string;
  /** SIGTERM, then waits for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Runs `argv` with `env` added to this process's environment, its output into `logPath`. */
export function startChild(name: string, argv: string[], options: { env: Record<string, string>; logPath: string; cwd?: string }): Child {
  const log = openSync(options.logPath, 'a');
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd ?? ROOT, env: { ...inherited(), ...options.env }, stdio: ['ignore', log, log] });
  closeSync(log);
  live.add(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done(void live.delete(child))));
  return {
    name,
    process: child,
    logPath: options.logPath,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `argv` to the end and returns its standard output; throws with its output when it fails. */
export function runToEnd(argv: string[], env: Record<string, string>): string {
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...inherited(), ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${argv.slice(1).join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Waits until `url` answers 200, or the child exits, or 60 s pass. */
export async function untilAnswers(child: Child, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited early (${child.process.exitCode}); see ${child.logPath}`);
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within 60 s; see ${child.logPath}`);
}

/** This process's environment without the proxy's own settings, which the world sets itself. */
function inherited(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('XERO_PROXY_') && name !== 'NODE_OPTIONS'));
  // The project's Node (node_modules/.bin/node) first, as npm scripts have it, whoever started the bench.
  // tsx reads tsconfig.json from the working directory, which is the world's: name the project's (hono/jsx pages).
  return { ...env, PATH: `${join(ROOT, 'node_modules/.bin')}:${env['PATH'] ?? ''}`, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') };
}

/** The latest modification time of any file under `dir`, in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
