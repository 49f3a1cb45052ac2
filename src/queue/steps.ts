import { MAX_KEYS_PER_LOOKUP } from '../domain/xero/reference-lookup';
import { MAX_TIMESHEETS_PER_LOOKUP } from '../domain/xero/timesheet-lookup';
import type { Db } from '../store/db';
import type { Job, JobKind } from '../store/jobs';
import { payrollApiOf } from '../store/organisation-payroll';
import type { DeliveryContext } from './context';
import { KIND_SPECS } from './kinds';
import { lookUp } from './look-up';
import { sendBatch } from './send-batch';
import { lookUpAllocations, sendAllocations } from './allocation-steps';
import { lookUpAttachments, sendAttachments } from './attachment-steps';
import { lookUpTimesheetJobs, sendTimesheetJobs } from './timesheet-dispatch';

/** The two steps the loop takes for a kind of job: send a batch, or look up jobs whose last send may have landed. */
export interface KindSteps {
  send(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void>;
  lookUp(ctx: DeliveryContext, organisationId: string, jobs: readonly Job[]): Promise<void>;
  /** The most jobs one look-up settles (its URL must stay under 2,048 characters). */
  lookUpSize: number;
  /** The most jobs one send carries, when fewer than the loop's batch (an attachment is one file a request). */
  sendSize?: number;
  /** Whether the organisation's API takes these one per call (Payroll 2.0), so claims take one. */
  oneAtATime?(db: Db, organisationId: string): boolean;
}

const accounting = (kind: 'invoice' | 'credit_note' | 'payment'): KindSteps => {
  const spec = KIND_SPECS[kind]!;
  return {
    send: (ctx, organisationId, jobs) => sendBatch(ctx, organisationId, kind, spec, jobs),
    lookUp: (ctx, organisationId, jobs) => lookUp(ctx, organisationId, kind, spec, jobs),
    lookUpSize: MAX_KEYS_PER_LOOKUP,
  };
};

/** How each kind is delivered: invoices, credit notes and payments in batches through the Accounting API, allocations one credit note at a time, files one a call once their document is at Xero, timesheets through Payroll AU 1.0 or 2.0. */
export const KIND_STEPS: Record<JobKind, KindSteps> = {
  invoice: accounting('invoice'),
  credit_note: accounting('credit_note'),
  payment: accounting('payment'),
  // One call per allocation (each names its credit note in the URL): a claim of a few keeps a pass short.
  allocation: { send: sendAllocations, lookUp: lookUpAllocations, lookUpSize: 5 },
  timesheet: { send: sendTimesheetJobs, lookUp: lookUpTimesheetJobs, lookUpSize: MAX_TIMESHEETS_PER_LOOKUP, oneAtATime: (db, organisationId) => payrollApiOf(db, organisationId) === '2.0' },
  attachment: { send: sendAttachments, lookUp: lookUpAttachments, lookUpSize: 1, sendSize: 1 },
};
