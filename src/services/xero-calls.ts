import { buildRenewalRequest, processRenewalResponse } from '../domain/xero/renew-access-token';
import { callMarginMs, type TokenLife } from '../domain/xero/renewal-margin';
import { isOAuth2AppType } from '../config/oauth2';
import { oauth1Auth, oauth2Auth, type XeroAuth } from '../domain/xero/auth';
import { privateAppAccess, type XeroAccess } from '../domain/xero/credentials';
import type { XeroRequest, XeroResponse } from '../domain/xero/http';
import { parseXeroProblem } from '../domain/xero/problem';
import { send, type SendOptions } from '../domain/xero/send';
import { xeroProblemError } from '../domain/xero/xero-error';
import { AppError } from '../lib/errors';
import { findPendingCertificate } from '../store/certificates';
import { activateCertificate } from './certificate-activation';
import { findOrganisation, markNeedsRelink, organisationsOfTokenSet, type Organisation } from '../store/organisations';
import { recordXeroCall } from '../store/organisation-usage';
import { getTokenSet, type Credentials, type TokenSet, type TokenTimes } from '../store/token-sets';
import { refreshGrant } from './grant-refresh';
import { Pacer, rateLimitPause } from './pacer';
import { TokenRenewal, type RenewalOptions } from './token-renewal';
import { xeroConsumer, type XeroDeps } from './xero-app';

/** Builds a request authorised as `auth` says: signed (OAuth 1.0a) or with a Bearer token and tenant (OAuth 2.0). */
export type BuildRequest = (auth: XeroAuth) => XeroRequest;

/** How long callers wait for the pacer by default: a device's request may hang this long, no longer. */
export const DEFAULT_PACE_WAIT_MS = 5_000;

export interface XeroCallsOptions {
  renewal?: RenewalOptions;
  /** How long a call waits for the pacer before it is refused as `rate_limited`. */
  waitMs?: number;
  /** The pacer's minute (see ProxyOptions.paceMinuteMs). */
  minuteMs?: number | undefined;
}

/** Limits on one call: each exchange's (SendOptions), and its pacing. */
export interface CallOptions extends SendOptions {
  /** The caller took its leave from `pacer` already (the delivery loop paces before it claims work). */
  paced?: boolean;
  /** How long to wait for the pacer, instead of the default. */
  waitMs?: number;
  /** The pacer's minute (see ProxyOptions.paceMinuteMs). */
  minuteMs?: number | undefined;
}

/**
 * Every call to Xero for an organisation goes through here: it paces the call with the one
 * Pacer every caller in the process shares (a rate-limit answer to any caller pauses the
 * organisation for all), refuses organisations that need relinking, renews a partner token or
 * refreshes an OAuth 2.0 grant ahead of expiry (once per token set, see TokenRenewal),
 * authorises with the current token (a signature, or Bearer and `xero-tenant-id`), and on
 * `token_expired` renews and tries once more.
 */
export class XeroCalls {
  readonly renewal: TokenRenewal;
  readonly pacer: Pacer;
  readonly #waitMs: number;

  constructor(
    private readonly deps: XeroDeps,
    options: XeroCallsOptions = {},
  ) {
    this.renewal = new TokenRenewal(deps, (current) => this.#renewAtXero(current), options.renewal ?? {});
    this.pacer = new Pacer(deps.clock, deps.config.xero.rateLimit, { minuteMs: options.minuteMs });
    this.#waitMs = options.waitMs ?? DEFAULT_PACE_WAIT_MS;
  }

  /**
   * Sends a request built for `organisationId`'s credentials and returns Xero's answer (any
   * status). Waits for the pacer first, up to `waitMs`, else throws `rate_limited` (PacedOut);
   * `options` also limit each exchange (the delivery loop's timeout and shutdown signal).
   */
  async call(organisationId: string, build: BuildRequest, options: CallOptions = {}): Promise<XeroResponse> {
    // An organisation that must be relinked is refused at once, not after a wait for the pacer.
    this.#linkedOrganisation(organisationId);
    const end = options.paced ? undefined : await this.pacer.acquire(organisationId, { waitMs: options.waitMs ?? this.#waitMs, signal: options.signal });
    try {
      let sends = 0;
      const sendPaced = async (request: XeroRequest) => {
        if (sends++ > 0) this.pacer.charge(organisationId);
        return this.#observed(organisationId, await send(this.deps.transport, request, options));
      };
      const response = await this.#callOnce(organisationId, build, sendPaced);
      if (!(await this.#adoptedUploadedCertificate(response))) return response;
      return await this.#callOnce(organisationId, build, sendPaced);
    } finally {
      end?.();
    }
  }

  async #callOnce(organisationId: string, build: BuildRequest, sendPaced: (request: XeroRequest) => Promise<XeroResponse>): Promise<XeroResponse> {
    const organisation = this.#linkedOrganisation(organisationId);
    if (organisation.appType === 'private') {
      const consumer = xeroConsumer(this.deps);
      return sendPaced(build(oauth1Auth(consumer, privateAppAccess(consumer), this.deps.clock.now())));
    }
    let tokens = await this.fresh(organisation);
    const response = await sendPaced(build(this.#authOf(organisation, tokens)));
    if (response.status !== 401 || parseXeroProblem(response).kind !== 'token_expired') return this.#judge(organisation, response);
    tokens = await this.#renewOrRelink(organisation, tokens);
    return this.#judge(organisation, await sendPaced(build(this.#authOf(organisation, tokens))));
  }

  #authOf(organisation: Organisation, tokens: TokenSet): XeroAuth {
    if (tokens.kind === 'oauth2') return oauth2Auth(tokens.credentials.accessToken, organisation.tenantId);
    return oauth1Auth(xeroConsumer(this.deps), accessOf(tokens), this.deps.clock.now());
  }

  /** Xero's answer teaches the pacer: the day's count so far, and a rate limit pauses the organisation for every caller. */
  #observed(organisationId: string, response: XeroResponse): XeroResponse {
    const remaining = this.pacer.observe(organisationId, response.headers);
    this.#countCall(organisationId, remaining);
    if (response.status === 429 || response.status === 503) {
      const problem = parseXeroProblem(response);
      if (problem.kind === 'rate_limited') {
        const pause = rateLimitPause(problem, this.deps.clock.now());
        this.pacer.pause(organisationId, pause.until, pause.message, pause.daily);
      }
    }
    return response;
  }

  /** Counts the answer for the overview; a count that cannot be written must not fail the call it counts. */
  #countCall(organisationId: string, dayLimitRemaining: number | undefined): void {
    try {
      recordXeroCall(this.deps.db, this.deps.clock, organisationId, dayLimitRemaining);
    } catch (error) {
      this.deps.logger.warn('could not count a call to Xero', { organisation: organisationId, error });
    }
  }

  /**
   * The organisation's token set, renewed first if it ends within `margin`: milliseconds, or the
   * margin for the token's life (by default a call's, see callMarginMs), so calls never meet an
   * expired token in normal running and short-lived tokens are not renewed before every call.
   */
  async fresh(organisation: Organisation, margin: number | ((life: TokenLife) => number) = callMarginMs): Promise<TokenSet> {
    if (!organisation.tokenSetId) throw relinkError(organisation);
    const tokens = getTokenSet(this.deps.db, this.deps.keyring, organisation.tokenSetId);
    const endsAt = tokens.expiresAt ? Date.parse(tokens.expiresAt) : Infinity;
    if (endsAt - this.deps.clock.now().getTime() > (typeof margin === 'number' ? margin : margin(tokens))) return tokens;
    return this.#renewOrRelink(organisation, tokens);
  }

  /**
   * Xero keeps one certificate per app: once the person uploads the pending pair's certificate,
   * the active key's signatures fail. Rather than stop delivery until someone runs
   * `cert activate`, a signature failure while a pair is pending proves that pair and, if Xero
   * accepts it, activates it; the caller then signs again.
   */
  async #adoptedUploadedCertificate(response: XeroResponse): Promise<boolean> {
    if (response.status !== 401 || parseXeroProblem(response).kind !== 'signature') return false;
    if (!findPendingCertificate(this.deps.db)) return false;
    try {
      const result = await activateCertificate(this.deps);
      this.deps.logger.info('Xero accepts the pending certificate; it is now active', { certificate: result.activated.id, retired: result.retired?.id });
      return true;
    } catch (error) {
      // Another call may have activated it a moment ago; signing again tells.
      return !findPendingCertificate(this.deps.db) && !(error instanceof AppError && error.code === 'upstream');
    }
  }

  #linkedOrganisation(organisationId: string): Organisation {
    const organisation = findOrganisation(this.deps.db, organisationId);
    if (!organisation) throw new AppError('not_found', 'The organisation is no longer linked to this proxy.');
    if (organisation.linkState !== 'linked') throw relinkError(organisation);
    return organisation;
  }

  async #renewOrRelink(organisation: Organisation, tokens: TokenSet): Promise<TokenSet> {
    if (organisation.appType === 'partner' || isOAuth2AppType(organisation.appType)) return this.renewal.renew(tokens.id, tokens.version);
    // A public app's access ends after 30 minutes; only a person can grant it again.
    const reason = 'A public app may act for 30 minutes after it is authorised; link the organisation again.';
    markNeedsRelink(this.deps.db, this.deps.clock, [organisation.id], reason);
    throw new AppError('upstream', `${organisation.name}: ${reason}`, { retryable: false });
  }

  /**
   * A token Xero no longer accepts moves the organisation to needs_relink; its work is kept.
   * OAuth 2.0: a refused access token means the grant is gone, for every organisation it
   * covered; a 403 means this tenant only when it says authentication failed (the connection was
   * removed in Xero), while a missing scope fails just the call.
   */
  #judge(organisation: Organisation, response: XeroResponse): XeroResponse {
    if (isOAuth2AppType(organisation.appType) && (response.status === 401 || response.status === 403)) {
      const problem = parseXeroProblem(response);
      const tenantGone = response.status === 403 && /AuthenticationUnsuccessful/i.test(response.body);
      if (response.status === 403 && !tenantGone) return response;
      const affected = response.status === 401 && organisation.tokenSetId ? organisationsOfTokenSet(this.deps.db, organisation.tokenSetId).map((org) => org.id) : [organisation.id];
      markNeedsRelink(this.deps.db, this.deps.clock, affected, `Xero no longer accepts this organisation's ${tenantGone ? 'connection' : 'grant'} (${problem.message}); link it again.`);
      throw xeroProblemError(problem, response);
    }
    if (response.status === 401 || response.status === 403) {
      const problem = parseXeroProblem(response);
      if (problem.kind === 'token_rejected' || problem.kind === 'permission_denied' || problem.kind === 'token_expired') {
        markNeedsRelink(this.deps.db, this.deps.clock, [organisation.id], `Xero no longer accepts this organisation's token (${problem.message}); link it again.`);
        throw xeroProblemError(problem, response);
      }
    }
    return response;
  }

  async #renewAtXero(current: TokenSet): Promise<{ credentials: Credentials; times: TokenTimes }> {
    if (current.kind === 'oauth2') return refreshGrant(this.deps, current);
    if (!current.credentials.sessionHandle) throw new AppError('upstream', 'This token has no session handle, so it cannot be renewed.', { retryable: false });
    const request = buildRenewalRequest({
      apiUrl: this.deps.config.xero.apiUrl,
      consumer: xeroConsumer(this.deps),
      accessToken: accessOf(current),
      sessionHandle: current.credentials.sessionHandle,
      now: this.deps.clock.now(),
    });
    const answer = processRenewalResponse(await send(this.deps.transport, request));
    const now = this.deps.clock.now().getTime();
    return {
      credentials: { token: answer.token, tokenSecret: answer.secret, sessionHandle: answer.sessionHandle ?? current.credentials.sessionHandle },
      times: {
        expiresAt: new Date(now + answer.expiresIn * 1000).toISOString(),
        authorizationExpiresAt: answer.authorizationExpiresIn !== undefined ? new Date(now + answer.authorizationExpiresIn * 1000).toISOString() : null,
      },
    };
  }
}

function accessOf(tokens: TokenSet): XeroAccess {
  if (tokens.kind !== 'oauth1') throw new AppError('internal', 'An OAuth 2.0 grant cannot sign OAuth 1.0a requests.');
  return { token: tokens.credentials.token, secret: tokens.credentials.tokenSecret };
}

function relinkError(organisation: Organisation): AppError {
  return new AppError('conflict', `${organisation.name} must be linked to Xero again before it can be used${organisation.relinkReason ? `: ${organisation.relinkReason}` : '.'}`, {
    hint: 'Link it again from the connect page, or with `xero-proxy org connect`.',
    retryable: false,
  });
}
