import type { ServiceDeps } from '../services/deps';
import { jobsWithUndeliverableDependency, markFailed, organisationsWithHeldJobs, releaseHeldJobs } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import { forgetIdempotencyKeys, type ForgottenKeys } from '../store/submissions';
import { dependencyFate, dependencyWords } from './kinds';

/**
 * Puts held jobs back in the queue for every organisation that is linked again (a person
 * relinked it on the connect page or with `org connect`). Returns how many were released.
 */
export function releaseRelinked(deps: ServiceDeps): number {
  let released = 0;
  for (const organisationId of organisationsWithHeldJobs(deps.db)) {
    if (findOrganisation(deps.db, organisationId)?.linkState !== 'linked') continue;
    const count = releaseHeldJobs(deps.db, deps.clock, organisationId);
    if (count > 0) deps.logger.info('delivery: organisation linked again; held jobs released', { organisation: organisationId, count });
    released += count;
  }
  return released;
}

/**
 * Fails payments whose invoice (refunds and allocations whose credit note, credit notes whose
 * invoice) will not reach Xero as it stands (Xero refused it, the proxy gave
 * up on it, or it was cancelled): otherwise they would wait for ever, and the app would never
 * learn that it has to send the invoice again.
 */
export function failOrphans(deps: ServiceDeps): number {
  const orphans = jobsWithUndeliverableDependency(deps.db);
  deps.db.transaction(() => {
    for (const { job, dependency } of orphans) {
      const words = dependencyWords(job, dependency);
      markFailed(
        deps.db,
        deps.clock,
        job.id,
        [`The ${words.dependency} (document ${dependency.documentKey}) was not delivered to Xero: ${dependencyFate(dependency)}. The ${words.job} was not sent; send the ${words.noun} again, then the ${words.job}.`],
        { cause: { cause: 'dependency_failed', detail: { documentKey: dependency.documentKey, dependencyJobId: dependency.id } } },
      );
    }
  })();
  return orphans.length;
}

/**
 * Forgets Idempotency-Keys older than `api.idempotency_key_days` (at least 7) whose documents are
 * all settled; a key whose document is still queued, sending or held is kept until it settles.
 * Jobs are kept: their document keys derive from the Idempotency-Key or the app's DocumentId, so
 * a request replayed after its key is forgotten is still recognised document by document and
 * nothing is doubled; only the first answer's exact replay and the 422 for a reused key end.
 */
export function forgetOldIdempotencyKeys(deps: ServiceDeps): ForgottenKeys {
  const before = new Date(deps.clock.now().getTime() - deps.config.api.idempotencyKeyDays * 86_400_000).toISOString();
  const result = forgetIdempotencyKeys(deps.db, before);
  if (result.forgotten + result.deleted > 0) deps.logger.info('idempotency keys forgotten', { before, ...result });
  return result;
}
