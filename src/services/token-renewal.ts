import { OAuth2Error } from '../domain/oauth2/errors';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { markNeedsRelink, organisationsOfTokenSet } from '../store/organisations';
import {
  getTokenSet,
  releaseRenewalLease,
  saveRenewedTokenSet,
  takeRenewalLease,
  type Credentials,
  type TokenSet,
  type TokenTimes,
} from '../store/token-sets';
import type { ServiceDeps } from './deps';
import { RENEWALS_PER_SECOND, RenewalRate, realRenewalTime, type RenewalTime } from './renewal-rate';

/** The network half of a renewal: Xero's answer, or an AppError saying whether Xero may have acted. */
export type RenewAtXero = (current: TokenSet) => Promise<{ credentials: Credentials; times: TokenTimes }>;

/** Points in a renewal where tests stop the process, to prove each crash is recovered or reported. */
export type RenewalPoint = 'before-request' | 'after-response' | 'after-save';

export interface RenewalOptions {
  /** How long a renewal may hold the cross-process guard before others may take over. */
  leaseMs?: number;
  /** How often a process waiting for another's renewal looks again. */
  pollMs?: number;
  /** Called at each point of a renewal; tests kill the process here. */
  at?: (point: RenewalPoint) => void;
  /** Renewals started in any second, at most (see RenewalRate). */
  perSecond?: number;
  /** The time renewals are spaced in; real time unless a test drives it. */
  time?: RenewalTime;
}

/**
 * Renews each token set once, however many callers need it at the same moment: callers in this
 * process share one promise; other processes (the CLI beside the server) are kept out by a lease
 * in SQLite taken with a version compare-and-swap. After taking the lease the set is read again,
 * and the new token is saved (CAS on version and owner) before anyone uses it. Renewals for
 * different sets are spaced (RenewalRate): at most five start in any second, however many fall due.
 * @see PROTOCOL.md §1.4: a superseded partner token is dead, so two renewals would break the link;
 *   §6.4: an OAuth 2.0 refresh token is rotated on every use, and one sent twice may end the grant.
 */
export class TokenRenewal {
  readonly #inFlight = new Map<string, Promise<TokenSet>>();
  readonly #owner = newId('renewer');
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #rate: RenewalRate;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly renewAtXero: RenewAtXero,
    private readonly options: RenewalOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollMs = options.pollMs ?? 100;
    this.#rate = new RenewalRate(options.perSecond ?? RENEWALS_PER_SECOND, options.time ?? realRenewalTime);
  }

  /**
   * Returns a token set newer than `seenVersion` (the version the caller found expired), renewing
   * it if nobody else has. Throws AppError `upstream` (not retryable) when Xero refuses for good,
   * after moving the organisations to needs_relink; `unavailable` (retryable) on transient trouble.
   */
  renew(tokenSetId: string, seenVersion: number): Promise<TokenSet> {
    const running = this.#inFlight.get(tokenSetId);
    if (running) return running;
    const work = this.#renewOnce(tokenSetId, seenVersion).finally(() => this.#inFlight.delete(tokenSetId));
    this.#inFlight.set(tokenSetId, work);
    return work;
  }

  async #renewOnce(tokenSetId: string, seenVersion: number): Promise<TokenSet> {
    const { db, clock } = this.deps;
    let turnTaken = false;
    for (;;) {
      const current = getTokenSet(db, this.deps.keyring, tokenSetId);
      if (current.version > seenVersion) return current;
      const leaseLive = current.leaseUntil !== null && current.leaseUntil >= clock.now().toISOString();
      if (!leaseLive && !turnTaken) {
        // The turn comes before the lease: a wait behind other renewals must not use up a lease.
        await this.#rate.turn();
        turnTaken = true;
        continue;
      }
      if (!leaseLive && takeRenewalLease(db, clock, tokenSetId, current.version, this.#owner, this.#leaseMs)) {
        return this.#renewHoldingLease(current);
      }
      // Another process is renewing: wait for its result rather than racing it.
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }

  async #renewHoldingLease(before: TokenSet): Promise<TokenSet> {
    const { db, clock, keyring, logger } = this.deps;
    // A renewal mark left by someone whose lease ran out means their request's fate is unknown.
    const interrupted = before.renewalStartedAt;
    const current = getTokenSet(db, keyring, before.id);
    this.options.at?.('before-request');
    let answer: Awaited<ReturnType<RenewAtXero>>;
    try {
      answer = await this.renewAtXero(current);
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('unavailable', `Renewing the Xero token failed: ${(error as Error).message}`, { cause: error });
      // Someone may have renewed meanwhile (our lease ran out mid-request): their token is the truth.
      const latest = getTokenSet(db, keyring, before.id);
      if (latest.version !== current.version) {
        releaseRenewalLease(db, clock, before.id, this.#owner, { reachedXero: true, error: appError.message });
        return latest;
      }
      if (appError.retryable) {
        releaseRenewalLease(db, clock, before.id, this.#owner, { reachedXero: true, error: appError.message });
        throw appError;
      }
      const reason = interrupted
        ? `A token renewal started at ${interrupted} never saved Xero's answer (the proxy stopped part-way), and Xero has replaced the token since; link the organisation again.`
        : appError instanceof OAuth2Error
          ? `Xero refused to refresh this organisation's grant (${appError.oauthError}: it was revoked, unused for 60 days, or replaced); link the organisation again.`
          : `Xero no longer accepts this organisation's token (${appError.message}); link the organisation again.`;
      db.transaction(() => {
        markNeedsRelink(db, clock, organisationsOfTokenSet(db, before.id).map((org) => org.id), reason);
        releaseRenewalLease(db, clock, before.id, this.#owner, { reachedXero: true, error: reason });
      }).immediate();
      logger.warn('token renewal refused; organisations need relinking', { tokenSetId: before.id, reason });
      throw new AppError('upstream', reason, { retryable: false, cause: appError });
    }
    this.options.at?.('after-response');
    if (!saveRenewedTokenSet(db, keyring, clock, before.id, { version: current.version, owner: this.#owner }, answer.credentials, answer.times)) {
      // Only possible if our lease ran out mid-request and another renewal won; theirs is the truth.
      throw new AppError('unavailable', 'Another process renewed the Xero token at the same time; try again.', { retryable: true });
    }
    this.options.at?.('after-save');
    logger.info('token renewed', { tokenSetId: before.id, expiresAt: answer.times.expiresAt });
    return getTokenSet(db, keyring, before.id);
  }
}
