import type { Db } from '../../store/db';

export interface NonceUse {
  consumerKey: string;
  /** The token the request carried, or "" for a request-token call. */
  token: string;
  timestamp: number;
  nonce: string;
}

const PRUNE_EVERY = 200;

/**
 * Remembers nonces so a replayed request is refused (RFC 5849 §3.3: unique per consumer,
 * token and timestamp). Nonces older than the timestamp window can never be replayed, because
 * such requests are refused for their timestamp, so they are pruned every few hundred records.
 */
export class NonceLedger {
  readonly #insert;
  readonly #prune;
  #count = 0;

  constructor(db: Db) {
    this.#insert = db.prepare('INSERT INTO nonces (consumer_key, token, timestamp, nonce) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.#prune = db.prepare('DELETE FROM nonces WHERE timestamp < ?');
  }

  /** Records a use; false when the same nonce was already used with this consumer, token and timestamp. */
  record(use: NonceUse, nowSeconds: number, windowSeconds: number): boolean {
    const fresh = this.#insert.run(use.consumerKey, use.token, use.timestamp, use.nonce).changes === 1;
    if (++this.#count % PRUNE_EVERY === 0) this.prune(nowSeconds, windowSeconds);
    return fresh;
  }

  /** Forgets nonces whose timestamp is older than the window; returns how many went. */
  prune(nowSeconds: number, windowSeconds: number): number {
    return this.#prune.run(nowSeconds - windowSeconds).changes;
  }
}
