import type { CauseDetail } from './classify';
import type { CauseCode } from './causes';

/** What a group of documents with one cause is, for its sentence. */
export interface GroupFacts {
  cause: CauseCode;
  /** How many documents, and what they are called ("invoice", "bill", "credit note", "payment", "refund", "timesheet"). */
  count: number;
  nouns: readonly string[];
  /** The group's state: refused by Xero, given up on, held, or waiting for its next try. */
  state: 'failed' | 'dead' | 'held' | 'waiting';
  details: readonly CauseDetail[];
  organisationName: string;
}

const plural = (noun: string, count: number) => (count === 1 ? noun : noun.endsWith('s') ? noun : `${noun}s`);

/** "200", "200 and 310", "200, 310 and 400". */
export function listOf(values: readonly string[]): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} and ${values.at(-1)}`;
}

/** The distinct string values one detail key has across a group's documents. */
function valuesOf(details: readonly CauseDetail[], key: string): string[] {
  const found = new Set<string>();
  for (const detail of details) {
    const value = detail[key];
    if (typeof value === 'string' && value !== '') found.add(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string' && item !== '') found.add(item);
  }
  return [...found];
}

/** Every string named in the details under any list key (the missing mapping names, whatever their kind). */
function namesOf(details: readonly CauseDetail[]): string[] {
  const found = new Set<string>();
  for (const detail of details) {
    for (const value of Object.values(detail)) {
      if (!Array.isArray(value)) continue;
      // Names as a list of texts, or as the missing-mapping entries `{ kind, name }`.
      for (const item of value as unknown[]) {
        if (typeof item === 'string') found.add(item);
        else if (item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') found.add((item as { name: string }).name);
      }
    }
  }
  return [...found];
}

// "account 200 is" / "accounts 200 and 310 are"
const named = (singular: string, values: readonly string[], isVerb = 'is', areVerb = 'are') =>
  values.length === 0 ? `the ${singular} ${isVerb}` : values.length === 1 ? `${singular} ${values[0]} ${isVerb}` : `${singular}s ${listOf(values)} ${areVerb}`;

/** Why, as a clause that follows "because". */
function because(facts: GroupFacts): string {
  const { details, count } = facts;
  const they = count === 1 ? 'it' : 'they';
  const their = count === 1 ? 'its' : 'their';
  switch (facts.cause) {
    case 'account_archived':
      return `${named('account', valuesOf(details, 'accountCode'))} archived or deleted in Xero`;
    case 'account_invalid':
      return `${named('account', valuesOf(details, 'accountCode'))} not one Xero accepts for ${count === 1 ? 'this document' : 'these documents'}`;
    case 'tax_invalid':
      return `${named('tax rate', valuesOf(details, 'taxType'))} not valid for ${count === 1 ? 'this document' : 'these documents'}`;
    case 'contact_archived':
      return `${their} contact is archived in Xero`;
    case 'contact_name_taken': {
      const names = valuesOf(details, 'contactName');
      return `the contact name ${names.length > 0 ? listOf(names) : ''} is already used by another contact`.replace('  ', ' ');
    }
    case 'lock_date': {
      const dates = valuesOf(details, 'lockDate');
      const kind = valuesOf(details, 'lockKind')[0] ?? 'lock';
      return `${they} ${count === 1 ? 'is' : 'are'} dated on or before the ${kind} lock date${dates.length > 0 ? ` (${listOf(dates)})` : ''}, when the books are closed`;
    }
    case 'invoice_limit': {
      const months = valuesOf(details, 'month');
      return `${facts.organisationName}'s Xero plan has reached its limit of approved invoices${months.length > 0 ? ` for ${listOf(months)}` : ' this month'}`;
    }
    case 'currency_not_enabled':
      return `${named('currency', valuesOf(details, 'currency'))} not enabled in ${facts.organisationName}`;
    case 'edition_cannot_invoice':
      return `${facts.organisationName}'s Xero edition does not take invoices from apps`;
    case 'mapping_missing': {
      const names = namesOf(details);
      return names.length > 0 ? `${names.length === 1 ? 'this name has' : 'these names have'} no mapping yet: ${listOf(names)}` : 'some names they use have no mapping yet';
    }
    case 'document_content': {
      const messages = valuesOf(details, 'message');
      return messages.length === 1 ? `of ${their} content: “${messages[0]!.replace(/[.!\s]+$/, '')}”` : `of ${their} content (open each one to read Xero's words)`;
    }
    case 'relink_needed':
      return `${facts.organisationName} must be linked to Xero again`;
    case 'xero_unavailable':
      return 'Xero could not be reached';
    case 'rate_limited':
      return "Xero's call limits for this organisation were reached";
    case 'clock_skew':
      return "Xero refused this computer's clock";
    case 'dependency_failed':
      // Refunds and allocations wait for a credit note; payments and credit notes for an invoice.
      if (facts.nouns.every((noun) => noun === 'refund' || noun === 'credit allocation')) return `the credit note ${count === 1 ? 'it draws' : 'they draw'} on did not reach Xero`;
      return `the invoice ${count === 1 ? 'it is' : 'they are'} for did not reach Xero`;
    case 'unknown':
      return 'of something the proxy could not name (open each one to read why)';
  }
}

/**
 * The group in one sentence a person reads: what happened to how many documents, and why.
 * @example groupSentence({ cause: 'account_archived', count: 3, nouns: ['invoice'], state: 'failed', details: [{ accountCode: '200' }], organisationName: 'Harbourside Café' })
 * // "Xero refused 3 invoices because account 200 is archived or deleted in Xero."
 */
export function groupSentence(facts: GroupFacts): string {
  const noun = facts.nouns.length === 1 ? facts.nouns[0]! : 'document';
  const things = `${facts.count} ${plural(noun, facts.count)}`;
  const why = because(facts);
  if (facts.cause === 'dependency_failed' && (facts.state === 'failed' || facts.state === 'dead')) return `${things} ${facts.count === 1 ? 'was' : 'were'} not sent because ${why}.`.replace(/^./, (c) => c.toUpperCase());
  switch (facts.state) {
    case 'failed':
      return `Xero refused ${things} because ${why}.`;
    case 'dead':
      return `The proxy stopped trying to send ${things} because ${why}.`;
    case 'held':
      return `${things} ${facts.count === 1 ? 'waits' : 'wait'} because ${why}.`.replace(/^./, (c) => c.toUpperCase());
    case 'waiting':
      return `${things} ${facts.count === 1 ? 'waits' : 'wait'} to be sent again because ${why}; the proxy tries again by itself.`;
  }
}
