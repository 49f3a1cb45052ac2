import { inspect } from 'node:util';
import { REDACTED, Secret } from './secret';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/** A structured logger: one line per event, fields redacted by construction. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines for machines, or aligned text for a person at a terminal. */
  format: 'json' | 'text';
  write?: (line: string) => void;
  /** Also gets every line, always as JSON whatever `format` is: the log file is read by machines. */
  file?: { write(line: string): void };
  now?: () => Date;
}

// Field names whose values are always secret, whatever their type.
const SECRET_NAME = /secret|token|password|passwd|authorization|cookie|signature|private.?key|api.?key|session.?handle|verifier|refresh|credential/i;

/** Copies a value for logging with every secret replaced by `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return REDACTED;
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_NAME.test(key) && item !== undefined && item !== null && typeof item !== 'boolean' && typeof item !== 'number' ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

/** Builds a logger writing to stderr by default, and to `options.file` when given. */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const threshold = LEVELS[options.level];

  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LEVELS[level] < threshold) return;
    const safe = redact({ ...bound, ...fields }) as LogFields;
    const time = now().toISOString();
    const json = options.format === 'json' || options.file ? JSON.stringify({ time, level, msg: message, ...safe }) : '';
    options.file?.write(json);
    if (options.format === 'json') {
      write(json);
      return;
    }
    const pairs = Object.entries(safe)
      .map(([key, item]) => `${key}=${typeof item === 'string' ? JSON.stringify(item) : inspect(item, { breakLength: Infinity, depth: 4 })}`)
      .join(' ');
    write(`${time.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${message}${pairs ? '  ' + pairs : ''}`);
  };

  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ level: 'error', format: 'json', write: () => {} });
