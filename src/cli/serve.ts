import type { Command } from 'commander';
import { startProxy } from '../app';
import { systemClock } from '../lib/clock';
import { certificateWarnings } from '../services/certificate-warnings';
import { xeroAppCheck } from '../services/doctor';
import { readHostFacts } from '../services/host-facts';
import { publicUrlCheck } from '../services/public-url-check';
import { VERSION } from '../version';
import { configFrom, serverLog, untilSignal } from './context';
import type { Io } from './output';

/**
 * `xero-proxy serve`: runs the proxy until SIGTERM/SIGINT, then shuts down gracefully; logs to
 * standard error and `server.log_file`, first the address it bound and whether devices on the LAN
 * can reach it at `server.public_url`.
 */
export function registerServe(program: Command, _io: Io): void {
  program
    .command('serve')
    .description('run the proxy: the device API, the connect pages and the delivery loop')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      const log = serverLog(config);
      const { logger } = log;
      const running = await startProxy(config, logger, systemClock);
      // Listening for the stop signal from here on, so one that comes during the checks below is not lost.
      const stopped = untilSignal();
      const tls = running.proxy.tls?.served;
      logger.info('proxy listening', {
        url: running.server.url,
        bound: running.server.bound,
        publicUrl: config.server.publicUrl,
        tls: config.server.tls,
        ...(tls ? { caSpkiSha256: tls.caSpkiSha256 } : {}),
        version: VERSION,
        xero: config.xero.apiUrl,
        appType: config.xero.appType,
        config: config.source ?? '(defaults)',
      });
      const app = xeroAppCheck(config);
      if (app.status !== 'ok') logger.warn(`Xero app: ${app.detail}`, { appType: config.xero.appType });
      const reach = await publicUrlCheck(config, readHostFacts(), { bound: running.server.bound });
      if (reach.status !== 'ok') logger.warn(`server.public_url: ${reach.detail}`);
      for (const warning of certificateWarnings(running.proxy.db, systemClock, { appType: config.xero.appType })) logger.warn(warning.message, { certificate: warning.certificateId });
      const signal = await stopped;
      logger.info('shutting down', { signal, graceSeconds: config.server.shutdownGraceSeconds });
      await running.stop();
      logger.info('stopped');
      log.close();
    });
}
