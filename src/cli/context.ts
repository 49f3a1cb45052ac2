import type { Command } from 'commander';
import { openStore } from '../app';
import { systemClock, type Clock } from '../lib/clock';
import type { Keyring } from '../lib/secret-box';
import type { Db } from '../store/db';
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

/**
 * Resolves when SIGTERM or SIGINT arrives. The handlers stay installed afterwards, so a second
 * signal during the graceful shutdown is ignored instead of killing the process mid-way.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => resolve(signal);
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * How long a command's call to Xero waits for its turn. A command runs in its own process with
 * its own pacer (the server's is in the server), so it keeps to the limits by itself; a person
 * at a terminal can wait longer than a device's request.
 */
export const CLI_PACE_WAIT_MS = 60_000;

/** The proxy's store as the CLI uses it, beside a running server: opened, used, closed. */
export interface CliStore {
  config: Config;
  db: Db;
  keyring: Keyring;
  clock: Clock;
}

/**
 * Opens the database and key named by the config (refusing a key the database was not sealed
 * with), runs `work`, and always closes the database.
 */
export async function withStore<T>(command: Command, work: (store: CliStore) => T | Promise<T>): Promise<T> {
  const config = configFrom(command);
  const { db, keyring } = openStore(config, systemClock);
  try {
    return await work({ config, db, keyring, clock: systemClock });
  } finally {
    db.close();
  }
}
