import { XeroError } from '../domain/xero/xero-error';
import { AppError } from '../lib/errors';
import { rateLimitPause } from '../services/pacer';

/** What a failed call means for the jobs it carried. */
export type FailureVerdict =
  /** Xero asked this organisation to slow down: wait, and count no attempt. */
  | { kind: 'pause'; until: Date; daily: boolean; message: string }
  /** Xero refused the whole request as invalid (a write only): Xero's own messages. */
  | { kind: 'reject'; messages: string[] }
  /** Try again later; `unknown` when the request may have created documents at Xero. */
  | { kind: 'retry'; unknown: boolean; message: string };

// Xero answered "offline" or "slow down" before doing anything, so these 5xx are known outcomes.
const ANSWERED_BEFORE_WORK = new Set(['organisation_offline', 'rate_limited']);

/**
 * Reads a failure the way "nothing lost, nothing doubled" needs: a write is only known not to
 * have happened when the request never left (`not_sent`), when it failed before it was sent (no
 * credentials, a relink), or when Xero's answer says so (4xx, offline, rate limit). A timeout, a
 * dropped connection, any other 5xx and an answer that cannot be read may hide a saved
 * document, so those are `unknown` and the documents are looked up before anything is resent.
 * @see RELIABILITY.md "Idempotency"; PROTOCOL.md §3, §4.3
 */
export function judgeFailure(error: unknown, write: boolean, now: Date): FailureVerdict {
  if (!(error instanceof AppError)) {
    // A fault in the proxy's own handling, possibly after Xero answered: assume the worst.
    return { kind: 'retry', unknown: write, message: `The proxy failed while sending: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problem = error instanceof XeroError ? error.problem : undefined;
  if (problem?.kind === 'rate_limited') return { kind: 'pause', ...rateLimitPause(problem, now) };
  if (write && problem?.kind === 'validation' && problem.status === 400) {
    const messages = (problem.validationErrors ?? []).map((entry) => entry.message);
    return { kind: 'reject', messages: messages.length > 0 ? messages : [problem.message] };
  }
  if (!(error instanceof XeroError)) return { kind: 'retry', unknown: false, message: error.message };
  const unknown =
    error.delivery === 'unknown' || (error.delivery === 'answered' && (problem === undefined || (problem.status >= 500 && !ANSWERED_BEFORE_WORK.has(problem.kind))));
  return { kind: 'retry', unknown: write && unknown, message: error.message };
}
