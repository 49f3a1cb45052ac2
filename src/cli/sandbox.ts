import type { Command } from 'commander';
import { RATE_PROFILES } from '../config/schema';
import { parseListen } from '../config/load';
import { systemClock } from '../lib/clock';
import { createSandbox } from '../sandbox/app';
import { startServer } from '../server/listen';
import { configFrom, loggerFor, untilSignal } from './context';
import type { Io } from './output';

/** `xero-proxy sandbox`: runs the offline Xero on its own. */
export function registerSandbox(program: Command, io: Io): void {
  program
    .command('sandbox')
    .description('run the built-in Xero sandbox (OAuth 1.0a and 2.0 providers, Accounting and Payroll AU APIs, control API)')
    .option('--port <port>', 'port to listen on (overrides sandbox.listen)')
    .option('--host <host>', 'address to listen on (overrides sandbox.listen)')
    .option('--memory', 'keep all state in memory instead of the sandbox database file')
    .action(async (options: { port?: string; host?: string; memory?: boolean }, command: Command) => {
      const config = configFrom(command);
      const logger = loggerFor(config).child({ component: 'sandbox' });
      const listen = parseListen('--port', `${options.host ?? config.sandbox.listen.host}:${options.port ?? config.sandbox.listen.port}`);
      const profile = RATE_PROFILES[config.sandbox.rateLimitProfile];
      const sandbox = createSandbox({
        database: options.memory ? ':memory:' : config.sandbox.database,
        settings: {
          limits: { perMinute: profile.perMinute, perDay: profile.perDay, concurrency: profile.concurrency },
          rateLimitStatus: config.sandbox.rateLimitStatus,
          timestampWindowSeconds: config.sandbox.timestampWindowSeconds,
          minuteMs: config.sandbox.minuteMs,
        },
        logger,
        clock: systemClock,
      });
      const server = await startServer(sandbox.app.fetch, listen).catch((error: unknown) => {
        sandbox.close();
        throw error;
      });
      logger.info('sandbox listening', { url: server.url, database: options.memory ? ':memory:' : config.sandbox.database });
      io.out(`Xero sandbox on ${server.url} (organisations: ${server.url}/sandbox/organisations)`);
      await untilSignal();
      await server.close(config.server.shutdownGraceSeconds * 1000);
      sandbox.close();
    });
}
