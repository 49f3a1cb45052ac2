import { classifyRefusal, type Classified } from '../domain/attention/classify';
import { invoiceCapReached } from '../store/attention';
import { batchBody, buildBatchWrite, encodeBatchElement, MAX_BATCH_BODY_BYTES } from '../domain/xero/batch-write';
import { elementOutcomes, type ElementOutcome } from '../domain/xero/element-outcomes';
import { documentHoldsKey } from '../domain/xero/reference-lookup';
import { lockDateHold, lockDateReason } from '../domain/lock-dates';
import { findJob, holdClaimedJob, markDelivered, markFailed, unclaimJobs, type Job, type JobKind } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import { cachedContact, forgetRefusedContact, lookUpContacts, rememberDeliveredContact, withFoundContact } from './contacts';
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
  const open = holdLocked(ctx, organisationId, claimed);
  if (open.length === 0) return;
  // Contacts the cache cannot name are looked up first, in this step's one call; the jobs go next step.
  const contacts = new Map(spec.contact ? open.map((job) => [job.id, cachedContact(ctx, organisationId, job)] as const) : []);
  const asking = open.filter((job) => contacts.get(job.id) === 'ask');
  if (asking.length > 0) return lookUpContacts(ctx, organisationId, kind, open, asking);
  const batch: Job[] = [];
  const encoded: string[] = [];
  const sent: Array<Record<string, unknown>> = [];
  const later: string[] = [];
  let bytes = 0;
  for (const job of open) {
    const dependency = job.dependsOn ? findJob(db, job.dependsOn) : undefined;
    // claimJobs only hands out jobs whose dependency is delivered; this guards the id itself.
    if (dependency && !dependency.xeroId) {
      const words = dependencyWords(job, dependency);
      markFailed(db, clock, job.id, [`The ${words.dependency} (document ${dependency.documentKey}) is recorded as delivered without Xero's id, so the ${words.job} cannot name it.`]);
      ctx.stats.failed += 1;
      continue;
    }
    const element = withFoundContact(elementFor(job, dependency), contacts.get(job.id) ?? 'create');
    const xml = encodeBatchElement(spec.collection, element);
    const size = Buffer.byteLength(xml);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BODY_BYTES) {
      later.push(job.id);
      continue;
    }
    batch.push(job);
    sent.push(element);
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
        const cause = classifyRefusal(messages, documentDate(job));
        markFailed(db, clock, job.id, messages, { httpStatus, cause });
        if (spec.contact) forgetRefusedContact(ctx, organisationId, job, cause.cause, sent[index]!);
        ctx.stats.failed += 1;
        return;
      }
      markDelivered(db, clock, job.id, deliveredOutcome(spec, outcome.item), { httpStatus });
      if (spec.contact) rememberDeliveredContact(ctx, organisationId, job, outcome.item);
      ctx.stats.delivered += 1;
    });
  })();
}

/**
 * Holds, before they cost a call Xero would only refuse, the jobs dated on or before the
 * organisation's lock dates (as last read from Xero), and approved invoices of a month whose
 * plan cap Xero has already refused one at; returns the others.
 */
function holdLocked(ctx: DeliveryContext, organisationId: string, claimed: readonly Job[]): Job[] {
  const organisation = findOrganisation(ctx.deps.db, organisationId);
  if (!organisation) return [...claimed];
  const open: Job[] = [];
  // A batch's invoices share a month or two: each month's cap is read once, not once per invoice.
  const caps = new Map<string, boolean>();
  for (const job of claimed) {
    const hold = lockDateHold(organisation, job) ?? capHold(ctx, organisationId, job, caps);
    if (!hold) open.push(job);
    else holdClaimedJob(ctx.deps.db, ctx.deps.clock, job.id, hold.cause === 'lock_date' ? lockDateReason(hold) : CAP_REASON, hold);
  }
  return open;
}

const CAP_REASON = "Not sent: Xero has refused an invoice of the same month because the organisation's plan approves no more this month. Upgrade the plan in Xero, or wait for next month, then retry.";

function capHold(ctx: DeliveryContext, organisationId: string, job: Job, caps: Map<string, boolean>): Classified | undefined {
  const date = job.payload['Date'];
  if (job.kind !== 'invoice' || job.payload['Status'] !== 'AUTHORISED' || typeof date !== 'string') return undefined;
  const month = date.slice(0, 7);
  const type = String(job.payload['Type']);
  const key = `${type} ${month}`;
  let reached = caps.get(key);
  if (reached === undefined) caps.set(key, (reached = invoiceCapReached(ctx.deps.db, organisationId, type, month)));
  return reached ? { cause: 'invoice_limit', detail: { month } } : undefined;
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
