import type { BatchCollection } from '../domain/xero/batch-write';
import type { KeyField, KeyTerm } from '../domain/xero/reference-lookup';
import type { Job, JobKind } from '../store/jobs';

/** How the loop sends one kind of job: its collection and where Xero puts its id and number. */
export interface KindSpec {
  collection: BatchCollection;
  idField: 'InvoiceID' | 'PaymentID';
  numberField: 'InvoiceNumber' | undefined;
  /** The document names a contact, found at Xero before it is sent (queue/contacts.ts). */
  contact?: boolean;
}

/** The Accounting kinds the loop delivers, in no particular order (readyKinds orders them); timesheets go to Payroll (timesheet-steps.ts). */
export const KIND_SPECS: Partial<Record<JobKind, KindSpec>> = {
  invoice: { collection: 'Invoices', idField: 'InvoiceID', numberField: 'InvoiceNumber', contact: true },
  payment: { collection: 'Payments', idField: 'PaymentID', numberField: undefined },
};

const MAX_INVOICE_NUMBER = 255;

/**
 * Where a job's document carries its key at Xero. Xero keeps `Reference` on sales invoices and
 * payments but drops it from bills (ACCPAY: "Reference: ACCREC only" in Xero's OpenAPI), whose
 * InvoiceNumber is what Xero shows as the bill's reference; so a bill carries its key there.
 */
export function keyField(job: Job): KeyField {
  return job.kind === 'invoice' && job.payload['Type'] === 'ACCPAY' ? 'InvoiceNumber' : 'Reference';
}

/** The look-up term for a job. */
export const keyTerm = (job: Job): KeyTerm => ({ key: job.documentKey, field: keyField(job) });

/**
 * The element to send for a job: its payload with the document key in the field Xero keeps (the
 * accept path puts it in Reference; this makes sure, and moves it into a bill's number), and for
 * a payment of an invoice sent through the proxy, that invoice's InvoiceID.
 */
export function elementFor(job: Job, dependency: Job | undefined): Record<string, unknown> {
  const element: Record<string, unknown> = { ...job.payload, Reference: withKey(job.payload['Reference'], job.documentKey) };
  if (keyField(job) === 'InvoiceNumber') element['InvoiceNumber'] = withKey(job.payload['InvoiceNumber'], job.documentKey, MAX_INVOICE_NUMBER);
  if (dependency?.xeroId) element['Invoice'] = { InvoiceID: dependency.xeroId };
  return element;
}

function withKey(value: unknown, key: string, max = Infinity): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.includes(key)) return text;
  if (text === '') return `[${key}]`;
  return `${text.slice(0, Math.max(0, max - key.length - 3))} [${key}]`;
}

/** The text a person reads for what happened to a dependency, e.g. "Xero refused it (…)". */
export function dependencyFate(dependency: Job): string {
  if (dependency.status === 'failed') return `Xero refused it (${(dependency.errors ?? []).join(' ') || 'no reason given'})`;
  if (dependency.status === 'dead') return `the proxy gave up sending it (${dependency.lastError ?? 'no reason recorded'})`;
  return 'it was cancelled';
}
