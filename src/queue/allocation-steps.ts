import { classifyRefusal } from '../domain/attention/classify';
import { lockDateHold, lockDateReason } from '../domain/lock-dates';
import { buildAllocationWrite, buildCreditNoteRead, processAllocationLookup, processAllocationWrite, type AllocationKey } from '../domain/xero/allocation-write';
import { findJob, holdClaimedJob, markDelivered, markFailed, scheduleRetry, unclaimJobs, type Job } from '../store/jobs';
import { findOrganisation } from '../store/organisations';
import type { DeliveryContext } from './context';
import { documentDate, settleFailure } from './settle';

/** An allocation job ready to go: the credit note's id at Xero and the element with its invoice named. */
type Ready = { creditNoteId: string; element: Record<string, unknown>; key: AllocationKey };

/**
 * What an allocation job sends: its credit note must be in Xero (the job waits for it), and an
 * invoice named by the app's DocumentId is the one the credit note's own job waited for.
 */
function readyAllocation(ctx: DeliveryContext, job: Job): Ready | { problem: string } {
  const creditNote = job.dependsOn ? findJob(ctx.deps.db, job.dependsOn) : undefined;
  if (!creditNote?.xeroId) return { problem: `The credit note this allocation draws on (document ${creditNote?.documentKey ?? 'unknown'}) is recorded as delivered without Xero's CreditNoteID, so the allocation cannot name it.` };
  const named = (job.payload['Invoice'] ?? {}) as Record<string, unknown>;
  let invoice = named;
  if (named['InvoiceID'] === undefined && named['InvoiceNumber'] === undefined) {
    const invoiceJob = creditNote.dependsOn ? findJob(ctx.deps.db, creditNote.dependsOn) : undefined;
    if (!invoiceJob?.xeroId) return { problem: `The invoice this allocation is for (document ${invoiceJob?.documentKey ?? 'unknown'}) has no InvoiceID from Xero, so the allocation cannot name it.` };
    invoice = { InvoiceID: invoiceJob.xeroId };
  }
  const amount = Number(job.payload['AppliedAmount']);
  const key: AllocationKey = typeof invoice['InvoiceID'] === 'string' ? { invoiceId: invoice['InvoiceID'], amount } : { invoiceNumber: String(invoice['InvoiceNumber']), amount };
  return { creditNoteId: creditNote.xeroId, element: { ...job.payload, Invoice: invoice }, key };
}

/** The job's allocation ready to go, or undefined once a job that cannot name its documents is marked failed. */
function readyOrFailed(ctx: DeliveryContext, job: Job): Ready | undefined {
  const ready = readyAllocation(ctx, job);
  if (!('problem' in ready)) return ready;
  markFailed(ctx.deps.db, ctx.deps.clock, job.id, [ready.problem]);
  ctx.stats.failed += 1;
  return undefined;
}

const delivered = (item: Record<string, unknown>) => ({ xeroId: typeof item['AllocationID'] === 'string' ? item['AllocationID'] : null, xeroNumber: null, result: item });

/**
 * Sends allocations one credit note at a time (`PUT /CreditNotes/{id}/Allocations`, the only way
 * Xero takes them): saved → delivered, refused → failed with Xero's messages verbatim.
 */
export async function sendAllocations(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const organisation = findOrganisation(db, organisationId);
  for (const job of jobs) {
    // An allocation posts to the ledger on its own date: one on or before a lock date is held before it costs a call, as documents are.
    const locked = organisation ? lockDateHold(organisation, job) : undefined;
    if (locked) {
      holdClaimedJob(db, clock, job.id, lockDateReason(locked), locked);
      continue;
    }
    const ready = readyOrFailed(ctx, job);
    if (!ready) continue;
    let httpStatus: number;
    let outcome;
    try {
      ctx.stats.writes += 1;
      const response = await ctx.call(organisationId, (auth) => buildAllocationWrite({ apiUrl: config.xero.apiUrl, auth, creditNoteId: ready.creditNoteId, allocation: ready.element }));
      httpStatus = response.status;
      outcome = processAllocationWrite(response);
    } catch (error) {
      settleFailure(ctx, organisationId, 'allocation', [job], error, true);
      continue;
    }
    if (!outcome) {
      // Xero answered without the allocation: whether it was saved is found by looking it up.
      scheduleRetry(db, clock, job.id, { notBefore: clock.now().toISOString(), lastError: "Xero's answer listed no allocation; it is looked up before anything is sent again.", outcomeUnknown: true }, { httpStatus });
      continue;
    }
    if (outcome.status === 'ERROR') {
      const messages = outcome.validationErrors.length > 0 ? outcome.validationErrors : ['Xero refused the allocation without giving a reason.'];
      markFailed(db, clock, job.id, messages, { httpStatus, cause: classifyRefusal(messages, documentDate(job)) });
      ctx.stats.failed += 1;
      continue;
    }
    markDelivered(db, clock, job.id, delivered(outcome.item), { httpStatus });
    ctx.stats.delivered += 1;
  }
}

/**
 * Settles allocations whose last send may have reached Xero: reads the credit note (`GET
 * /CreditNotes/{id}`) and looks among its Allocations for this invoice and amount. Found →
 * delivered, so it is never applied twice; absent → sent again without counting an attempt.
 */
export async function lookUpAllocations(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  for (const job of jobs) {
    const ready = readyOrFailed(ctx, job);
    if (!ready) continue;
    let found: Record<string, unknown> | undefined;
    let httpStatus: number;
    try {
      ctx.stats.lookups += 1;
      const response = await ctx.call(organisationId, (auth) => buildCreditNoteRead(config.xero.apiUrl, auth, ready.creditNoteId));
      httpStatus = response.status;
      found = processAllocationLookup(response, ready.key);
    } catch (error) {
      settleFailure(ctx, organisationId, 'allocation', [job], error, false);
      continue;
    }
    if (found) {
      markDelivered(db, clock, job.id, delivered(found), { outcome: 'found', httpStatus, note: 'Looked up in Xero and found on the credit note, so it was not sent again.' });
      ctx.stats.found += 1;
      ctx.stats.delivered += 1;
    } else {
      unclaimJobs(db, clock, [job.id], { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: 'Looked up in Xero and not on the credit note, so it is sent.' } });
    }
  }
}
