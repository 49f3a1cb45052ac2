import type { Command } from 'commander';
import { loadConfig } from '../config/load';
import type { Config } from '../config/types';
import { createLogger, type Logger } from '../lib/logger';

/** The config named by the global `--config` option (or its env/default fallbacks). */
export function configFrom(command: Command): Config {
  const options = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ path: options.config });
}

/** A logger as `serve` writes it: JSON lines unless a person is watching a terminal. */
export function loggerFor(config: Config): Logger {
  return createLogger({ level: config.server.logLevel, format: process.stderr.isTTY ? 'text' : 'json' });
}

/** Resolves when SIGTERM or SIGINT arrives. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
