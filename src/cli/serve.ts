import type { Command } from 'commander';
import { startProxy } from '../app';
import { systemClock } from '../lib/clock';
import { certificateWarnings } from '../services/certificate-warnings';
import { VERSION } from '../version';
import { configFrom, serverLog, untilSignal } from './context';
import type { Io } from './output';

/** `xero-proxy serve`: runs the proxy until SIGTERM/SIGINT, then shuts down gracefully; logs to standard error and `server.log_file`. */
export function registerServe(program: Command, _io: Io): void {
  program
    .command('serve')
    .description('run the proxy: the device API, the connect pages and the delivery loop')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      const log = serverLog(config);
      const { logger } = log;
      const running = await startProxy(config, logger, systemClock);
      // Listening for the stop signal before saying it listens: one sent on that line must not find
      // the default action (an exit without shutting down) still in place.
      const stopped = untilSignal();
      logger.info('proxy listening', { url: running.server.url, version: VERSION, xero: config.xero.apiUrl, appType: config.xero.appType, config: config.source ?? '(defaults)' });
      for (const warning of certificateWarnings(running.proxy.db, systemClock, { appType: config.xero.appType })) logger.warn(warning.message, { certificate: warning.certificateId });
      const signal = await stopped;
      logger.info('shutting down', { signal, graceSeconds: config.server.shutdownGraceSeconds });
      await running.stop();
      logger.info('stopped');
      log.close();
    });
}
