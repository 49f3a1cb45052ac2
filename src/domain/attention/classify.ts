import type { XeroProblemKind } from '../xero/problem';
import type { CauseCode } from './causes';

/** The particulars of a cause, as stored in `jobs.cause_detail`: an account code, a lock date, missing names. */
/** A cause's particulars: texts and numbers, lists of names, or (for missing mappings) `{ missing: [{ kind, name, … }] }`. */
export type CauseDetail = Readonly<Record<string, unknown>>;

/** Why a document waits for a person or ended without reaching Xero, with its particulars. */
export interface Classified {
  cause: CauseCode;
  detail: CauseDetail;
}

/** What the classifier reads from a job: its state and the texts recorded with it. */
export interface JobTexts {
  status: string;
  /** Xero's ValidationErrors messages (a failed job). */
  errors?: readonly string[] | null;
  /** Our sentence for the last failed attempt (queued again, or dead). */
  lastError?: string | null;
  /** Our sentence for why it is held or waiting. */
  heldReason?: string | null;
  /** The document's own date (`YYYY-MM-DD…`), for a lock-date refusal. */
  documentDate?: string | null;
}

interface Rule {
  pattern: RegExp;
  cause: CauseCode;
  detail?: (match: RegExpExecArray, date: string | undefined) => CauseDetail;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Xero writes lock dates as `31-Jul-2013`; stored as `2013-07-31`. */
function isoDay(text: string): string {
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.findIndex((m) => m.toLowerCase() === match[2]!.toLowerCase()) : -1;
  if (!match || month < 0) return text.trim();
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

const withDate = (date: string | undefined): CauseDetail => (date ? { date } : {});

/**
 * Xero's refusals of a document, most specific first. The texts are Xero's own
 * (ValidationErrors `Message`), as the sandbox answers them too.
 * @see PROTOCOL.md §4.5; MARKET-2026.md §5
 */
const REFUSALS: readonly Rule[] = [
  { pattern: /Account code '([^']*)' has been archived, or has been deleted/i, cause: 'account_archived', detail: (m) => ({ accountCode: m[1]! }) },
  { pattern: /Account code '([^']*)' is not a valid code/i, cause: 'account_invalid', detail: (m) => ({ accountCode: m[1]! }) },
  { pattern: /The Account code '([^']*)' could not be found/i, cause: 'account_invalid', detail: (m) => ({ accountCode: m[1]! }) },
  { pattern: /Account type is invalid for making a payment/i, cause: 'account_invalid' },
  { pattern: /The TaxType code (\S+) does not exist or cannot be used/i, cause: 'tax_invalid', detail: (m) => ({ taxType: m[1]! }) },
  { pattern: /\bTaxType\b.*\b(not valid|invalid|does not exist)\b/i, cause: 'tax_invalid' },
  { pattern: /contact with the specified contact details has been archived/i, cause: 'contact_archived' },
  { pattern: /The contact name (.+?) is already assigned to another contact/i, cause: 'contact_name_taken', detail: (m) => ({ contactName: m[1]! }) },
  {
    pattern: /cannot be before the (end of year|period) lock date, currently set at (\d{1,2}-[A-Za-z]{3}-\d{4})/i,
    cause: 'lock_date',
    detail: (m, date) => ({ ...withDate(date), lockDate: isoDay(m[2]!), lockKind: m[1]!.toLowerCase() === 'period' ? 'period' : 'end of year' }),
  },
  { pattern: /reached the limit of invoices you can approve/i, cause: 'invoice_limit', detail: (_m, date): CauseDetail => (date ? { month: date.slice(0, 7) } : {}) },
  { pattern: /not subscribed to currency (\w+)/i, cause: 'currency_not_enabled', detail: (m) => ({ currency: m[1]!.toUpperCase() }) },
  { pattern: /no access to invoicing|\b(cashbook|ledger|partner) (edition|organi[sz]ation)s?\b.*\b(invoic|not)|edition .*cannot/i, cause: 'edition_cannot_invoice' },
  { pattern: /The (?:invoice|credit note) this [a-z ]+? \(document ([^)\s]+)\)/i, cause: 'dependency_failed', detail: (m) => ({ documentKey: m[1]! }) },
];

/**
 * Our own sentences for a send that did not go (src/queue, src/domain/xero/problem-text.ts,
 * src/services/pacer.ts, src/services/xero-calls.ts), most specific first.
 */
const PROBLEMS: readonly Rule[] = [
  { pattern: /timestamp|clock may be wrong|clock is wrong|clock skew/i, cause: 'clock_skew' },
  { pattern: /must be linked (to Xero )?again|link (it|the organisation) again|no longer accepts this organisation|may act for 30 minutes/i, cause: 'relink_needed' },
  { pattern: /no mapping/i, cause: 'mapping_missing' },
  { pattern: /rate limit|call limit|daily limit|limit for this app|asked for a pause|spread to \d+ a minute/i, cause: 'rate_limited' },
  {
    pattern: /Could not connect to Xero|request to Xero at .* failed|answer from .* was cut off|temporarily (unavailable|offline)|organi[sz]ation is offline|internal error|unexpected error|does not match the batch|Xero answered \d+ elements|does not carry the key|did not say whether/i,
    cause: 'xero_unavailable',
  },
];

function firstMatch(rules: readonly Rule[], texts: readonly string[], date: string | undefined): Classified | undefined {
  for (const rule of rules) {
    for (const text of texts) {
      const match = rule.pattern.exec(text);
      if (match) return { cause: rule.cause, detail: rule.detail?.(match, date) ?? {} };
    }
  }
  return undefined;
}

/**
 * Xero's refusal of a document (its ValidationErrors messages) as a cause; a refusal no rule
 * knows is the document's own content, which only the app can correct.
 * @example classifyRefusal(["Account code '200' has been archived, or has been deleted. …"]) // { cause: 'account_archived', detail: { accountCode: '200' } }
 */
export function classifyRefusal(messages: readonly string[], documentDate?: string | null): Classified {
  const date = documentDate ? documentDate.slice(0, 10) : undefined;
  return firstMatch(REFUSALS, messages, date) ?? { cause: 'document_content', detail: messages.length > 0 ? { message: messages[0]! } : {} };
}

/** One of our sentences (a last error, a held reason) as a cause; `unknown` when no rule knows it. */
export function classifyProblemText(text: string): Classified {
  return firstMatch(PROBLEMS, [text], undefined) ?? firstMatch(REFUSALS, [text], undefined) ?? { cause: 'unknown', detail: {} };
}

/**
 * Why a job is held, failed, dead or waiting, from its state and texts; `undefined` when nothing
 * is wrong with it (queued for the first time, sending, delivered, cancelled).
 */
export function classifyJob(job: JobTexts): Classified | undefined {
  switch (job.status) {
    case 'failed':
      return classifyRefusal(job.errors ?? [], job.documentDate);
    case 'held':
      return job.heldReason ? classifyProblemText(job.heldReason) : { cause: 'unknown', detail: {} };
    case 'dead':
      return job.lastError ? classifyProblemText(job.lastError) : { cause: 'unknown', detail: {} };
    case 'queued':
    case 'sending': {
      const text = job.heldReason ?? job.lastError;
      return text ? classifyProblemText(text) : undefined;
    }
    default:
      return undefined;
  }
}

/** Causes by the kind of Xero problem, where the kind alone says it; the rest are read from the text. */
const PROBLEM_KIND_CAUSES: Partial<Record<XeroProblemKind, CauseCode>> = {
  timestamp_refused: 'clock_skew',
  rate_limited: 'rate_limited',
  organisation_offline: 'xero_unavailable',
  unavailable: 'xero_unavailable',
  server_error: 'xero_unavailable',
  token_expired: 'relink_needed',
  token_rejected: 'relink_needed',
};

/** The cause of a failed send, from Xero's problem kind when there is one, else from our sentence. */
export function classifyFailure(problemKind: XeroProblemKind | undefined, message: string): Classified {
  const cause = problemKind ? PROBLEM_KIND_CAUSES[problemKind] : undefined;
  return cause ? { cause, detail: {} } : classifyProblemText(message);
}
