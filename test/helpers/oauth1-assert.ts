import * as assert from 'uvu/assert';
import type { TestSandbox } from './sandbox';
import { parseForm } from './oauth1-client';

/** Asserts an OAuth problem answer: status, Content-Type, exact oauth_problem and advice. */
export async function expectProblem(response: Response, status: number, problem: string, advice?: string | RegExp): Promise<Record<string, string>> {
  const text = await response.text();
  assert.is(response.status, status, `status for ${problem}: ${text}`);
  assert.is(response.headers.get('content-type'), 'text/html; charset=utf-8');
  const body = parseForm(text);
  assert.is(body['oauth_problem'], problem, text);
  if (typeof advice === 'string') assert.is(body['oauth_problem_advice'], advice);
  else if (advice) assert.match(body['oauth_problem_advice'] ?? '', advice);
  return body;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  organisationId: string | null;
  consumerKey: string | null;
  problem: string | null;
}

/** The newest entry of the sandbox's request log. */
export async function lastRequest(sb: TestSandbox): Promise<LoggedRequest> {
  const body = (await (await fetch(`${sb.url}/sandbox/requests?limit=1`)).json()) as { requests: LoggedRequest[] };
  return body.requests[0]!;
}

/**
 * Asserts a call got past OAuth for this consumer and organisation: no `oauth_problem` answer,
 * and the request log names the caller (whatever the API then said, e.g. 200, 404 or a 400
 * ValidationException).
 */
export async function expectPassedAuth(sb: TestSandbox, response: Response, consumerKey: string, organisationId: string): Promise<void> {
  const text = await response.text();
  assert.ok(response.status !== 401 && !text.startsWith('oauth_problem='), `expected the call to get past OAuth, got ${response.status} ${text.slice(0, 300)}`);
  const logged = await lastRequest(sb);
  assert.is(logged.status, response.status);
  assert.is(logged.consumerKey, consumerKey);
  assert.is(logged.organisationId, organisationId);
}

/** Moves the sandbox clock forward through the control API. */
export async function advanceClock(sb: TestSandbox, seconds: number): Promise<void> {
  const response = await fetch(`${sb.url}/sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
  assert.is(response.status, 200);
}
