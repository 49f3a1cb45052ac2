import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { systemClock, type Clock } from '../../src/lib/clock';
import { silentLogger, type Logger } from '../../src/lib/logger';
import { createKeyFileIfMissing, KEY_FILE_NAME } from '../../src/store/keyring';

export interface TestProxy {
  url: string;
  dataDir: string;
  running: RunningProxy;
  stop(): Promise<void>;
}

/**
 * Starts the real proxy on a free port with a fresh data directory and key, configured by
 * `XERO_PROXY_…` style overrides (e.g. `{ XERO_PROXY_XERO_API_URL: sandbox.url }`).
 */
export async function startTestProxy(
  options: { env?: Record<string, string>; clock?: Clock; logger?: Logger; dataDir?: string; proxy?: ProxyOptions; publicUrlIsSelf?: boolean } = {},
): Promise<TestProxy> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'xp-proxy-'));
  createKeyFileIfMissing(join(dataDir, KEY_FILE_NAME));
  // The public URL must name the real port. With `publicUrlIsSelf` a free port is chosen first and
  // the public URL names it (what browser tests need: pages check Origin against it); otherwise
  // tests that need it pass XERO_PROXY_SERVER_PUBLIC_URL themselves.
  const port = options.publicUrlIsSelf ? await freePort() : 0;
  const tls = options.env?.['XERO_PROXY_SERVER_TLS'];
  const scheme = tls !== undefined && tls !== 'off' ? 'https' : 'http';
  const self = options.publicUrlIsSelf ? { XERO_PROXY_SERVER_PUBLIC_URL: `${scheme}://127.0.0.1:${port}` } : {};
  // Pages are signed in to with the password alone unless a test asks for two-step sign-in as
  // shipped (XERO_PROXY_ADMIN_REQUIRE_MFA: 'true'): a code cannot be used twice, and most tests
  // sign in many times within one 30-second step of a stopped clock.
  const config = loadConfig({ env: { XERO_PROXY_STORAGE_DATA_DIR: dataDir, XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`, XERO_PROXY_ADMIN_REQUIRE_MFA: 'false', ...self, ...options.env }, cwd: dataDir });
  // Background work is off unless a test asks for it: the token sweep, and the delivery loop
  // (tests of the accept path read jobs as queued; delivery tests drive the loop themselves).
  const running = await startProxy(config, options.logger ?? silentLogger, options.clock ?? systemClock, { schedule: false, delivery: false, ...options.proxy });
  return { url: running.server.url, dataDir, running, stop: () => running.stop() };
}

/**
 * A port that was free a moment ago, for a server the test starts later (a child process, or a
 * public URL that must name its port). Chosen at random below Linux's ephemeral range
 * (32768–60999): a port the OS hands out for port 0 is also what outgoing connections take as
 * their local port, so with other test files opening thousands of connections it could be in use
 * again by the time the server binds.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
