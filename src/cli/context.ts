import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { openStore } from '../app';
import { systemClock, type Clock } from '../lib/clock';
import type { Keyring } from '../lib/secret-box';
import type { Db } from '../store/db';
import { loadConfig } from '../config/load';
import type { Config } from '../config/types';
import { LogFile } from '../lib/log-file';
import { createLogger, type Logger } from '../lib/logger';
import type { Actor } from '../services/audit';

/** The config named by the global `--config` option (or its env/default fallbacks). */
export function configFrom(command: Command): Config {
  const options = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ path: options.config });
}

/** A logger as `serve` writes it: JSON lines unless a person is watching a terminal. */
export function loggerFor(config: Config): Logger {
  return createLogger({ level: config.server.logLevel, format: stderrFormat() });
}

/** The server's logger and its log file (when `server.log_file` asks for one), which `close` closes. */
export interface ServerLog {
  logger: Logger;
  close(): void;
}

/**
 * The logger of `serve` and `demo`: standard error as `loggerFor`, and the log file of
 * `server.log_file` when this process writes one. A file that cannot be written is said once on
 * standard error, and the server goes on without it until it can be written again.
 */
export function serverLog(config: Config): ServerLog {
  const setting = config.server.logFile;
  const level = config.server.logLevel;
  if (!setting?.active) return { logger: loggerFor(config), close: () => {} };
  // Said on standard error alone: the file is what failed.
  const stderrOnly = loggerFor(config);
  const file = new LogFile(setting.path, {
    maxBytes: setting.maxBytes,
    keep: setting.keep,
    onFailure: (error) => stderrOnly.error('the log file cannot be written; logging to standard error only, and trying the file again each minute', { file: setting.path, error }),
    onRecovery: () => logger.info('the log file is written again; lines logged meanwhile are on standard error only', { file: setting.path }),
  });
  const logger = createLogger({ level, format: stderrFormat(), file });
  return { logger, close: () => file.close() };
}

function stderrFormat(): 'json' | 'text' {
  return process.stderr.isTTY ? 'text' : 'json';
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
  /** Who the audit log names for what the command changes: `cli:<OS user>`. */
  actor: Actor;
}

/**
 * The person at the terminal, as the audit log names them: the operating system's user running
 * the command (whoever can run it can open the database anyway, so this is the honest name).
 */
export function cliActor(): Actor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A user id without a passwd entry (some containers) has no name.
    user = `uid ${process.getuid?.() ?? 'unknown'}`;
  }
  return { name: `cli:${user}`, from: 'cli' };
}

/**
 * Opens the database and key named by the config (refusing a key the database was not sealed
 * with), runs `work`, and always closes the database.
 */
export async function withStore<T>(command: Command, work: (store: CliStore) => T | Promise<T>): Promise<T> {
  const config = configFrom(command);
  const { db, keyring } = openStore(config, systemClock);
  try {
    return await work({ config, db, keyring, clock: systemClock, actor: cliActor() });
  } finally {
    db.close();
  }
}
