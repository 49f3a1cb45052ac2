import type { BatchCollection } from '../domain/xero/batch-write';
import type { KeyField, KeyTerm } from '../domain/xero/reference-lookup';
import type { Job, JobKind } from '../store/jobs';

/** How the loop sends one kind of job: its collection and where Xero puts its id and number. */
export interface KindSpec {
  collection: BatchCollection;
  idField: 'InvoiceID' | 'CreditNoteID' | 'PaymentID';
  numberField: 'InvoiceNumber' | 'CreditNoteNumber' | undefined;
  /** The document names a contact, found at Xero before it is sent (queue/contacts.ts). */
  contact?: boolean;
}

/**
 * The Accounting kinds the loop delivers in batches, in no particular order (readyKinds orders
 * them); timesheets go to Payroll (timesheet-steps.ts), allocations one credit note at a time
 * (allocation-steps.ts).
 */
export const KIND_SPECS: Partial<Record<JobKind, KindSpec>> = {
  invoice: { collection: 'Invoices', idField: 'InvoiceID', numberField: 'InvoiceNumber', contact: true },
  credit_note: { collection: 'CreditNotes', idField: 'CreditNoteID', numberField: 'CreditNoteNumber', contact: true },
  payment: { collection: 'Payments', idField: 'PaymentID', numberField: undefined },
};

const MAX_NUMBER = 255;

/**
 * Where a job's document carries its key at Xero. Xero keeps `Reference` on sales invoices,
 * sales credit notes and payments but drops it from bills (ACCPAY: "Reference: ACCREC only" in
 * Xero's OpenAPI) and supplier credit notes ("ACCRECCREDIT only"), whose number is what Xero
 * shows as their reference; so those carry their key in the number.
 */
export function keyField(job: Job): KeyField {
  if (job.kind === 'invoice' && job.payload['Type'] === 'ACCPAY') return 'InvoiceNumber';
  if (job.kind === 'credit_note' && job.payload['Type'] === 'ACCPAYCREDIT') return 'CreditNoteNumber';
  return 'Reference';
}

/** The look-up term for a job. */
export const keyTerm = (job: Job): KeyTerm => ({ key: job.documentKey, field: keyField(job) });

/**
 * The element to send for a job: its payload with the document key in the field Xero keeps (the
 * accept path puts it in Reference; this makes sure, and moves it into a bill's or supplier
 * credit note's number), and for a payment of a document sent through the proxy, that
 * document's id: the invoice it pays, or the credit note it refunds. A credit note's own
 * dependency (the invoice it will be allocated to) only makes it wait.
 */
export function elementFor(job: Job, dependency: Job | undefined): Record<string, unknown> {
  const element: Record<string, unknown> = { ...job.payload, Reference: withKey(job.payload['Reference'], job.documentKey) };
  const field = keyField(job);
  if (field !== 'Reference') element[field] = withKey(job.payload[field], job.documentKey, MAX_NUMBER);
  if (job.kind === 'payment' && dependency?.xeroId) {
    if (dependency.kind === 'credit_note') element['CreditNote'] = { CreditNoteID: dependency.xeroId };
    else element['Invoice'] = { InvoiceID: dependency.xeroId };
  }
  return element;
}

function withKey(value: unknown, key: string, max = Infinity): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.includes(key)) return text;
  if (text === '') return `[${key}]`;
  return `${text.slice(0, Math.max(0, max - key.length - 3))} [${key}]`;
}

/** How a job and the document it waits for are named to a person: "this payment", "the invoice it pays". */
export function dependencyWords(job: Job, dependency: Job): { job: string; dependency: string; noun: string } {
  if (job.kind === 'allocation') return { job: 'allocation', dependency: 'credit note this allocation draws on', noun: 'credit note' };
  if (job.kind === 'credit_note') return { job: 'credit note', dependency: 'invoice this credit note is allocated to', noun: 'invoice' };
  if (job.kind === 'attachment') return { job: 'file', dependency: 'document this file is for', noun: 'document' };
  if (dependency.kind === 'credit_note') return { job: 'refund', dependency: 'credit note this refund pays out', noun: 'credit note' };
  return { job: 'payment', dependency: 'invoice this payment is for', noun: 'invoice' };
}

/** The text a person reads for what happened to a dependency, e.g. "Xero refused it (…)". */
export function dependencyFate(dependency: Job): string {
  if (dependency.status === 'failed') return `Xero refused it (${(dependency.errors ?? []).join(' ') || 'no reason given'})`;
  if (dependency.status === 'dead') return `the proxy gave up sending it (${dependency.lastError ?? 'no reason recorded'})`;
  return 'it was cancelled';
}
