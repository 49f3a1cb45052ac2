import { AppError, type ErrorDetail } from '../../lib/errors';
import { renderDetail } from './issues';

/** A mapping the administrator has not made yet, and the command that makes it. */
export interface MissingMapping {
  /** Where in the document the unmapped name appears, e.g. `sales[0].category`. */
  field: string;
  /** What is missing, e.g. `has no account mapped for sales category "Coffee"`. */
  message: string;
  command: string;
}

/**
 * Looks a name up in a mapping: exactly first, then ignoring case and surrounding spaces, since
 * "EFTPOS" on one till and "eftpos" on the next are the same tender to a bookkeeper.
 */
export function lookUp<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  if (Object.hasOwn(table, name)) return table[name];
  const wanted = name.trim().toLowerCase();
  const key = Object.keys(table).find((candidate) => candidate.trim().toLowerCase() === wanted);
  return key === undefined ? undefined : table[key];
}

/** Quotes a name for a POSIX shell command line the operator can paste. */
export function shellQuote(text: string): string {
  return `"${text.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
}

/**
 * The AppError('invalid') for missing mappings: every one is listed with the CLI command that
 * makes it, and the commands are the hint. Nothing is sent until the mappings exist: a guess
 * at an account would put takings in the wrong place in the books.
 */
export function missingMappingsError(all: readonly MissingMapping[]): AppError {
  // One entry per command: ten lines of "Coffee" need one mapping.
  const missing = all.filter((entry, index) => all.findIndex((other) => other.command === entry.command) === index);
  const details: ErrorDetail[] = missing.map((entry) => ({ field: entry.field, message: `${entry.message} (run: ${entry.command})` }));
  const listed = details.map(renderDetail).join('; ');
  const message = details.length === 1 ? `${listed}.` : `${details.length} mappings are missing: ${listed}.`;
  return new AppError('invalid', message, { field: details[0]?.field, details, hint: missing.map((entry) => entry.command).join('\n') });
}
