import { createHash } from 'node:crypto';
import { AppError } from '../lib/errors';
import { newOrderedId, randomBase32 } from '../lib/ids';
import type { Device } from '../store/devices';
import { findJobByDocumentKey, insertJob, replaceRefusedContent, requeueJob } from '../store/jobs';
import { groupCommitOf } from '../store/group-commit';
import { findOrganisation } from '../store/organisations';
import { statement } from '../store/statements';
import { insertWaitingJob, MAPPING_MISSING, setJobSource } from '../store/waiting-jobs';
import { parseDocument, type DocumentBody } from '../domain/documents';
import type { ServiceDeps } from './deps';
import { documentKey, findSubmission, IDEMPOTENCY_KEY, restoredRecently, type SubmitAnswer } from './submit-answer';
import { contentHashOf, planDocuments, type Endpoint, type PlanContext } from './submit-plan';
import { buildFromSource, referenceWithKey, waitingReason, withDocumentKey, type JobSource } from './waiting-documents';

export { referenceWithKey };
export { contentHashOf, type Endpoint } from './submit-plan';
export { documentKey, findSubmission, IDEMPOTENCY_KEY, restoredRecently, type AcceptedJob, type SubmitAnswer } from './submit-answer';

export interface SubmitInput {
  body: DocumentBody;
  /** The `Idempotency-Key` header, if sent. */
  idempotencyKey: string | undefined;
  /** Method and path, part of what a key is bound to. */
  route: string;
}

/**
 * Accepts documents from a device: validates the whole body, then in ONE transaction stores the
 * submission (with its answer) and a job per Xero document, so the 202 is only sent once the work
 * is durable. That transaction is the next group commit, shared with the other submissions that
 * arrived meanwhile, each in its own savepoint: one refused (409, 422, 400) leaves the others be.
 * The same Idempotency-Key and body gets the first answer and creates nothing, even within one
 * group; the same key with another body is refused (422). A document this device already sent (same
 * DocumentId or shiftId) with the same content is not queued again (`duplicateOf`); with other
 * content the whole request is refused (409 `document_changed`, naming the earlier job) and
 * nothing is stored, so the app knows its correction did not go.
 */
export function submit(deps: ServiceDeps, device: Device, endpoint: Endpoint, input: SubmitInput): Promise<SubmitAnswer> {
  const prepared = prepareSubmission(deps, device, endpoint, input);
  return 'replay' in prepared ? Promise.resolve(prepared.replay) : groupCommitOf(deps.db).add(prepared.store);
}

/** Checks what can be checked before the write lock, and gives the replayed answer or the work to run under it. */
function prepareSubmission(deps: ServiceDeps, device: Device, endpoint: Endpoint, input: SubmitInput): { replay: SubmitAnswer } | { store: () => SubmitAnswer } {
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw new AppError('invalid', 'Idempotency-Key: must be 1 to 255 printable ASCII characters.', { field: 'Idempotency-Key' });
  }
  const requestHash = createHash('sha256').update(input.route).update('\0').update(input.body.contentType ?? '').update('\0').update(input.body.bytes).digest('hex');
  const replay = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
  if (replay) return { replay };
  if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
  const organisation = findOrganisation(deps.db, device.organisationId);
  if (!organisation || organisation.linkState === 'disconnected') throw new AppError('conflict', "This device's organisation was disconnected; it must be linked again before documents are accepted.");
  const submissionId = newOrderedId('sub');
  // Soon after a restore, a document the app sends again may have reached Xero through the proxy
  // that made the backup, after it was made: looked up there before its first send, like any other.
  const lookUpFirst = restoredRecently(deps);
  const context: PlanContext = { deps, device, organisationId: organisation.id, identityBase: input.idempotencyKey ?? `${submissionId}:${randomBase32(4)}` };
  // Parsed now, before the write lock: a large batch's parse is most of its cost, and here it
  // holds up no other request's commit (a body that does not parse is refused with nothing stored).
  const document = parseDocument(endpoint, input.body);

  const store = (): SubmitAnswer => {
    // Checked again under the write lock: of two identical requests racing, the second replays.
    const raced = input.idempotencyKey ? findSubmission(deps, device.id, input.idempotencyKey, requestHash) : undefined;
    if (raced) return raced;
    // Planned under the write lock too: the mappings read are those of this moment, so a mapping
    // saved meanwhile either builds the document here or releases it when it commits.
    const planned = planDocuments(endpoint, context, document);
    const answer: SubmitAnswer = { status: 202, body: { submissionId, jobs: [] } };
    statement(deps.db, 'INSERT INTO submissions (id, device_id, idempotency_key, request_hash, status_code, response, created_at, request_body, request_content_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(submissionId, device.id, input.idempotencyKey ?? null, requestHash, 202, '{}', deps.clock.now().toISOString(), Buffer.from(input.body.bytes).toString('utf8'), input.body.contentType ?? null);
    const ids: string[] = [];
    const corrected: string[] = [];
    for (const item of planned) {
      const key = documentKey(device.id, item.kind, item.identity);
      const existing = [item.identity, ...(item.aliases ?? [])].map((identity) => findJobByDocumentKey(deps.db, organisation.id, item.kind, documentKey(device.id, item.kind, identity))).find((job) => job !== undefined);
      const contentHash = item.origin ? contentHashOf(item.origin.document) : null;
      if (existing && item.origin && existing.contentHash !== null && existing.contentHash !== contentHash) {
        // A document Xero refused, or one held for its lock date before any call, is corrected in place (same key, queued again below): Xero
        // holds nothing of it, and a correction under a new DocumentId would leave the refused
        // one to be retried beside it. Anything that may be in Xero stays as it is: 409.
        const built = (existing.status === 'failed' || (existing.status === 'held' && existing.cause === 'lock_date')) && !existing.outcomeUnknown ? ('payload' in item ? { payload: item.payload } : buildFromSource(deps.db, organisation.id, item.source)) : undefined;
        const source = 'source' in item ? (item.source as unknown as Record<string, unknown>) : null;
        if (!built || !('payload' in built) || !replaceRefusedContent(deps.db, deps.clock, existing.id, { payload: withDocumentKey(item.kind, built.payload, existing.documentKey), contentHash, source })) {
          // Thrown inside the transaction, so the submission row and any job before it roll back.
          throw documentChanged(item.origin.documentId, existing.id);
        }
        corrected.push(existing.id);
        ids.push(existing.id);
        answer.body.jobs.push({ id: existing.id, kind: item.kind, documentKey: existing.documentKey, status: 'queued' });
        continue;
      }
      if (existing) {
        ids.push(existing.id);
        answer.body.jobs.push({ id: existing.id, kind: item.kind, documentKey: existing.documentKey, status: existing.status, duplicateOf: existing.id });
        continue;
      }
      const id = newOrderedId('job');
      const dependsOn = item.dependsOn === undefined ? null : 'jobId' in item.dependsOn ? item.dependsOn.jobId : ids[item.dependsOn.planIndex]!;
      const built = 'payload' in item ? { payload: item.payload } : buildFromSource(deps.db, organisation.id, item.source);
      const row = { id, submissionId, organisationId: organisation.id, deviceId: device.id, kind: item.kind, documentKey: key, dependsOn, documentId: item.origin?.documentId ?? null, contentHash, outcomeUnknown: lookUpFirst };
      ids.push(id);
      if ('missing' in built) {
        // Accepted and kept, not refused: it waits for the mapping, and goes when it is saved.
        const heldReason = waitingReason(built.missing);
        insertWaitingJob(deps.db, deps.clock, { ...row, source: (item as { source: JobSource }).source as unknown as Record<string, unknown>, causeDetail: { missing: built.missing }, heldReason });
        answer.body.jobs.push({ id, kind: item.kind, documentKey: key, status: 'held', cause: MAPPING_MISSING, heldReason, missing: built.missing });
        continue;
      }
      insertJob(deps.db, deps.clock, { ...row, payload: withDocumentKey(item.kind, built.payload, key) });
      if ('source' in item) setJobSource(deps.db, id, item.source as unknown as Record<string, unknown>);
      answer.body.jobs.push({ id, kind: item.kind, documentKey: key, status: 'queued' });
    }
    // Queued again only once every part is corrected: a shift's payments wait for its invoice.
    for (const id of corrected) requeueJob(deps.db, deps.clock, id, { note: 'Corrected by the app (the same DocumentId with new content) after Xero refused it.' });
    statement(deps.db, 'UPDATE submissions SET response = ? WHERE id = ?').run(JSON.stringify(answer.body), submissionId);
    return answer;
  };
  return { store };
}


function documentChanged(documentId: string, earlierJobId: string): AppError {
  return new AppError(
    'document_changed',
    `The document "${documentId}" was already sent with other content (job ${earlierJobId}); this request was not stored, and the earlier document stands.`,
    {
      field: 'DocumentId',
      details: [{ field: 'DocumentId', message: `already used by job ${earlierJobId} with other content` }],
      hint: 'The earlier document may already be in Xero. To change it, void or credit it in Xero and send the correction under a new DocumentId; a document Xero refused is corrected by sending it again under its own DocumentId.',
    },
  );
}
