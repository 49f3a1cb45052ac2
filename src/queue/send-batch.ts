import { classifyRefusal } from '../domain/attention/classify';
import { batchBody, buildBatchWrite, encodeBatchElement, MAX_BATCH_BODY_BYTES } from '../domain/xero/batch-write';
import { elementOutcomes, type ElementOutcome } from '../domain/xero/element-outcomes';
import { documentHoldsKey } from '../domain/xero/reference-lookup';
import { findJob, markDelivered, markFailed, unclaimJobs, type Job, type JobKind } from '../store/jobs';
import type { DeliveryContext } from './context';
import { dependencyWords, elementFor, type KindSpec } from './kinds';
import { documentDate, retryLater, settleFailure } from './settle';

/**
 * Sends claimed jobs whose outcome is known (never sent, or proven absent from Xero) as one
 * `PUT …?summarizeErrors=false` and maps each element's outcome back to its job by position:
 * OK or WARNING → delivered with Xero's ids, ERROR → failed with Xero's messages verbatim.
 * @see PROTOCOL.md §4.3, §4.6
 */
export async function sendBatch(ctx: DeliveryContext, organisationId: string, kind: JobKind, spec: KindSpec, claimed: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const batch: Job[] = [];
  const encoded: string[] = [];
  const later: string[] = [];
  let bytes = 0;
  for (const job of claimed) {
    const dependency = job.dependsOn ? findJob(db, job.dependsOn) : undefined;
    // claimJobs only hands out jobs whose dependency is delivered; this guards the id itself.
    if (dependency && !dependency.xeroId) {
      const words = dependencyWords(job, dependency);
      markFailed(db, clock, job.id, [`The ${words.dependency} (document ${dependency.documentKey}) is recorded as delivered without Xero's id, so the ${words.job} cannot name it.`]);
      ctx.stats.failed += 1;
      continue;
    }
    const xml = encodeBatchElement(spec.collection, elementFor(job, dependency));
    const size = Buffer.byteLength(xml);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BODY_BYTES) {
      later.push(job.id);
      continue;
    }
    batch.push(job);
    encoded.push(xml);
    bytes += size;
  }
  if (later.length > 0) unclaimJobs(db, clock, later, { notBefore: clock.now().toISOString() });
  if (batch.length === 0) return;

  let outcomes: ElementOutcome[];
  let httpStatus: number;
  try {
    ctx.stats.writes += 1;
    const body = batchBody(spec.collection, encoded);
    const response = await ctx.call(organisationId, (auth) => buildBatchWrite({ apiUrl: config.xero.apiUrl, auth, collection: spec.collection, body }));
    httpStatus = response.status;
    outcomes = elementOutcomes(response, spec.collection);
  } catch (error) {
    settleFailure(ctx, organisationId, kind, batch, error, true);
    return;
  }
  const mismatch = answerMismatch(outcomes, batch);
  if (mismatch) {
    // Xero acted, but its answer cannot be matched to what was sent: find out by looking up.
    retryLater(ctx, batch, mismatch, true, httpStatus);
    ctx.deps.logger.error('delivery: Xero answer does not match the batch', { organisation: organisationId, reason: mismatch });
    return;
  }
  db.transaction(() => {
    outcomes.forEach((outcome, index) => {
      const job = batch[index]!;
      if (outcome.status === 'ERROR') {
        const messages = outcome.validationErrors.length > 0 ? outcome.validationErrors : ['Xero refused the document without giving a reason.'];
        markFailed(db, clock, job.id, messages, { httpStatus, cause: classifyRefusal(messages, documentDate(job)) });
        ctx.stats.failed += 1;
        return;
      }
      markDelivered(db, clock, job.id, deliveredOutcome(spec, outcome.item), { httpStatus });
      ctx.stats.delivered += 1;
    });
  })();
}

/** Xero's ids and the element it echoed, as a delivered job records them. */
export function deliveredOutcome(spec: KindSpec, item: Record<string, unknown>): { xeroId: string | null; xeroNumber: string | null; result: Record<string, unknown> } {
  const id = item[spec.idField];
  const number = spec.numberField ? item[spec.numberField] : undefined;
  return { xeroId: typeof id === 'string' ? id : null, xeroNumber: typeof number === 'string' && number !== '' ? number : null, result: item };
}

// Elements come back in request order; the key echoed in each confirms it is the job's own.
function answerMismatch(outcomes: readonly ElementOutcome[], batch: readonly Job[]): string | undefined {
  if (outcomes.length !== batch.length) return `Xero answered ${outcomes.length} elements for the ${batch.length} sent.`;
  const echoes = (item: Record<string, unknown>) => item['Reference'] !== undefined || item['InvoiceNumber'] !== undefined || item['CreditNoteNumber'] !== undefined;
  const stray = outcomes.findIndex((outcome, index) => echoes(outcome.item) && !documentHoldsKey(outcome.item, batch[index]!.documentKey));
  return stray === -1 ? undefined : `Xero's element ${stray + 1} does not carry the key ${batch[stray]!.documentKey} that was sent in that position.`;
}
