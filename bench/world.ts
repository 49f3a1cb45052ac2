// A bench world made as an operator makes one, each part its own process: `xero-proxy sandbox`
// (Xero's minute scaled by sandbox.minute_ms), a custom connection registered at its control API,
// `xero-proxy init`, `xero-proxy org connect --device` (which prints the device's key), then
// `xero-proxy serve` paced to the same minute (xero.rate_limit.minute_ms). Nothing reaches into
// either process: figures come over HTTP and from their database files, opened read-only.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runToEnd, startChild, untilAnswers, type Child } from './processes';

export interface BenchWorld {
  dir: string;
  sandboxUrl: string;
  proxyUrl: string;
  /** The device BENCH-TILL's key, as `org connect --device` printed it. */
  apiKey: string;
  /** Xero's id of the organisation (the sandbox's tables name it) and the custom connection's credentials. */
  xeroOrganisationId: string;
  client: { clientId: string; clientSecret: string };
  proxyDb: string;
  sandboxDb: string;
  proxy: Child;
  sandbox: Child;
  /** Stops `serve` and starts it again with `env` over the world's own (the sandbox keeps running), profiled into `cpuProfDir` when given. */
  restartProxy(env?: Record<string, string>, cpuProfDir?: string): Promise<void>;
  /** Stops every process; removes the world's files unless `keep`. */
  stop(keep?: boolean): Promise<void>;
}

export interface WorldOptions {
  /** argv that runs `xero-proxy` (see proxyCommand). */
  command: string[];
  /** Xero's minute, in real milliseconds, in the sandbox and the proxy's pacing alike. */
  minuteMs: number;
  /** Added to the environment of the first `serve`. */
  proxyEnv?: Record<string, string>;
  /** Where `serve` writes its CPU profile (NODE_OPTIONS=--cpu-prof), when asked for. */
  cpuProfDir?: string;
}

export async function startBenchWorld(options: WorldOptions): Promise<BenchWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'xero-bench-'));
  const children: Child[] = [];
  // Kept after a failure (or with BENCH_KEEP=1): the logs and databases say what went wrong.
  const stop = async (keep = process.env['BENCH_KEEP'] === '1') => {
    for (const child of children.reverse()) await child.stop();
    if (keep) console.log(`bench: the world's files are kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  try {
    const sandboxDb = join(dir, 'sandbox', 'sandbox.db');
    mkdirSync(join(dir, 'sandbox'));
    const sandboxPort = await freePort();
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const sandbox = startChild('sandbox', [...options.command, 'sandbox', '--port', String(sandboxPort)], {
      cwd: join(dir, 'sandbox'),
      logPath: join(dir, 'sandbox.log'),
      env: { XERO_PROXY_SANDBOX_DATABASE: sandboxDb, XERO_PROXY_SANDBOX_MINUTE_MS: String(options.minuteMs), XERO_PROXY_SANDBOX_RATE_LIMIT_STATUS: '429', XERO_PROXY_SERVER_LOG_LEVEL: 'warn' },
    });
    children.push(sandbox);
    await untilAnswers(sandbox, `${sandboxUrl}/sandbox/organisations`);
    const { organisations } = (await (await fetch(`${sandboxUrl}/sandbox/organisations`)).json()) as { organisations: Array<{ id: string }> };
    const xeroOrganisationId = organisations[0]!.id;
    const client = await registerCustomConnection(sandboxUrl, xeroOrganisationId);

    const proxyPort = await freePort();
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const env: Record<string, string> = {
      XERO_PROXY_CONFIG: join(dir, 'proxy', 'xero-proxy.toml'),
      XERO_BENCH_CLIENT_SECRET: client.clientSecret,
      XERO_PROXY_XERO_APP_TYPE: 'custom_connection',
      XERO_PROXY_XERO_API_URL: sandboxUrl,
      XERO_PROXY_XERO_IDENTITY_URL: sandboxUrl,
      XERO_PROXY_XERO_LOGIN_URL: sandboxUrl,
      XERO_PROXY_XERO_RATE_LIMIT_MINUTE_MS: String(options.minuteMs),
      XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${proxyPort}`,
      XERO_PROXY_SERVER_PUBLIC_URL: proxyUrl,
      XERO_PROXY_SERVER_TLS: 'off',
      XERO_PROXY_SERVER_LOG_LEVEL: 'warn',
      XERO_PROXY_BACKUP_SCHEDULE: 'off',
      XERO_PROXY_RECONCILE_SCHEDULE: 'off',
    };
    mkdirSync(join(dir, 'proxy'));
    runToEnd([...options.command, 'init', '--client-id', client.clientId, '--client-secret-env', 'XERO_BENCH_CLIENT_SECRET', '--json'], env);
    const connected = runToEnd([...options.command, 'org', 'connect', '--device', 'BENCH-TILL', '--json'], env);
    const apiKey = (JSON.parse(connected.slice(connected.indexOf('{'))) as { device: { apiKey: string } }).device.apiKey;

    // The executable honours NODE_OPTIONS as node does; the profile is written when serve exits on SIGTERM.
    const profiling = (cpuProfDir: string | undefined): Record<string, string> => (cpuProfDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${cpuProfDir}` } : {});
    const startServe = async (extra: Record<string, string>, cpuProfDir: string | undefined) => {
      const child = startChild('serve', [...options.command, 'serve'], { cwd: join(dir, 'proxy'), logPath: join(dir, 'serve.log'), env: { ...env, ...profiling(cpuProfDir), ...extra } });
      children.push(child);
      await untilAnswers(child, `${proxyUrl}/healthz`);
      return child;
    };
    const world: BenchWorld = {
      dir,
      sandboxUrl,
      proxyUrl,
      apiKey,
      xeroOrganisationId,
      client,
      proxyDb: join(dir, 'proxy', 'data', 'xero-proxy.db'),
      sandboxDb,
      sandbox,
      proxy: await startServe(options.proxyEnv ?? {}, options.cpuProfDir),
      restartProxy: async (extra = {}, cpuProfDir) => {
        await world.proxy.stop();
        children.splice(children.indexOf(world.proxy), 1);
        world.proxy = await startServe(extra, cpuProfDir);
      },
      stop,
    };
    return world;
  } catch (error) {
    await stop(true);
    throw error;
  }
}

/** A custom connection to `organisationId`, registered as its developer would in Xero's portal. */
export async function registerCustomConnection(sandboxUrl: string, organisationId: string): Promise<{ clientId: string; clientSecret: string }> {
  const response = await fetch(`${sandboxUrl}/sandbox/oauth2/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'custom_connection', tenant: organisationId }) });
  if (response.status !== 201) throw new Error(`registering the custom connection answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { clientId: string; clientSecret: string };
}
