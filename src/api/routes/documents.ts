import { Hono, type Context } from 'hono';
import { AppError } from '../../lib/errors';
import type { ServiceDeps } from '../../services/deps';
import { submit, type Endpoint, type SubmitAnswer } from '../../services/submit';
import { findJob, type Job } from '../../store/jobs';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';
import { jobView } from './jobs';

const FINAL = new Set(['delivered', 'failed', 'dead', 'cancelled']);
const MAX_WAIT_SECONDS = 60;

/**
 * `POST /invoices`, `/credit-notes`, `/payments`, `/pos/shifts` and `/payroll/wage-bills`: 202 once the documents
 * are durable, with a job per Xero document and a Location; `?wait=SECONDS` waits for Xero's
 * outcome (200 delivered, 422 refused).
 */
export function documentRoutes(deps: ServiceDeps): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  const endpoints: ReadonlyArray<readonly [string, Endpoint]> = [['/invoices', 'invoices'], ['/credit-notes', 'credit-notes'], ['/payments', 'payments'], ['/pos/shifts', 'pos-shift'], ['/payroll/timesheets', 'timesheets'], ['/payroll/wage-bills', 'wage-bill']];
  for (const [path, endpoint] of endpoints) {
    app.post(path, requireDevice(deps), async (c) => {
      const wait = waitSeconds(c.req.query('wait'));
      const answer = await submit(deps, c.get('device'), endpoint, {
        body: { contentType: c.req.header('content-type'), bytes: new Uint8Array(await c.req.arrayBuffer()) },
        idempotencyKey: c.req.header('idempotency-key'),
        route: `POST ${path}`,
      });
      c.header('Location', `/api/v1/jobs/${answer.body.jobs[0]?.id ?? ''}`);
      return wait > 0 ? answerAfterWaiting(c, deps, answer, wait) : reply(c, 202, 'Accepted', { ...answer.body });
    });
  }
  return app;
}

/** `?wait=SECONDS`: how long a write may wait for Xero's outcome, 0 to 60. */
export function waitSeconds(text: string | undefined): number {
  if (text === undefined) return 0;
  // Digits only: Number() would also take '0x10', '1e1', ' 5' and '5.0', which no device means.
  const seconds = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) throw new AppError('invalid', `wait: must be whole seconds from 0 to ${MAX_WAIT_SECONDS}.`, { field: 'wait' });
  return seconds;
}

/** Waits up to `seconds` for the answer's jobs to settle: 200 delivered, 422 refused, else 202 as accepted. */
export async function answerAfterWaiting(c: Context<DeviceEnv>, deps: ServiceDeps, answer: SubmitAnswer, seconds: number): Promise<Response> {
  const deadline = Date.now() + seconds * 1000;
  // Duplicates point at jobs of earlier submissions, so the answer's own list is what to watch.
  const current = (): Job[] => answer.body.jobs.map((job) => findJob(deps.db, job.id)).filter((job): job is Job => job !== undefined);
  let jobs = current();
  // A job waiting for a mapping waits for a person, not for Xero: the answer says so at once.
  while (Date.now() < deadline && !jobs.every((job) => FINAL.has(job.status)) && !jobs.some((job) => job.cause === 'mapping_missing')) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    jobs = current();
  }
  const views = jobs.map(jobView);
  if (!jobs.every((job) => FINAL.has(job.status))) return reply(c, 202, 'Accepted', { submissionId: answer.body.submissionId, jobs: views });
  const refused = jobs.some((job) => job.status !== 'delivered');
  return reply(c, refused ? 422 : 200, refused ? 'Refused' : 'Delivered', { submissionId: answer.body.submissionId, jobs: views });
}
