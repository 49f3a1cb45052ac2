import type { AttachmentEndpoint } from '../domain/documents/attachment';
import { buildAttachmentList, buildAttachmentUpload, processAttachmentList, processAttachmentUpload, sameAttachment, type XeroAttachment } from '../domain/xero/attachments';
import { XeroError } from '../domain/xero/xero-error';
import { attachmentContent, findAttachment } from '../store/attachments';
import { findJob, markDelivered, markFailed, unclaimJobs, type Job } from '../store/jobs';
import type { DeliveryContext } from './context';
import { settleFailure } from './settle';

/** What a delivered attachment job records: Xero's AttachmentID and the attachment as Xero lists it. */
const delivered = (item: XeroAttachment) => ({ xeroId: item.AttachmentID, xeroNumber: null, result: item as unknown as Record<string, unknown> });

/** The document the file goes to at Xero: named in the job, or the id Xero gave the document this proxy sent. */
function placeOf(ctx: DeliveryContext, job: Job): { endpoint: AttachmentEndpoint; id: string } | string {
  const endpoint = job.payload['Endpoint'] as AttachmentEndpoint;
  if (typeof job.payload['XeroId'] === 'string') return { endpoint, id: job.payload['XeroId'] };
  const dependency = job.dependsOn ? findJob(ctx.deps.db, job.dependsOn) : undefined;
  // claimJobs hands out only attachments whose document is delivered; this guards the id itself.
  if (!dependency?.xeroId) return `The document this file is for (${dependency?.documentKey ?? 'unknown'}) is recorded as delivered without Xero's id, so the file cannot be attached to it.`;
  return { endpoint, id: dependency.xeroId };
}

/**
 * Uploads one claimed attachment (never sent, or proven absent from its document): its bytes,
 * unsealed only for the call, as one `PUT …/{Endpoint}/{id}/Attachments/{FileName}`. A 413 or a
 * document Xero does not have fails it with that reason (sending it again would meet the same
 * answer); anything else is settled as every write is.
 */
export async function sendAttachments(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config, keyring } = ctx.deps;
  const [job, ...rest] = jobs;
  if (rest.length > 0) unclaimJobs(db, clock, rest.map((other) => other.id), { notBefore: clock.now().toISOString() });
  if (!job) return;
  const place = placeOf(ctx, job);
  const file = findAttachment(db, job.id);
  const content = file ? attachmentContent(db, keyring, job.id) : undefined;
  if (typeof place === 'string' || !file || !content) {
    markFailed(db, clock, job.id, [typeof place === 'string' ? place : 'The file was not kept (its content was erased), so it cannot be sent; the app must send it again.']);
    ctx.stats.failed += 1;
    return;
  }
  let attachment: XeroAttachment;
  let httpStatus: number;
  try {
    ctx.stats.writes += 1;
    const response = await ctx.call(organisationId, (auth) =>
      buildAttachmentUpload({ apiUrl: config.xero.apiUrl, auth, ...place }, { fileName: file.fileName, mimeType: file.mimeType, includeOnline: file.includeOnline, content }),
    );
    httpStatus = response.status;
    attachment = processAttachmentUpload(response);
  } catch (error) {
    const refusal = finalRefusal(error, place);
    if (refusal) {
      markFailed(db, clock, job.id, [refusal.message], { httpStatus: refusal.status });
      ctx.stats.failed += 1;
      return;
    }
    settleFailure(ctx, organisationId, 'attachment', [job], error, true);
    return;
  }
  markDelivered(db, clock, job.id, delivered(attachment), { httpStatus });
  ctx.stats.delivered += 1;
}

/**
 * Settles an attachment whose last upload may have reached Xero, before it is sent again: one
 * `GET …/{Endpoint}/{id}/Attachments`. A file of the same name and size is the one sent, so the
 * job is delivered with its AttachmentID; otherwise it is proven absent and goes back to be sent,
 * the look-up not counting as an attempt.
 */
export async function lookUpAttachments(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void> {
  const { db, clock, config } = ctx.deps;
  const [job, ...rest] = jobs;
  if (rest.length > 0) unclaimJobs(db, clock, rest.map((other) => other.id), { notBefore: clock.now().toISOString() });
  if (!job) return;
  const place = placeOf(ctx, job);
  const file = findAttachment(db, job.id);
  if (typeof place === 'string' || !file) {
    markFailed(db, clock, job.id, [typeof place === 'string' ? place : 'The attachment has no stored file.']);
    ctx.stats.failed += 1;
    return;
  }
  let found: XeroAttachment | undefined;
  let httpStatus: number;
  try {
    ctx.stats.lookups += 1;
    const response = await ctx.call(organisationId, (auth) => buildAttachmentList({ apiUrl: config.xero.apiUrl, auth, ...place }));
    httpStatus = response.status;
    found = sameAttachment(processAttachmentList(response), file.fileName, file.byteLength);
  } catch (error) {
    settleFailure(ctx, organisationId, 'attachment', [job], error, false);
    return;
  }
  if (found) {
    markDelivered(db, clock, job.id, delivered(found), { outcome: 'found', httpStatus, note: 'Looked up in Xero and found there, so it was not sent again.' });
    ctx.stats.found += 1;
    ctx.stats.delivered += 1;
    return;
  }
  unclaimJobs(db, clock, [job.id], { notBefore: clock.now().toISOString(), outcomeKnown: true, attempt: { outcome: 'retry', httpStatus, note: 'Looked up in Xero and not there, so it is sent.' } });
}

/** Xero's answers that the same upload would meet again: too large, or no such document. */
function finalRefusal(error: unknown, place: { endpoint: AttachmentEndpoint; id: string }): { status: number; message: string } | undefined {
  if (!(error instanceof XeroError) || error.delivery !== 'answered') return undefined;
  const status = error.problem?.status ?? error.response?.status;
  if (status === 413) return { status, message: 'Xero refused the file as too large (413); it takes at most 10 MB a file.' };
  if (status === 404) return { status, message: `Xero has no ${place.endpoint} document ${place.id} to attach the file to.` };
  return undefined;
}
