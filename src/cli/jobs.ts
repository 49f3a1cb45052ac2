import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { cancelJob, findJob, listAllJobs, requeueJob, type Job, type JobStatus } from '../store/jobs';
import { findOrganisation, getOrganisation } from '../store/organisations';
import type { Db } from '../store/db';
import { withStore } from './context';
import { printData, table, type Io } from './output';

const STATUSES: readonly JobStatus[] = ['queued', 'sending', 'delivered', 'failed', 'held', 'dead', 'cancelled'];

/** `xero-proxy jobs list|show|retry|cancel`: the documents on their way to Xero, for the administrator. */
export function registerJobs(program: Command, io: Io): void {
  const jobs = program.command('jobs').description('see and steer the documents on their way to Xero');

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--status <status>', `only jobs in this state: ${STATUSES.join(', ')}`)
    .option('--org <org>', "only this organisation's jobs (id, name or short code)")
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print as JSON')
    .action(async (options: { status?: string; org?: string; limit: string; json?: boolean }, command: Command) => {
      if (options.status !== undefined && !STATUSES.includes(options.status as JobStatus)) {
        throw new AppError('invalid', `--status: must be one of ${STATUSES.join(', ')}.`, { field: 'status' });
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new AppError('invalid', '--limit: must be a whole number from 1 to 10000.', { field: 'limit' });
      await withStore(command, ({ db }) => {
        const organisationId = options.org === undefined ? undefined : getOrganisation(db, options.org).id;
        const rows = listAllJobs(db, { ...(options.status ? { status: options.status as JobStatus } : {}), ...(organisationId ? { organisationId } : {}), limit }).map((job) => jobRow(db, job));
        printData(io, Boolean(options.json), { jobs: rows }, () => table(rows, ['id', 'kind', 'status', 'organisation', 'documentKey', 'attempts', 'updatedAt', 'outcome']));
      });
    });

  jobs
    .command('show <id>')
    .description("one job in full: its state, Xero's ids or messages, the document sent")
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db }) => {
        const job = getJob(db, id);
        const row = { ...jobRow(db, job), ...job };
        printData(io, Boolean(options.json), row, () =>
          Object.entries(row)
            .filter(([, value]) => value !== null && value !== undefined && value !== '')
            .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
            .join('\n'),
        );
      });
    });

  jobs
    .command('retry <id>')
    .description('queue a dead, failed or held job again, with a fresh count of attempts')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db, clock }) => {
        const job = getJob(db, id);
        if (job.status === 'held' && job.cause === 'mapping_missing') {
          throw new AppError('conflict', `Job ${job.id} waits for a mapping, so there is nothing to send yet. ${job.heldReason ?? ''}`.trim(), { hint: 'Save the mapping (`xero-proxy map set …`); the job is then sent by itself.' });
        }
        if (!requeueJob(db, clock, job.id)) throw new AppError('conflict', `Job ${job.id} is ${job.status}; only dead, failed or held jobs can be retried.`);
        printData(io, Boolean(options.json), { id: job.id, status: 'queued' }, () =>
          `Queued ${job.id} again.${job.outcomeUnknown ? ' Its last send may have reached Xero, so it is looked up there before it is sent.' : ''}`,
        );
      });
    });

  jobs
    .command('cancel <id>')
    .description('give up on a job that has not been delivered; it is never sent')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db, clock }) => {
        const job = getJob(db, id);
        if (!cancelJob(db, clock, job.id)) {
          throw new AppError('conflict', `Job ${job.id} is ${job.status}; only queued, held, failed or dead jobs can be cancelled.`, {
            ...(job.status === 'sending' ? { hint: 'It is being sent right now; look again in a minute.' } : {}),
          });
        }
        printData(io, Boolean(options.json), { id: job.id, status: 'cancelled' }, () => `Cancelled ${job.id}; it will not be sent.`);
      });
    });
}

function getJob(db: Db, id: string): Job {
  const job = findJob(db, id);
  if (!job) throw new AppError('not_found', `There is no job ${id}.`, { hint: 'List jobs with `xero-proxy jobs list`.' });
  return job;
}

/** A job as one line of a listing: what happened, in a few words. */
function jobRow(db: Db, job: Job): { id: string; kind: string; status: string; organisation: string; documentKey: string; attempts: number; updatedAt: string; outcome: string } {
  const outcome =
    job.status === 'delivered'
      ? (job.xeroNumber ?? job.xeroId ?? '')
      : job.status === 'failed'
        ? (job.errors ?? []).join(' ')
        : (job.heldReason ?? job.lastError ?? (job.status === 'queued' ? `due ${job.notBefore}` : ''));
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    organisation: findOrganisation(db, job.organisationId)?.name ?? job.organisationId,
    documentKey: job.documentKey,
    attempts: job.attempts,
    updatedAt: job.updatedAt,
    outcome,
  };
}
