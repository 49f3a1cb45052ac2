import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startProxy } from '../app';
import { loadConfig } from '../config/load';
import { RATE_PROFILES } from '../config/schema';
import { systemClock } from '../lib/clock';
import { createSandbox } from '../sandbox/app';
import { DEMO_ORGANISATIONS } from '../sandbox/organisations';
import { startServer } from '../server/listen';
import { createKeyFileIfMissing, KEY_FILE_NAME } from '../store/keyring';
import { loggerFor, untilSignal } from './context';
import type { Io } from './output';

/**
 * `xero-proxy demo`: the proxy and the embedded sandbox Xero together, on their embedded
 * defaults, with nothing to configure. State lives in ./demo-data (the sandbox in memory).
 */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the proxy against the built-in sandbox Xero, with demo data; nothing to configure')
    .option('--data-dir <dir>', 'where the demo proxy keeps its state', './demo-data')
    .option('--port <port>', 'proxy port', '8080')
    .option('--sandbox-port <port>', 'sandbox port', '9090')
    .action(async (options: { dataDir: string; port: string; sandboxPort: string }) => {
      const dataDir = resolve(options.dataDir);
      if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      createKeyFileIfMissing(join(dataDir, KEY_FILE_NAME));

      const base = loadConfig({ env: { XERO_PROXY_STORAGE_DATA_DIR: dataDir }, cwd: dataDir });
      const logger = loggerFor(base);
      const profile = RATE_PROFILES.standard;
      const sandbox = createSandbox({
        database: ':memory:',
        settings: { limits: { ...profile }, rateLimitStatus: 503, timestampWindowSeconds: 300 },
        logger: logger.child({ component: 'sandbox' }),
        clock: systemClock,
      });
      const sandboxServer = await startServer(sandbox.app.fetch, { host: '127.0.0.1', port: Number(options.sandboxPort) });
      const config = loadConfig({
        env: {
          XERO_PROXY_STORAGE_DATA_DIR: dataDir,
          XERO_PROXY_XERO_API_URL: sandboxServer.url,
          XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${options.port}`,
          XERO_PROXY_SERVER_PUBLIC_URL: `http://localhost:${options.port}`,
        },
        cwd: dataDir,
      });
      const proxy = await startProxy(config, logger, systemClock);
      io.out(
        [
          '',
          'Xero Comms Proxy demo',
          `  proxy          ${proxy.server.url}   (health: ${proxy.server.url}/healthz)`,
          `  sandbox Xero   ${sandboxServer.url}   (organisations: ${sandboxServer.url}/sandbox/organisations)`,
          `  organisations  ${DEMO_ORGANISATIONS.map((org) => org.name).join(', ')}`,
          `  state          ${dataDir}`,
          '',
          'Press Ctrl+C to stop.',
        ].join('\n'),
      );
      await untilSignal();
      await proxy.stop();
      await sandboxServer.close(config.server.shutdownGraceSeconds * 1000);
      sandbox.close();
    });
}
