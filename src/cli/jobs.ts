import type { Command } from 'commander';
import { CAUSE_CODES } from '../domain/attention/causes';
import { JOB_STATUSES } from '../domain/documents/openapi-schemas';
import { AppError } from '../lib/errors';
import { createLogger, silentLogger } from '../lib/logger';
import { retriedText, retryAll } from '../services/attention';
import type { ServiceDeps } from '../services/deps';
import { cancelDocument, documentDetail, retryNow, searchDocuments, type DocumentSummary } from '../services/documents';
import { getOrganisation } from '../store/organisations';
import type { Acting } from '../services/audit';
import { withStore, type CliStore } from './context';
import { printData, table, type Io } from './output';

const depsOf = (store: CliStore): ServiceDeps & Acting => ({ ...store, logger: silentLogger });

interface ListOptions {
  status?: string;
  cause?: string;
  kind?: string;
  device?: string;
  org?: string;
  from?: string;
  to?: string;
  search?: string;
  limit: string;
  json?: boolean;
}

/** `xero-proxy jobs list|show|retry|cancel`: the documents on their way to Xero, for the administrator (the console's documents pages use the same service). */
export function registerJobs(program: Command, io: Io): void {
  const jobs = program.command('jobs').description('see and steer the documents on their way to Xero');

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--status <status>', `only jobs in this state: ${JOB_STATUSES.join(', ')}`)
    .option('--cause <cause>', 'only jobs held or refused for this cause (e.g. account_archived, mapping_missing)')
    .option('--kind <kind>', 'only invoice, payment or timesheet jobs')
    .option('--device <id>', "only this device's jobs (its own id)")
    .option('--org <org>', "only this organisation's jobs (id, name or short code)")
    .option('--from <day>', 'only jobs accepted on or after this day (YYYY-MM-DD, UTC)')
    .option('--to <day>', 'only jobs accepted on or before this day (YYYY-MM-DD, UTC)')
    .option('--search <text>', "a Reference, InvoiceNumber, the app's DocumentId or shiftId, or Xero's id")
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print as JSON')
    .action(async (options: ListOptions, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new AppError('invalid', '--limit: must be a whole number from 1 to 10000.', { field: 'limit' });
      await withStore(command, (store) => {
        const organisation = options.org === undefined ? undefined : getOrganisation(store.db, options.org).id;
        const found = searchDocuments(depsOf(store), {
          ...(options.status !== undefined ? { status: options.status } : {}),
          ...(options.cause !== undefined ? { cause: options.cause } : {}),
          ...(options.kind !== undefined ? { kind: options.kind } : {}),
          ...(options.device !== undefined ? { device: options.device } : {}),
          ...(organisation !== undefined ? { organisation } : {}),
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
          ...(options.search !== undefined ? { q: options.search } : {}),
          limit,
        });
        const rows = found.documents.map(jobRow);
        printData(io, Boolean(options.json), { jobs: rows }, () => table(rows, ['id', 'kind', 'status', 'organisation', 'device', 'documentId', 'attempts', 'updatedAt', 'outcome']));
      });
    });

  jobs
    .command('show <id>')
    .description("one job in full: its state, Xero's ids or messages, the document sent, every attempt")
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const detail = documentDetail(depsOf(store), id);
        const row = { ...jobRow(detail.summary), ...detail.job, device: detail.summary.deviceId, deviceId: detail.summary.deviceId, attemptHistory: detail.attempts, xeroLink: detail.xeroLink ?? null };
        printData(io, Boolean(options.json), row, () =>
          Object.entries(row)
            .filter(([key, value]) => key !== 'attemptHistory' && value !== null && value !== undefined && value !== '')
            .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
            .concat(detail.attempts.map((a) => `attempt: ${a.attemptedAt} ${a.outcome}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}${a.messages.length ? ` ${a.messages.join(' ')}` : ''}${a.note ? ` ${a.note}` : ''}`))
            .join('\n'),
        );
      });
    });

  jobs
    .command('retry [id]')
    .description('queue a dead, failed or held job again, with a fresh count of attempts; or, with --cause, every stopped job of that cause')
    .option('--cause <code>', `every dead, failed or held job of this cause: ${CAUSE_CODES.join(', ')}`)
    .option('--org <org>', "with --cause: only this organisation's jobs (id, name or short code)")
    .option('--json', 'print as JSON')
    .action(async (id: string | undefined, options: { cause?: string; org?: string; json?: boolean }, command: Command) => {
      if ((id === undefined) === (options.cause === undefined)) {
        throw new AppError('invalid', 'Give either a job id or --cause <code>, not both.', { field: 'cause', hint: 'See the causes on the attention page, or with `xero-proxy jobs list --status failed`.' });
      }
      if (options.org !== undefined && options.cause === undefined) throw new AppError('invalid', '--org: only goes with --cause.', { field: 'org' });
      await withStore(command, (store) => {
        if (options.cause !== undefined) {
          const organisation = options.org === undefined ? undefined : getOrganisation(store.db, options.org);
          // The command prints its own outcome; the service's log line is for the server's log.
          const result = retryAll({ ...store, logger: createLogger({ level: 'warn', format: 'text' }) }, { cause: options.cause, ...(organisation ? { organisationId: organisation.id } : {}) });
          printData(io, Boolean(options.json), { cause: options.cause, ...result }, () => `${retriedText(result.retried, result.lookedUpFirst)}${organisation ? ` (${organisation.name})` : ''}`);
          return;
        }
        const { job, lookedUpFirst } = retryNow(depsOf(store), id!);
        printData(io, Boolean(options.json), { id: job.id, status: job.status }, () =>
          `Queued ${job.id} again.${lookedUpFirst ? ' Its last send may have reached Xero, so it is looked up there before it is sent.' : ''}`,
        );
      });
    });

  jobs
    .command('cancel <id>')
    .description('give up on a job that has not been delivered; it is never sent')
    .option('--reason <text>', 'why, kept with the job', 'Cancelled with `xero-proxy jobs cancel`.')
    .option('--json', 'print as JSON')
    .action(async (id: string, options: { reason: string; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const job = cancelDocument(depsOf(store), id, options.reason);
        printData(io, Boolean(options.json), { id: job.id, status: job.status, reason: job.cancelReason }, () => `Cancelled ${job.id}; it will not be sent.`);
      });
    });
}

/** A job as one line of a listing: what happened, in a few words, and the device by its own id. */
function jobRow(summary: DocumentSummary): { id: string; kind: string; status: string; organisation: string; device: string; documentId: string; documentKey: string; attempts: number; updatedAt: string; outcome: string } {
  return {
    id: summary.id,
    kind: summary.kind,
    status: summary.status,
    organisation: summary.organisationName,
    device: summary.deviceId,
    documentId: summary.documentId ?? '',
    documentKey: summary.documentKey,
    attempts: summary.attempts,
    updatedAt: summary.updatedAt,
    outcome: summary.outcome,
  };
}
