import { AppError, type AppErrorOptions } from '../../lib/errors';
import type { XeroResponse } from './http';
import type { XeroProblem, XeroProblemKind } from './problem';

/**
 * Whether a failed request can have changed anything at Xero: `not_sent` (the connection was
 * never made), `unknown` (it may have arrived; a write may have happened), `answered` (Xero
 * replied, and the reply says what happened). Retrying a write is safe only after `not_sent`
 * or an answer that says it failed, which is how "nothing doubled" is kept.
 */
export type Delivery = 'not_sent' | 'unknown' | 'answered';

/** AppError options plus the delivery outcome, the parsed problem and the raw response. */
export interface XeroErrorOptions extends AppErrorOptions {
  delivery: Delivery;
  problem?: XeroProblem;
  response?: XeroResponse;
}

/**
 * An AppError from talking to Xero, carrying the parsed problem and the delivery outcome. The
 * raw response rides along non-enumerable, so it is there for debugging but never serialised.
 */
export class XeroError extends AppError {
  readonly delivery: Delivery;
  readonly problem: XeroProblem | undefined;
  declare readonly response: XeroResponse | undefined;

  constructor(code: 'upstream' | 'unavailable', message: string, options: XeroErrorOptions) {
    super(code, message, options);
    this.name = 'XeroError';
    this.delivery = options.delivery;
    this.problem = options.problem;
    Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
  }
}

/** What an operator can try, per kind; the CLI prints it as the hint. */
const HINT: Partial<Record<XeroProblemKind, string>> = {
  token_expired: 'A partner app renews the token; a public app must be linked again.',
  token_rejected: 'Link the organisation again: the app was disconnected, or another link replaced this one.',
  signature: "Check the app's consumer secret or private key against what is registered with Xero.",
  timestamp_refused: "Check this computer's clock; Xero allows a few minutes of difference.",
  consumer_unknown: 'Check the consumer key, and that the app still exists in Xero.',
  permission_denied: 'Link the organisation again with a user who may use this app.',
  rate_limited: 'Wait before sending more; the limits are per organisation.',
  validation: 'Correct the data and send it again.',
};

/**
 * The AppError for a Xero problem: `unavailable` when trying again later may work, otherwise
 * `upstream`; the queue decides from `retryable`.
 * @see STYLE.md "Errors"
 */
export function xeroProblemError(problem: XeroProblem, response?: XeroResponse): XeroError {
  const hint = HINT[problem.kind];
  return new XeroError(problem.retryable ? 'unavailable' : 'upstream', problem.message, {
    retryable: problem.retryable,
    delivery: 'answered',
    problem,
    ...(hint ? { hint } : {}),
    ...(response ? { response } : {}),
  });
}

/** A 2xx answer that cannot be read as what was asked for; Xero acted, so it is not retryable. */
export function unreadableAnswer(message: string, response: XeroResponse): XeroError {
  return new XeroError('upstream', message, { retryable: false, delivery: 'answered', response });
}
