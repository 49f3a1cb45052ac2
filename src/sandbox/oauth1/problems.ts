import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';
import { percentEncode } from './base-string';

/**
 * An OAuth 1.0a failure as Xero reported it: a form-encoded `oauth_problem` and
 * `oauth_problem_advice` (plus the problem-reporting extension's extra parameters), returned
 * by the checks rather than thrown.
 * @see PROTOCOL.md §2.1–2.2; https://wiki.oauth.net/w/page/12238543/ProblemReporting
 */
export class OAuthProblem {
  constructor(
    readonly status: 400 | 401,
    readonly problem: string,
    readonly advice: string,
    readonly extra: Readonly<Record<string, string>> = {},
  ) {}

  /** The response body, e.g. `oauth_problem=signature_invalid&oauth_problem_advice=Failed%20to%20validate%20signature`. */
  toBody(): string {
    return formEncode([['oauth_problem', this.problem], ['oauth_problem_advice', this.advice], ...Object.entries(this.extra)]);
  }
}

/** Encodes a token or problem answer as Xero did: `name=value&…`, RFC 3986 percent-encoding. */
export function formEncode(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&');
}

/** Xero sent OAuth answers, good and bad, as form-encoded text labelled HTML. */
export const OAUTH_CONTENT_TYPE = 'text/html; charset=utf-8';

/** Answers with a problem and notes it for the request log. */
export function sendProblem(c: Context<SandboxEnv>, problem: OAuthProblem): Response {
  c.set('problem', problem.problem);
  return c.body(problem.toBody(), problem.status, { 'Content-Type': OAUTH_CONTENT_TYPE });
}

/** Answers a successful token endpoint call. */
export function sendForm(c: Context<SandboxEnv>, pairs: ReadonlyArray<readonly [string, string]>): Response {
  return c.body(formEncode(pairs), 200, { 'Content-Type': OAUTH_CONTENT_TYPE });
}

/** Advice Xero gave when an AccessToken call named a token it did not expect. */
export const unexpectedToken = (token: string): string => `Token ${token} does not match an expected REQUEST token`;

/** Advice Xero gave for a revoked, replaced or unknown access token. */
export const REVOKED_ADVICE = 'The access token has not been authorized, or has been revoked by the user';

/** The problems the sandbox reports, by their `oauth_problem` code. */
export const problems = {
  parameterAbsent: (names: readonly string[]) =>
    new OAuthProblem(400, 'parameter_absent', `Missing required parameter: ${names.join(', ')}`, { oauth_parameters_absent: names.map(percentEncode).join('&') }),
  malformedHeader: () => new OAuthProblem(400, 'parameter_rejected', 'The Authorization header could not be read as OAuth parameters (OAuth name="value", …)'),
  parameterRejected: (names: readonly string[], advice: string) =>
    new OAuthProblem(400, 'parameter_rejected', advice, { oauth_parameters_rejected: names.map(percentEncode).join('&') }),
  versionRejected: () => new OAuthProblem(400, 'version_rejected', 'Only OAuth version 1.0 is supported', { oauth_acceptable_versions: '1.0-1.0' }),
  consumerKeyUnknown: () => new OAuthProblem(401, 'consumer_key_unknown', 'Consumer key was not recognised'),
  signatureMethodRejected: (advice: string) => new OAuthProblem(400, 'signature_method_rejected', advice),
  timestampRefused: (nowSeconds: number, windowSeconds: number) =>
    new OAuthProblem(401, 'timestamp_refused', `The timestamp must be within ${windowSeconds} seconds of the server time`, {
      oauth_acceptable_timestamps: `${nowSeconds - windowSeconds}-${nowSeconds + windowSeconds}`,
    }),
  signatureInvalid: () => new OAuthProblem(401, 'signature_invalid', 'Failed to validate signature'),
  nonceUsed: () => new OAuthProblem(401, 'nonce_used', 'The nonce has already been used with this timestamp'),
  tokenRejected: (advice: string) => new OAuthProblem(401, 'token_rejected', advice),
  tokenExpired: (advice = 'The access token has expired') => new OAuthProblem(401, 'token_expired', advice),
  permissionUnknown: () => new OAuthProblem(401, 'permission_unknown', 'The user has not yet authorised the request token'),
  permissionDenied: (advice: string) => new OAuthProblem(401, 'permission_denied', advice),
} as const;
