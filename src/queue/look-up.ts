import { buildReferenceLookup, processReferenceLookup } from '../domain/xero/reference-lookup';
import { markDelivered, unclaimJobs, type Job, type JobKind } from '../store/jobs';
import type { DeliveryContext } from './context';
import { keyTerm, type KindSpec } from './kinds';
import { deliveredOutcome } from './send-batch';
import { settleFailure } from './settle';

/**
 * Settles jobs whose last send may have reached Xero, before anything is sent again: one
 * `GET …?where=(Reference != null AND (Reference.Contains("XP-…") OR …))` for up to 20 keys. Documents found are
 * delivered with the ids Xero gave them; the rest are proven absent and go back to be sent,
 * the look-up not counting as an attempt.
 * @see RELIABILITY.md "Idempotency"
 */
export async function lookUp(ctx: DeliveryContext, organisationId: string, kind: JobKind, spec: KindSpec, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const keys = jobs.map((job) => job.documentKey);
  let found: Map<string, Record<string, unknown>>;
  let httpStatus: number;
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => buildReferenceLookup({ apiUrl: config.xero.apiUrl, auth, collection: spec.collection, terms: jobs.map(keyTerm) }));
    httpStatus = response.status;
    found = processReferenceLookup(response, spec.collection, keys);
  } catch (error) {
    settleFailure(ctx, organisationId, kind, jobs, error, false);
    return;
  }
  db.transaction(() => {
    const absent: string[] = [];
    for (const job of jobs) {
      const document = found.get(job.documentKey);
      if (!document) {
        absent.push(job.id);
        continue;
      }
      markDelivered(db, clock, job.id, deliveredOutcome(spec, document), { outcome: 'found', httpStatus, note: 'Looked up in Xero and found there, so it was not sent again.' });
      ctx.stats.found += 1;
      ctx.stats.delivered += 1;
    }
    unclaimJobs(db, clock, absent, { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: 'Looked up in Xero and not there, so it is sent.' } });
  })();
}
