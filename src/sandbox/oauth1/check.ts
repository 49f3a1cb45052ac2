import type { SandboxDeps } from '../deps';
import { findApp, type SandboxApp } from './apps';
import { signatureBaseString } from './base-string';
import { NonceLedger } from './nonces';
import { OAuthProblem, problems } from './problems';
import type { SignedRequest } from './signed-request';
import { verifyHmacSha1, verifyRsaSha1 } from './verify';

/** What one endpoint knows about the token its requests carry. */
export interface TokenSpec<T> {
  /** Protocol parameters the endpoint needs beyond the five every signed request carries. */
  required: readonly string[];
  /**
   * Looks the token up before the signature is checked: its secret (for HMAC-SHA1) and what the
   * endpoint inspects once the request is proven genuine. A problem when the token is unknown.
   */
  resolveToken(app: SandboxApp, token: string | undefined): { secret: string; value: T } | OAuthProblem;
}

export type Checked<T> =
  | { ok: true; app: SandboxApp; protocol: ReadonlyMap<string, string>; token: T }
  | { ok: false; problem: OAuthProblem };

const ALWAYS_REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'] as const;

/**
 * Xero's checks on a signed request, in order: parameters → consumer → signature method →
 * timestamp → (token lookup) → signature → nonce. The nonce is recorded only once the
 * signature holds, so a forged request cannot burn a genuine client's nonce. Token state and
 * expiry are the endpoint's to judge afterwards.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.2
 */
export class RequestChecker {
  readonly #nonces: NonceLedger;

  constructor(private readonly deps: Pick<SandboxDeps, 'db' | 'clock' | 'settings'>) {
    this.#nonces = new NonceLedger(deps.db);
  }

  check<T>(request: SignedRequest, spec: TokenSpec<T>): Checked<T> {
    const fail = (problem: OAuthProblem): Checked<T> => ({ ok: false, problem });
    const { protocol } = request;
    if (request.malformedHeader) return fail(problems.malformedHeader());
    if (request.duplicates.length > 0) return fail(problems.parameterRejected(request.duplicates, 'Each OAuth parameter may be sent only once, in one place'));
    const absent = [...ALWAYS_REQUIRED, ...spec.required].filter((name) => !protocol.get(name));
    if (absent.length > 0) return fail(problems.parameterAbsent(absent));
    const version = protocol.get('oauth_version');
    if (version !== undefined && version !== '1.0') return fail(problems.versionRejected());

    const app = findApp(this.deps.db, protocol.get('oauth_consumer_key')!);
    if (!app) return fail(problems.consumerKeyUnknown());

    const method = protocol.get('oauth_signature_method')!;
    const methodProblem = signatureMethodProblem(app, method);
    if (methodProblem) return fail(methodProblem);

    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const windowSeconds = this.deps.settings.timestampWindowSeconds;
    const timestamp = protocol.get('oauth_timestamp')!;
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) - nowSeconds) > windowSeconds) return fail(problems.timestampRefused(nowSeconds, windowSeconds));

    const tokenValue = protocol.get('oauth_token') || undefined;
    const resolved = spec.resolveToken(app, tokenValue);
    if (resolved instanceof OAuthProblem) return fail(resolved);

    const baseString = signatureBaseString(request.method, request.uri, request.parameters);
    const signature = protocol.get('oauth_signature')!;
    const valid = method === 'HMAC-SHA1' ? verifyHmacSha1(baseString, app.consumerSecret, resolved.secret, signature) : verifyRsaSha1(baseString, app.certificatePem!, signature);
    if (!valid) return fail(problems.signatureInvalid());

    const nonceUse = { consumerKey: app.consumerKey, token: tokenValue ?? '', timestamp: Number(timestamp), nonce: protocol.get('oauth_nonce')! };
    if (!this.#nonces.record(nonceUse, nowSeconds, windowSeconds)) return fail(problems.nonceUsed());
    return { ok: true, app, protocol, token: resolved.value };
  }
}

/**
 * Public apps sign with HMAC-SHA1, private and partner apps with RSA-SHA1; PLAINTEXT never.
 * Xero's advice for RSA-SHA1 from an app without a certificate is kept word for word.
 */
function signatureMethodProblem(app: SandboxApp, method: string): OAuthProblem | undefined {
  const expected = app.type === 'public' ? 'HMAC-SHA1' : 'RSA-SHA1';
  if (method === expected && (expected === 'HMAC-SHA1' || app.certificatePem)) return undefined;
  if (method === 'RSA-SHA1') return problems.signatureMethodRejected('No certificates have been registered for the consumer');
  if (method === 'HMAC-SHA1') return problems.signatureMethodRejected(`HMAC-SHA1 is not accepted from ${app.type} applications; sign with RSA-SHA1`);
  return problems.signatureMethodRejected(`The signature method ${method} is not supported; ${app.type} applications sign with ${expected}`);
}
