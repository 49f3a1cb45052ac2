import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of a CLI run. */
export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string;
}

/**
 * Starts `xero-proxy` from the sources as its own process, the way a user runs it. `input` is
 * piped to its standard input and closed; `interactive` leaves standard input open for the test
 * to type into (`child.stdin.write`), as a person at the terminal would.
 */
export function spawnCli(args: readonly string[], options: CliOptions & { interactive?: boolean }): ChildProcess {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, ...args], {
    cwd: options.cwd,
    // tsx reads tsconfig.json from the working directory, which here is a test's own: point it at
    // the repository's, or the pages' JSX would not compile as hono/jsx.
    env: { ...withoutProxyEnv(process.env), TSX_TSCONFIG_PATH: `${REPO_ROOT}tsconfig.json`, ...options.env },
    stdio: [options.input === undefined && !options.interactive ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  return child;
}

/** Runs `xero-proxy` to completion and collects its output; `input` is piped to its standard input. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Waits until `child` writes a line matching `pattern` to stdout or stderr. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`process exited before ${pattern}; output:\n${seen}`));
    });
  });
}

// A developer's own XERO_PROXY_* variables must not leak into the behaviour under test.
function withoutProxyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key, value]) => !key.startsWith('XERO_PROXY_') && value !== undefined)) as Record<string, string>;
}

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port, or https://… when its config has HTTPS on (as `init` writes it). */
  url: string;
  stderr: () => string;
}

/**
 * Starts `serve` as its own process on a port of its own and waits until it is ready: until it
 * answers /healthz, or (`ready: 'logged'`) until it logs that it listens, for a test that counts
 * the request lines in its log and must not see its own readiness probe among them. A server
 * with HTTPS on (a config `init` wrote) is found by its redirect from plain HTTP, and its CA is
 * then trusted by this process's `fetch`, as by a computer that installed it.
 */
export async function startServe(dir: string, env: Record<string, string> = {}, ready: 'healthz' | 'logged' = 'healthz'): Promise<ServeProcess> {
  // Loaded here, not at the top: ./proxy brings the whole app, which most CLI tests never start.
  const { freePort } = await import('./proxy');
  const port = await freePort();
  const child = spawnCli(['serve'], { cwd: dir, env: { XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`, ...env } });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const isReady = async () => (ready === 'logged' ? stderr.includes('proxy listening') : fetch(`http://127.0.0.1:${port}/healthz`, { redirect: 'manual' }).then((r) => r.ok || r.status === 301, () => false));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${stderr}`);
    if (await isReady()) {
      const https = /"url":"https:/.test(stderr) || (await fetch(`http://127.0.0.1:${port}/healthz`, { redirect: 'manual' }).then((r) => r.status === 301, () => false));
      if (https) (await import('./https')).trustProxyCa(env['XERO_PROXY_STORAGE_DATA_DIR'] ?? join(dir, 'data'));
      return { child, url: `${https ? 'https' : 'http'}://127.0.0.1:${port}`, stderr: () => stderr };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`serve was not ready within 30 s: ${stderr}`);
}
