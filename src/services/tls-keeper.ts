import type { HostFacts } from '../domain/tls/lan-names';
import { toAppError } from '../lib/errors';
import type { ServiceDeps } from './deps';
import { PROXY_ACTOR } from './audit';
import { auditTlsOutcome, ensureAutoTls, type ServedTls } from './tls';
import { filesDigest, readTlsFiles } from './tls-files';

/**
 * Keeps what the HTTPS server presents current while it runs: with `auto`, renews the server
 * certificate when it is due or the host has a new name or address (and picks up one that
 * `tls renew` issued); with `files`, reads the files again when they change. A change is handed
 * to the listener, which swaps the server's certificate without a restart.
 */
export class TlsKeeper {
  #served: ServedTls;
  #digest: string | undefined;
  #refusedSaid = '';
  #listener: ((served: ServedTls) => void) | undefined;

  private constructor(
    private readonly deps: ServiceDeps,
    private readonly host: () => HostFacts,
  ) {
    this.#digest = deps.config.server.tls === 'files' ? filesDigest(deps) : undefined;
    this.#served = deps.config.server.tls === 'files' ? readTlsFiles(deps) : this.#auto();
  }

  /**
   * Makes (auto) or reads (files) what HTTPS presents, before the server listens; a problem with
   * the files is an `invalid` error naming the key of the config, and the server does not start.
   */
  static start(deps: ServiceDeps, host: () => HostFacts): TlsKeeper {
    return new TlsKeeper(deps, host);
  }

  get served(): ServedTls {
    return this.#served;
  }

  /** Called with the new certificate whenever `check` finds one. */
  onChange(listener: (served: ServedTls) => void): void {
    this.#listener = listener;
  }

  /** The scheduled check (every minute). Never throws: a problem is logged and the current certificate stays. */
  check(): void {
    const before = this.#served.serverFingerprint;
    try {
      if (this.deps.config.server.tls === 'files') this.#files();
      else this.#served = this.#auto();
    } catch (error) {
      this.deps.logger.error('HTTPS: the certificate could not be renewed; the current one stays', { reason: toAppError(error).message });
      return;
    }
    if (this.#served.serverFingerprint !== before) this.#listener?.(this.#served);
  }

  #auto(): ServedTls {
    const { logger } = this.deps;
    const outcome = ensureAutoTls(this.deps, this.host());
    auditTlsOutcome(this.deps, PROXY_ACTOR, outcome);
    if (outcome.caCreated) logger.info("HTTPS: made the proxy's own certificate authority; devices pin its fingerprint", { caSpkiSha256: outcome.served.caSpkiSha256 });
    if (outcome.renewed !== undefined) logger.info('HTTPS: issued a new server certificate', { reason: outcome.renewed, fingerprint: outcome.served.serverFingerprint });
    const refused = outcome.refused.join(', ');
    if (refused !== '' && refused !== this.#refusedSaid) {
      logger.warn("HTTPS: the proxy's CA may not sign for some of this host's names, so the certificate lacks them; `xero-proxy tls show` says what to do", { names: refused });
    }
    this.#refusedSaid = refused;
    return outcome.served;
  }

  #files(): void {
    const digest = filesDigest(this.deps);
    if (digest === this.#digest) return;
    this.#digest = digest;
    try {
      this.#served = readTlsFiles(this.deps);
      this.deps.logger.info('HTTPS: read the changed certificate files', { certificate: this.deps.config.server.tlsCert, fingerprint: this.#served.serverFingerprint });
    } catch (error) {
      // Said once per content: the next change of the files is tried again.
      this.deps.logger.error('HTTPS: the changed certificate files cannot be used; the previous certificate stays', { reason: toAppError(error).message });
    }
  }
}
