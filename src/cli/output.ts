import { AppError, toAppError } from '../lib/errors';

/** Where a command writes; injected so tests capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};

/** Prints data as JSON for scripts, or as aligned text for a person. */
export function printData(io: Io, json: boolean, data: unknown, text: () => string): void {
  io.out(json ? JSON.stringify(data, null, 2) : text());
}

/** Formats rows as an aligned table. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

/** The one place errors become exit codes: 2 for usage and configuration, 1 for the rest. */
export function exitCodeFor(error: AppError): number {
  return error.code === 'invalid' ? 2 : 1;
}

/** Prints an error as one line and a hint, never a stack trace, and returns the exit code. */
export function reportError(io: Io, value: unknown): number {
  const error = toAppError(value);
  io.err(`error: ${error.message}`);
  if (error.hint) io.err(`hint: ${error.hint}`);
  else if (error.code === 'internal') io.err('hint: This is a bug; run with XERO_PROXY_SERVER_LOG_LEVEL=debug and report the output.');
  return exitCodeFor(error);
}

export { AppError };
