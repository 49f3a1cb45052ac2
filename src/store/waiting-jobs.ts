import type { Clock } from '../lib/clock';
import type { Db } from './db';
import type { NewJob } from './jobs';

/** The cause code of a job that waits for a mapping (src/domain/attention/causes.ts). */
export const MAPPING_MISSING = 'mapping_missing';

/** A job waiting for mappings: what the app sent, and what it still lacks. */
export interface WaitingJob {
  id: string;
  kind: NewJob['kind'];
  documentKey: string;
  dependsOn: string | null;
  source: Record<string, unknown>;
  causeDetail: Record<string, unknown>;
  createdAt: string;
}

/**
 * Adds a job that waits for mappings (status `held`, cause `mapping_missing`): its payload is
 * built from `source` once they exist. Run inside the caller's transaction with its submission.
 */
export function insertWaitingJob(db: Db, clock: Clock, job: Omit<NewJob, 'payload'> & { source: Record<string, unknown>; causeDetail: Record<string, unknown>; heldReason: string }): void {
  const now = clock.now().toISOString();
  db.prepare(
    `INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, depends_on, status, held_reason, cause, cause_detail, source, document_id, content_hash, not_before, created_at, updated_at, outcome_unknown)
     VALUES (?, ?, ?, ?, ?, ?, '{}', ?, 'held', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(job.id, job.submissionId, job.organisationId, job.deviceId, job.kind, job.documentKey, job.dependsOn, job.heldReason, MAPPING_MISSING, JSON.stringify(job.causeDetail), JSON.stringify(job.source), job.documentId ?? null, job.contentHash ?? null, now, now, now, job.outcomeUnknown ? 1 : 0);
}

/** Records what the app sent for a job built at once, so the console can show it beside the payload. */
export function setJobSource(db: Db, id: string, source: Record<string, unknown>): void {
  db.prepare('UPDATE jobs SET source = ? WHERE id = ?').run(JSON.stringify(source), id);
}

/** An organisation's jobs waiting for mappings, in the order they were accepted. */
export function jobsWaitingForMappings(db: Db, organisationId: string): WaitingJob[] {
  const rows = db
    .prepare(
      `SELECT id, kind, document_key, depends_on, source, cause_detail, created_at FROM jobs
       WHERE organisation_id = ? AND status = 'held' AND cause = ? ORDER BY created_at, rowid`,
    )
    .all(organisationId, MAPPING_MISSING) as Array<{ id: string; kind: NewJob['kind']; document_key: string; depends_on: string | null; source: string | null; cause_detail: string | null; created_at: string }>;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    documentKey: row.document_key,
    dependsOn: row.depends_on,
    source: JSON.parse(row.source ?? '{}') as Record<string, unknown>,
    causeDetail: JSON.parse(row.cause_detail ?? '{}') as Record<string, unknown>,
    createdAt: row.created_at,
  }));
}

/** Queues a waiting job with the payload built from its source; false if it no longer waits. */
export function releaseWaitingJob(db: Db, clock: Clock, id: string, payload: Record<string, unknown>): boolean {
  const now = clock.now().toISOString();
  return (
    db
      .prepare(
        `UPDATE jobs SET status = 'queued', payload = ?, cause = NULL, cause_detail = NULL, held_reason = NULL, not_before = ?, updated_at = ?
         WHERE id = ? AND status = 'held' AND cause = ?`,
      )
      .run(JSON.stringify(payload), now, now, id, MAPPING_MISSING).changes === 1
  );
}

/** Records what a waiting job still lacks (fewer names once some are mapped, more once one is removed). */
export function updateWaitingJob(db: Db, clock: Clock, id: string, causeDetail: Record<string, unknown>, heldReason: string): void {
  db.prepare(`UPDATE jobs SET cause_detail = ?, held_reason = ?, updated_at = ? WHERE id = ? AND status = 'held' AND cause = ?`).run(
    JSON.stringify(causeDetail),
    heldReason,
    clock.now().toISOString(),
    id,
    MAPPING_MISSING,
  );
}

/** What the app sent for a job built from mappings (a shift, timesheet or wage bill), if any. */
export function sourceOfJob(db: Db, id: string): Record<string, unknown> | undefined {
  const text = db.prepare('SELECT source FROM jobs WHERE id = ?').pluck().get(id) as string | null | undefined;
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

/** Replaces the payload of a job that has not been delivered (rebuilt with the mappings of now). */
export function replacePayload(db: Db, clock: Clock, id: string, payload: Record<string, unknown>): boolean {
  return db.prepare(`UPDATE jobs SET payload = ?, updated_at = ? WHERE id = ? AND status IN ('failed', 'dead', 'held', 'queued')`).run(JSON.stringify(payload), clock.now().toISOString(), id).changes === 1;
}
