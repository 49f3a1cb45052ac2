import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import { findJob, listJobs, type Job, type JobStatus } from '../../store/jobs';
import type { ServiceDeps } from '../../services/deps';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';

const STATUSES: readonly JobStatus[] = ['queued', 'sending', 'delivered', 'failed', 'held', 'dead', 'cancelled'];

/** What a device sees of a job: its state, Xero's ids and messages; never another device's jobs. */
export function jobView(job: Job): Record<string, unknown> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    documentKey: job.documentKey,
    ...(job.documentId !== null ? { documentId: job.documentId } : {}),
    attempts: job.attempts,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.deliveredAt ? { deliveredAt: job.deliveredAt } : {}),
    ...(job.xeroId ? { xeroId: job.xeroId } : {}),
    ...(job.xeroNumber ? { xeroNumber: job.xeroNumber } : {}),
    ...(job.kind === 'attachment' && typeof job.payload['FileName'] === 'string' ? { fileName: job.payload['FileName'] } : {}),
    ...(job.errors ? { ValidationErrors: job.errors } : {}),
    ...(job.heldReason ? { heldReason: job.heldReason } : {}),
    // A job waiting for mappings names each one, with where it is in what the app sent.
    ...(job.status === 'held' && job.cause === 'mapping_missing' ? { cause: job.cause, missing: job.causeDetail?.['missing'] ?? [] } : {}),
    ...(job.status === 'queued' && job.lastError ? { lastError: job.lastError, nextAttemptAt: job.notBefore } : {}),
    ...(job.status === 'dead' && job.lastError ? { lastError: job.lastError } : {}),
  };
}

/** `GET /jobs/{id}` and `GET /jobs?status=…&since=…&documentId=…`: what became of a device's documents. */
export function jobRoutes(deps: ServiceDeps): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.get('/jobs/:id', requireDevice(deps), (c) => {
    const job = findJob(deps.db, c.req.param('id'));
    // Another device's job is as unknown as a job that does not exist.
    if (!job || job.deviceId !== c.get('device').id) throw new AppError('not_found', `There is no job ${c.req.param('id')} for this device.`);
    return reply(c, 200, 'Job', jobView(job));
  });
  app.get('/jobs', requireDevice(deps), (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !STATUSES.includes(status as JobStatus)) {
      throw new AppError('invalid', `status: must be one of ${STATUSES.join(', ')}.`, { field: 'status' });
    }
    const since = c.req.query('since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw new AppError('invalid', 'since: must be an ISO-8601 date or time, e.g. 2026-11-28T00:00:00Z.', { field: 'since' });
    const documentId = c.req.query('documentId');
    if (documentId !== undefined && (documentId === '' || documentId.length > 255)) throw new AppError('invalid', 'documentId: must be 1 to 255 characters, the DocumentId or shiftId the app sent.', { field: 'documentId' });
    const limitText = c.req.query('limit') ?? '100';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('invalid', 'limit: must be a whole number from 1 to 1000.', { field: 'limit' });
    const jobs = listJobs(deps.db, c.get('device').id, {
      ...(status ? { status: status as JobStatus } : {}),
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(documentId !== undefined ? { documentId } : {}),
      limit,
    });
    return reply(c, 200, 'Jobs', { Jobs: jobs.map(jobView) });
  });
  return app;
}
