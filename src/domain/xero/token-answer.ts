import { decodeForm } from '../oauth1/form-encoding';
import type { XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/**
 * The parameters of a token endpoint's answer (`oauth_token=…&oauth_token_secret=…`, which
 * Xero labels text/html), or the Xero problem thrown as an AppError. When a name repeats, the
 * first value counts.
 * @see PROTOCOL.md §1.3; https://www.rfc-editor.org/rfc/rfc5849#section-2.1
 */
export function readTokenAnswer(response: XeroResponse, step: string): Record<string, string> {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  let pairs: ReturnType<typeof decodeForm>;
  try {
    pairs = decodeForm(response.body.trim());
  } catch {
    throw unreadableAnswer(`Xero's ${step} answer could not be read as form parameters.`, response);
  }
  const answer = Object.create(null) as Record<string, string>;
  for (const [name, value] of pairs) if (!(name in answer)) answer[name] = value;
  // A problem sent with 200 is still a problem.
  if (answer['oauth_problem'] !== undefined) throw xeroProblemError(parseXeroProblem(response), response);
  if (!answer['oauth_token'] || !answer['oauth_token_secret']) throw unreadableAnswer(`Xero's ${step} answer has no oauth_token or oauth_token_secret.`, response);
  return answer;
}
