import { createHash } from 'node:crypto';
import { allocationToXero, creditNoteToXero, invoiceToXero, paymentToXero, planTimesheet, refundToXero, shiftDirection, type CreditNote, type DocumentKind, type DocumentOf, type Invoice, type Payment } from '../domain/documents';
import { AppError } from '../lib/errors';
import type { Device } from '../store/devices';
import { findJobByDocumentKey, type JobKind } from '../store/jobs';
import { payrollMappingsOf } from '../store/mappings';
import type { ServiceDeps } from './deps';
import { documentKey } from './submit-answer';
import { buildFromSource, paymentCountOf, type JobSource } from './waiting-documents';

/** The documents an endpoint accepts (its parsed body is `DocumentOf[endpoint]`), each handled by a planner. */
export type Endpoint = DocumentKind;

/**
 * One job to create: its key, what to send (or what the app sent, when the payload depends on
 * mappings and is built in the transaction), and (for payments) the job it waits for.
 */
export type Planned = {
  kind: JobKind;
  identity: string;
  /** Other identities the same document had (a timesheet first keyed by its staff number). */
  aliases?: readonly string[];
  /** Index into the same plan of the job this one waits for, or the id of an earlier job. */
  dependsOn?: { planIndex: number } | { jobId: string };
  /** The app's own id for the document (DocumentId, shiftId), and the document as parsed, whose hash tells a resend from a change. */
  origin?: { documentId: string; document: unknown };
} & ({ payload: Record<string, unknown> } | { source: JobSource });

export interface PlanContext {
  deps: ServiceDeps;
  device: Device;
  organisationId: string;
  /** The Idempotency-Key (or a fresh id) that documents without a DocumentId are keyed by. */
  identityBase: string;
}

const identityOf = (context: PlanContext, documentId: string | undefined, index: number, prefix = 'doc') => (documentId !== undefined ? `${prefix}:${documentId}` : `${context.identityBase}#${index}`);

/** The jobs of `endpoint`'s parsed `document`, under the write lock. */
export function planDocuments<E extends Endpoint>(endpoint: E, context: PlanContext, document: DocumentOf[E]): Planned[] {
  const planner: (context: PlanContext, document: DocumentOf[E]) => Planned[] = PLANNERS[endpoint];
  return planner(context, document);
}

/**
 * The jobs for an endpoint's parsed body. Parsing is done before (it needs no store and is the
 * costly part of a large batch, so it stays out of the group commit); planning reads the store
 * (mappings, earlier jobs) and runs under the write lock.
 */
export const PLANNERS: { readonly [E in Endpoint]: (context: PlanContext, document: DocumentOf[E]) => Planned[] } = {
  invoices: (context, body) =>
    body.Invoices.map((invoice: Invoice, index) => ({
      kind: 'invoice',
      identity: identityOf(context, invoice.DocumentId, index),
      payload: invoiceToXero(invoice) as unknown as Record<string, unknown>,
      ...originOf(invoice.DocumentId, invoice),
    })),
  // A credit note, then its allocation and its refund, each waiting for the credit note.
  'credit-notes': (context, body) => body.CreditNotes.reduce<Planned[]>((plan, note, index) => [...plan, ...planCreditNote(context, note, index, plan.length)], []),
  payments: (context, body) => body.Payments.map((payment: Payment, index) => planPayment(context, payment, index)),
  // A shift is its summary invoice, then a payment per tender that pays it once Xero has it;
  // all are built from the shift with the mappings of the moment, or wait for those missing.
  'pos-shift': (context, shift) => {
    const invoiceIdentity = `shift:${shift.shiftId}`;
    // The summary invoice and its payments all carry the shift's id and the whole shift's hash.
    const origin = originOf(shift.shiftId, shift);
    const payments = Array.from({ length: paymentCountOf(shift) }, (_, index): Planned => ({
      kind: 'payment',
      identity: `${invoiceIdentity}:tender:${index}`,
      source: { endpoint: 'pos-shift', document: shift, part: { payment: index } },
      dependsOn: { planIndex: 0 },
      ...origin,
    }));
    // A day whose takings are negative is a credit note, its refunds waiting for it; the part stays 'invoice', the summary document.
    const invoice: Planned = { kind: shiftDirection(shift), identity: invoiceIdentity, source: { endpoint: 'pos-shift', document: shift, part: 'invoice' }, ...origin };
    // An unbalanced shift is refused now, whatever its mappings: no mapping would mend it.
    buildFromSource(context.deps.db, context.organisationId, invoice.source);
    return [invoice, ...payments];
  },
  // Xero keeps one timesheet per employee and period, so that pair is the timesheet's identity:
  // the same period sent again is the same document, never a second one. A staff number with no
  // employee mapped yet keys it by the staff number, which stays an alias once it is mapped.
  timesheets: (context, body) =>
    body.Timesheets.map((timesheet, index): Planned => {
      const { timesheet: converted } = planTimesheet(timesheet, payrollMappingsOf(context.deps.db, context.organisationId));
      const start = converted.StartDate.slice(0, 10);
      const byStaff = timesheet.staffNumber === undefined || timesheet.EmployeeID !== undefined ? [] : [`timesheet:staff:${timesheet.staffNumber.trim().toLowerCase()}:${start}`];
      const identity = converted.EmployeeID !== '' ? `timesheet:${converted.EmployeeID.toLowerCase()}:${start}` : byStaff[0]!;
      return { kind: 'timesheet', identity, aliases: byStaff.filter((alias) => alias !== identity), source: { endpoint: 'timesheets', document: timesheet, index } };
    }),
  'wage-bill': (context, bill) => {
    return [{ kind: 'invoice', identity: identityOf(context, bill.documentId, 0, 'wages'), source: { endpoint: 'wage-bill', document: bill }, ...originOf(bill.documentId, bill) }];
  },
};

function planPayment(context: PlanContext, payment: Payment, index: number): Planned {
  const byDocument = payment.Invoice.DocumentId;
  const identity = identityOf(context, payment.DocumentId, index);
  const origin = originOf(payment.DocumentId, payment);
  // A payment naming a third-party payer is built from the payer's mapping, or waits for it.
  const planned: Planned = payment.Payer !== undefined
    ? { kind: 'payment', identity, source: { endpoint: 'payments', document: payment, index }, ...origin }
    : { kind: 'payment', identity, payload: paymentToXero(payment, () => 'pending') as unknown as Record<string, unknown>, ...origin };
  if (byDocument === undefined) return planned;
  const invoiceJob = findJobByDocumentKey(context.deps.db, context.organisationId, 'invoice', documentKey(context.device.id, 'invoice', `doc:${byDocument}`));
  if (!invoiceJob) {
    throw new AppError('invalid', `Payments[${index}].Invoice.DocumentId: this device sent no invoice with DocumentId "${byDocument}".`, { field: `Payments[${index}].Invoice.DocumentId` });
  }
  // An invoice named by DocumentId is filled in by the delivery loop once Xero has given it an id.
  return { ...planned, ...('payload' in planned ? { payload: { ...planned.payload, Invoice: {} } } : {}), dependsOn: { jobId: invoiceJob.id } };
}

/**
 * A credit note's jobs, the first at `at` in the plan: the credit note, an allocation that waits
 * for it, and a refund (a payment) that waits for it too. An allocation to an invoice named by the
 * app's DocumentId makes the credit note wait for that invoice's job as well, so the allocation,
 * waiting on the credit note, goes only once both are in Xero.
 */
function planCreditNote(context: PlanContext, note: CreditNote, index: number, at: number): Planned[] {
  const identity = identityOf(context, note.DocumentId, index);
  const origin = originOf(note.DocumentId, note);
  const byDocument = note.Allocation?.Invoice.DocumentId;
  let waitsFor: Planned['dependsOn'];
  if (byDocument !== undefined) {
    const invoiceJob = findJobByDocumentKey(context.deps.db, context.organisationId, 'invoice', documentKey(context.device.id, 'invoice', `doc:${byDocument}`));
    const field = `CreditNotes[${index}].Allocation.Invoice.DocumentId`;
    if (!invoiceJob) throw new AppError('invalid', `${field}: this device sent no invoice with DocumentId "${byDocument}".`, { field });
    waitsFor = { jobId: invoiceJob.id };
  }
  const plan: Planned[] = [{ kind: 'credit_note', identity, payload: creditNoteToXero(note) as unknown as Record<string, unknown>, ...(waitsFor ? { dependsOn: waitsFor } : {}), ...origin }];
  if (note.Allocation) plan.push({ kind: 'allocation', identity: `${identity}:allocation`, payload: allocationToXero(note.Allocation, note.Date) as unknown as Record<string, unknown>, dependsOn: { planIndex: at }, ...origin });
  if (note.Refund) plan.push({ kind: 'payment', identity: `${identity}:refund`, payload: refundToXero(note.Refund) as unknown as Record<string, unknown>, dependsOn: { planIndex: at }, ...origin });
  return plan;
}

const originOf = (documentId: string | undefined, document: unknown): Pick<Planned, 'origin'> => (documentId === undefined ? {} : { origin: { documentId, document } });

/**
 * The hash that tells a resend from a changed document: SHA-256 of the document as parsed
 * (JSON or XML alike), written as canonical JSON, keys sorted at every level. Whitespace, key
 * order and the body's format do not count; any value that would reach Xero differently does.
 */
export function contentHashOf(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  // XML text is read trimmed; JSON strings are trimmed here too, so the same document sent in
  // either format has one hash.
  return JSON.stringify(typeof value === 'string' ? value.trim() : value) ?? 'null';
}

