import type { XeroProblem, XeroProblemKind } from './problem';
import type { ProblemBody, ValidationError } from './problem-body';

const SENTENCE: Record<XeroProblemKind, string> = {
  token_expired: 'The Xero access token has expired.',
  token_rejected: 'Xero rejected the access token: it was revoked, replaced by a newer one, or never authorised.',
  signature: 'Xero could not verify the request signature.',
  nonce_used: 'Xero had already seen this request nonce.',
  timestamp_refused: "Xero refused the request's timestamp; this computer's clock may be wrong.",
  consumer_unknown: 'Xero does not recognise the consumer key.',
  permission_denied: 'Xero denied permission for this request.',
  rate_limited: "Xero's rate limit was exceeded.",
  organisation_offline: 'The Xero organisation is temporarily offline.',
  unavailable: 'Xero is temporarily unavailable.',
  validation: 'Xero rejected the request as invalid.',
  not_found: 'Xero could not find what was asked for.',
  not_implemented: 'Xero does not support this request.',
  server_error: 'Xero failed with an internal error.',
  unknown: 'Xero answered with an unexpected error.',
};

const LIMIT_NAME: Array<[RegExp, string]> = [
  [/^minute$/i, 'per-minute'],
  [/^(daily|day)$/i, 'daily'],
  [/^concurren/i, 'concurrent-call'],
  [/^appminute$/i, 'app-wide per-minute'],
];

const MAX_QUOTE = 300;
const MAX_ELEMENTS = 3;

/** The problem as one or two sentences: what happened, then Xero's own words where it gave any. */
export function describeProblem(problem: XeroProblem, body: ProblemBody): string {
  if (problem.kind === 'rate_limited') return rateLimitSentence(problem);
  if (problem.kind === 'validation' && problem.validationErrors) return validationSentence(problem.validationErrors);
  const words = xeroWords(problem, body);
  const status = problem.kind === 'unknown' ? ` (HTTP ${problem.status}${problem.oauthProblem ? `, ${problem.oauthProblem}` : ''})` : '';
  const sentence = SENTENCE[problem.kind].replace(/\.$/, `${status}.`);
  return words === undefined ? sentence : `${sentence} Xero said: "${quote(words)}".`;
}

// "Element 2" counts from 1 in the list of rejected elements Xero sent back.
function validationSentence(errors: readonly ValidationError[]): string {
  const loose = errors.filter((error) => error.element === undefined).map((error) => error.message);
  const byElement = new Map<number, string[]>();
  for (const error of errors) if (error.element !== undefined) byElement.set(error.element, [...(byElement.get(error.element) ?? []), error.message]);
  const parts = [...byElement].slice(0, MAX_ELEMENTS).map(([element, messages]) => `Element ${element + 1}: ${quote(messages.join('; '))}.`);
  const more = byElement.size > MAX_ELEMENTS ? ` And ${byElement.size - MAX_ELEMENTS} more element${byElement.size - MAX_ELEMENTS === 1 ? '' : 's'}.` : '';
  const head = loose.length > 0 ? `Xero rejected the data as invalid: ${quote(loose.join('; '))}.` : 'Xero rejected the data as invalid.';
  return [head, ...parts].join(' ') + more;
}

function rateLimitSentence(problem: XeroProblem): string {
  const name = problem.rateLimitProblem === undefined ? undefined : (LIMIT_NAME.find(([pattern]) => pattern.test(problem.rateLimitProblem!))?.[1] ?? problem.rateLimitProblem);
  const which = name === undefined ? "Xero's rate limit was exceeded" : `Xero's ${name} rate limit was exceeded`;
  const wait = problem.retryAfterSeconds === undefined ? 'try again later' : `try again in ${problem.retryAfterSeconds} second${problem.retryAfterSeconds === 1 ? '' : 's'}`;
  return `${which}; ${wait}.`;
}

function xeroWords(problem: XeroProblem, body: ProblemBody): string | undefined {
  switch (body.shape) {
    case 'oauth':
      return problem.advice;
    case 'api_exception':
      return body.message;
    case 'json_problem':
      return problem.advice ?? body.title;
    case 'text':
      return body.text;
    case 'empty':
      return undefined;
  }
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE - 1)}…` : flat;
}
