import type { XeroResponse } from '../domain/xero/http';
import type { XeroDeps } from '../services/xero-app';
import type { BuildRequest } from '../services/xero-calls';
import type { JobKind } from '../store/jobs';
import type { RetryPolicy } from './backoff';
import type { Pacer } from '../services/pacer';

/** Counts of what the loop did since it started; the figures in tests and logs. */
export interface DeliveryStats {
  /** Every call made to Xero through the loop (writes and look-ups). */
  calls: number;
  writes: number;
  lookups: number;
  /** Rate-limit answers Xero gave the loop (429, or 503 with a rate-limit problem). */
  rateLimited: number;
  delivered: number;
  /** Jobs a look-up found already in Xero, so they were not sent again. */
  found: number;
  failed: number;
  retried: number;
  dead: number;
}

export const emptyStats = (): DeliveryStats => ({ calls: 0, writes: 0, lookups: 0, rateLimited: 0, delivered: 0, found: 0, failed: 0, retried: 0, dead: 0 });

/** What a delivery step needs from the loop. */
export interface DeliveryContext {
  deps: XeroDeps;
  pacer: Pacer;
  retry: RetryPolicy;
  random: () => number;
  stats: DeliveryStats;
  /** One call to Xero for the organisation, through XeroCalls, with the loop's timeout and shutdown signal. */
  call(organisationId: string, build: BuildRequest): Promise<XeroResponse>;
  /** Asks the loop to send the next `count` jobs of this kind one per request (to isolate a bad one). */
  sendAlone(organisationId: string, kind: JobKind, count: number): void;
}
