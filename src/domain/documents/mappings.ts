import { AppError, type ErrorDetail } from '../../lib/errors';
import { renderDetail } from './issues';

/** The kinds of mapping a document may lack: a named thing, or one of the single settings. */
export type MissingKind = 'category' | 'tender' | 'payer' | 'staff' | 'earnings' | 'rounding' | 'discrepancy' | 'fees' | 'no-tax' | 'wages' | 'suspense' | 'tips' | 'gift-cards' | 'gift-card-redemptions';

/** A mapping the administrator has not made yet, and the command that makes it. */
export interface MissingMapping {
  kind: MissingKind;
  /** The app's name for the thing (`Gelato`); absent for a single setting (`rounding`). */
  name?: string;
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

/** One entry per mapping to make: ten lines of "Gelato" need one mapping. */
export function distinctMissing<T extends Pick<MissingMapping, 'kind' | 'name'>>(all: readonly T[]): T[] {
  const keyOf = (entry: T) => `${entry.kind}\u0000${entry.name?.trim().toLowerCase() ?? ''}`;
  return all.filter((entry, index) => all.findIndex((other) => keyOf(other) === keyOf(entry)) === index);
}

/** How a missing mapping is named to a person: `sales category "Gelato"`, `the rounding account`. */
export function describeMissing(entry: Pick<MissingMapping, 'kind' | 'name'>): string {
  const named: Partial<Record<MissingKind, string>> = { category: 'sales category', tender: 'tender', payer: 'payer', staff: 'staff number', earnings: 'earnings type' };
  const settings: Partial<Record<MissingKind, string>> = { rounding: 'the rounding account', discrepancy: 'the till discrepancy account', fees: 'the fees account', 'no-tax': 'the tax type without tax', wages: 'the wages account',
    suspense: 'the suspense account', tips: 'the tips account', 'gift-cards': 'the gift card account', 'gift-card-redemptions': 'the gift card redemption account' };
  return named[entry.kind] !== undefined ? `${named[entry.kind]} "${entry.name ?? ''}"` : settings[entry.kind]!;
}

/**
 * Why a document waits for mappings, in a sentence for the app and the person: what is missing
 * and where it is made. The document goes by itself once they are.
 */
export function missingMappingsReason(all: readonly MissingMapping[]): string {
  const missing = distinctMissing(all);
  const names = missing.map(describeMissing).join(', ');
  const [lead, them] = missing.length === 1 ? [`Waiting for a mapping: ${names} is not mapped yet.`, 'it'] : [`Waiting for ${missing.length} mappings: ${names}.`, 'them'];
  return `${lead} Add ${them} on the console's Mappings page (or with xero-proxy map set); the document is then sent by itself.`;
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
