import { headerValue, type XeroResponse } from './http';
import { readProblemBody, type ProblemBody, type ValidationError } from './problem-body';
import { describeProblem } from './problem-text';

/** What went wrong, in the terms the proxy acts on (renew, relink, wait, fix the data, give up). */
export type XeroProblemKind =
  | 'token_expired'
  | 'token_rejected'
  | 'signature'
  | 'nonce_used'
  | 'timestamp_refused'
  | 'consumer_unknown'
  | 'permission_denied'
  | 'rate_limited'
  | 'organisation_offline'
  | 'unavailable'
  | 'validation'
  | 'not_found'
  | 'not_implemented'
  | 'server_error'
  | 'unknown';

/** A Xero failure, read from its status, headers and body; `message` is a sentence a person can read. */
export interface XeroProblem {
  kind: XeroProblemKind;
  /** Whether the same request, sent again later, may succeed. */
  retryable: boolean;
  status: number;
  retryAfterSeconds?: number;
  /** `X-Rate-Limit-Problem` as sent: Minute, Daily, day, Concurrent… */
  rateLimitProblem?: string;
  oauthProblem?: string;
  /** Xero's own explanation (`oauth_problem_advice`, a JSON problem's Detail), tokens redacted. */
  advice?: string;
  validationErrors?: ValidationError[];
  message: string;
}

/** `oauth_problem` codes by kind; Xero's list plus the OAuth problem-reporting extension's. */
const OAUTH_KINDS: Record<string, XeroProblemKind> = {
  token_expired: 'token_expired',
  token_rejected: 'token_rejected',
  token_revoked: 'token_rejected',
  token_used: 'token_rejected',
  signature_invalid: 'signature',
  signature_method_rejected: 'signature',
  nonce_used: 'nonce_used',
  timestamp_refused: 'timestamp_refused',
  consumer_key_unknown: 'consumer_unknown',
  consumer_key_rejected: 'consumer_unknown',
  consumer_key_refused: 'consumer_unknown',
  permission_denied: 'permission_denied',
  permission_unknown: 'permission_denied',
  'rate limit exceeded': 'rate_limited',
  'organisation offline': 'organisation_offline',
};

// A rate limit, an offline organisation, maintenance, a server fault or a reused nonce (the
// next attempt is signed afresh) can pass; everything else fails the same way again.
const RETRYABLE = new Set<XeroProblemKind>(['rate_limited', 'organisation_offline', 'unavailable', 'server_error', 'nonce_used']);

/**
 * Reads a failed Xero response: the status first, then the body whatever its format.
 * 429, any `X-Rate-Limit-Problem` header or a `rate limit exceeded` problem is a rate limit
 * (Xero sent 503 before it sent 429); 503 `organisation offline` is temporary, other 5xx retryable.
 * @see PROTOCOL.md §2, §3.1, §4.5; https://developer.xero.com/documentation/api/http-response-codes
 */
export function parseXeroProblem(response: XeroResponse): XeroProblem {
  const body = readProblemBody(response.body);
  const rateLimitProblem = headerValue(response, 'x-rate-limit-problem')?.trim() || undefined;
  const kind = classify(response.status, body, rateLimitProblem);
  const retryAfterSeconds = parseRetryAfter(headerValue(response, 'retry-after'), headerValue(response, 'date')) ?? (kind === 'rate_limited' ? assumedWait(rateLimitProblem) : undefined);
  const advice = body.shape === 'oauth' ? body.advice : body.shape === 'json_problem' ? body.detail : undefined;
  const problem: XeroProblem = { kind, retryable: RETRYABLE.has(kind), status: response.status, message: '' };
  if (retryAfterSeconds !== undefined) problem.retryAfterSeconds = retryAfterSeconds;
  if (rateLimitProblem !== undefined) problem.rateLimitProblem = rateLimitProblem;
  if (body.shape === 'oauth') problem.oauthProblem = body.problem;
  if (advice !== undefined) problem.advice = redactTokens(advice);
  if (body.shape === 'api_exception' && body.validationErrors.length > 0) problem.validationErrors = body.validationErrors;
  problem.message = describeProblem(problem, body);
  return problem;
}

function classify(status: number, body: ProblemBody, rateLimitProblem: string | undefined): XeroProblemKind {
  if (status === 429 || rateLimitProblem !== undefined) return 'rate_limited';
  if (body.shape === 'oauth') return OAUTH_KINDS[body.problem.toLowerCase()] ?? 'unknown';
  if (body.shape === 'json_problem') {
    // OAuth 2.0 era: {"Title":"Unauthorized","Detail":"TokenExpired: token expired at …"}.
    if (/^TokenExpired\b/i.test(body.detail ?? '')) return 'token_expired';
    if (status === 401) return 'token_rejected';
  }
  const text = body.shape === 'text' ? body.text : '';
  if (status === 503 && /organi[sz]ation (is )?(temporarily )?offline/i.test(text)) return 'organisation_offline';
  if (status === 400) return 'validation';
  if (status === 401) return 'token_rejected';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 501) return 'not_implemented';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 500 && status <= 599) return 'server_error';
  return 'unknown';
}

/**
 * `Retry-After` in seconds, or as an HTTP date measured against the response's own `Date`
 * header (never this machine's clock, which may be skewed).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | undefined, date: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  const sent = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(at) || Number.isNaN(sent)) return undefined;
  return Math.max(0, Math.ceil((at - sent) / 1000));
}

// The OAuth 1.0a era sent no Retry-After. Waiting a minute always clears a minute window and a
// second a concurrency slot; a daily window is left to the caller's backoff.
function assumedWait(problem: string | undefined): number | undefined {
  if (problem === undefined || /minute$/i.test(problem)) return 60;
  if (/^concurren/i.test(problem)) return 1;
  return undefined;
}

// Xero's advice for a superseded token names the token ("Token ABC… does not match…"); the
// message may end up in logs and the database, so the token is left out.
function redactTokens(text: string): string {
  return text.replace(/\bToken \S+ does not match/g, 'Token [redacted] does not match');
}
