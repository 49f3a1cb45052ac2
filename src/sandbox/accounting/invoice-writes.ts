import type { Db } from '../../store/db';
import { documentsByNumberDescending, findDocument, findDocumentsByNumber, insertDocument, updateDocument } from '../store/documents';
import { approvalLimitRefusal } from './approval-limit';
import type { Outcome } from './batch';
import { saveContact } from './contact-records';
import { newId } from './ids';
import { NumberSequence } from './number-sequence';
import { lockDateRefusal } from './lock-dates';
import type { Contact, Invoice, InvoiceStatus } from './model';
import { buildInvoice, type InvoiceContext, type InvoiceDraft } from './validate-invoice';
import { isGuid, text } from './values';

/** Xero's messages for status rules. */
export const NOT_VALID_FOR_CREATION = 'Invoice not of valid status for creation';
export const NOT_VALID_FOR_MODIFICATION = 'Invoice not of valid status for modification';
export const HAS_PAYMENTS = 'This document cannot be edited as it has a payment or credit note allocated to it.';
export const INVOICE_ID_UNKNOWN = 'An existing Invoice with the specified InvoiceID could not be found';

const CREATABLE: InvoiceStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
/** Where an invoice may go from each status (PAID is reached only through payments). */
const NEXT: Record<InvoiceStatus, InvoiceStatus[]> = {
  DRAFT: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  AUTHORISED: ['AUTHORISED', 'VOIDED'],
  PAID: [],
  VOIDED: [],
  DELETED: [],
};

export function findInvoice(db: Db, organisationId: string, idOrNumber: string): Invoice | undefined {
  if (isGuid(idOrNumber)) return findDocument<Invoice>(db, organisationId, 'Invoice', idOrNumber);
  return findDocumentsByNumber<Invoice>(db, organisationId, 'Invoice', idOrNumber)[0];
}

/**
 * PUT semantics: create only. An InvoiceID naming an existing invoice is refused.
 * POST semantics: update the invoice named by InvoiceID (which must exist) or by InvoiceNumber,
 * else create.
 * @see PROTOCOL.md §4.1
 */
export function saveInvoice(context: InvoiceContext, input: Record<string, unknown>, mode: 'create' | 'createOrUpdate'): Outcome {
  const id = text(input['InvoiceID']);
  const number = text(input['InvoiceNumber']);
  const byId = id ? findInvoice(context.db, context.org.id, id) : undefined;
  if (mode === 'create') {
    if (byId) return refuse(buildInvoice(context, input, undefined), `An invoice with InvoiceID ${id} already exists; PUT only creates. Use POST to update it.`);
    return create(context, input);
  }
  if (id && !byId) return refuse(buildInvoice(context, input, undefined), INVOICE_ID_UNKNOWN);
  const existing = byId ?? (number ? findInvoice(context.db, context.org.id, number) : undefined);
  return existing ? update(context, existing, input) : create(context, input);
}

/** Updates one invoice in place (POST /Invoices/{id}). */
export function update(context: InvoiceContext, existing: Invoice, input: Record<string, unknown>): Outcome {
  const draft = buildInvoice(context, input, existing);
  if (existing.AmountPaid > 0 || existing.AmountCredited > 0) return refuse(draft, HAS_PAYMENTS);
  const target = draft.invoice.Status;
  if (target !== existing.Status && !NEXT[existing.Status].includes(target)) return refuse(draft, NOT_VALID_FOR_MODIFICATION);
  if (NEXT[existing.Status].length === 0) return refuse(draft, NOT_VALID_FOR_MODIFICATION);
  draft.errors.push(...postingRefusals(context, existing, draft.invoice));
  if (draft.errors.length > 0) return refuse(draft);
  return persist(context, draft, false);
}

function create(context: InvoiceContext, input: Record<string, unknown>): Outcome {
  const draft = buildInvoice(context, input, undefined);
  const asked = text(input['Status'])?.toUpperCase();
  const creatable = CREATABLE.includes(draft.invoice.Status) && (asked === undefined || CREATABLE.includes(asked as InvoiceStatus));
  if (!creatable && !draft.errors.includes(NOT_VALID_FOR_CREATION)) draft.errors.push(NOT_VALID_FOR_CREATION);
  draft.errors.push(...postingRefusals(context, undefined, draft.invoice));
  if (draft.errors.length > 0) return refuse(draft);
  const { Type, InvoiceID: _unsaved, InvoiceNumber, ...rest } = draft.invoice;
  const number = InvoiceNumber ?? (Type === 'ACCREC' ? (context.invoiceNumbers?.next() ?? nextInvoiceNumber(context.db, context.org.id)) : undefined);
  draft.invoice = { Type, InvoiceID: newId(), ...(number ? { InvoiceNumber: number } : {}), ...rest };
  return persist(context, draft, true);
}

/**
 * What the organisation's settings forbid for this change: touching an approved invoice in a
 * locked period (editing or voiding it), approving one dated in a locked period, or approving
 * one beyond the plan's monthly cap. Drafts and invoices submitted for approval pass both, as
 * Xero lets users keep creating and submitting them in a locked period.
 * @see https://help.xero.com/Settings_LockDate
 */
function postingRefusals(context: InvoiceContext, existing: Invoice | undefined, invoice: Invoice): string[] {
  const { db, org, settings } = context;
  const refusals = new Set<string>();
  const add = (message: string | undefined) => message && refusals.add(message);
  if (existing?.Status === 'AUTHORISED') add(lockDateRefusal(settings, existing.Date));
  if (invoice.Status === 'AUTHORISED') add(lockDateRefusal(settings, invoice.Date));
  if (invoice.Status === 'AUTHORISED' && existing?.Status !== 'AUTHORISED') add(approvalLimitRefusal(db, org.id, settings, invoice));
  return [...refusals];
}

function persist(context: InvoiceContext, draft: InvoiceDraft, isNew: boolean): Outcome {
  const { db, org, now } = context;
  const at = now.toISOString();
  const { invoice } = draft;
  if (draft.contact) markContact(db, org.id, draft.contact.contact, draft.contact.isNew, invoice.Type, at);
  const row = { id: invoice.InvoiceID, number: invoice.InvoiceNumber ?? null, reference: invoice.Reference ?? null };
  if (isNew) insertDocument(db, org.id, 'Invoice', { ...row, createdByApp: context.app ?? null }, invoice, at);
  else updateDocument(db, org.id, 'Invoice', row, invoice, at);
  if (isNew && invoice.Type === 'ACCREC') context.invoiceNumbers?.taken(invoice.InvoiceNumber);
  if (!isNew) context.invoiceNumbers?.forget();
  return { ok: true, doc: invoice };
}

/** Xero marks a contact a customer once it has a sales invoice, a supplier once it has a bill. */
function markContact(db: Db, organisationId: string, contact: Contact, isNew: boolean, type: Invoice['Type'], at: string): void {
  const flag = type === 'ACCREC' ? 'IsCustomer' : 'IsSupplier';
  if (!isNew && contact[flag]) return;
  saveContact(db, organisationId, { ...contact, [flag]: true }, isNew, at);
}

function refuse(draft: InvoiceDraft, ...extra: string[]): Outcome {
  const errors = [...extra, ...draft.errors.filter((message) => !extra.includes(message))];
  return { ok: false, echo: draft.invoice as unknown as Record<string, unknown>, errors };
}

/** The next `INV-0001`-style number after the highest one in use, as Xero's default sequence gives. */
export function nextInvoiceNumber(db: Db, organisationId: string): string {
  return `INV-${String(highestInvoiceNumber(db, organisationId) + 1).padStart(4, '0')}`;
}

/** Xero's sales invoice sequence for one request (see NumberSequence). */
export const invoiceSequence = (db: Db, organisationId: string): NumberSequence => new NumberSequence('INV-', () => highestInvoiceNumber(db, organisationId));

function highestInvoiceNumber(db: Db, organisationId: string): number {
  // A bill may carry its supplier's INV- number; only sales invoices are in the sequence.
  for (const invoice of documentsByNumberDescending<Invoice>(db, organisationId, 'Invoice', 'INV-')) {
    if (invoice.Type === 'ACCREC') return Number(invoice.InvoiceNumber!.slice('INV-'.length));
  }
  return 0;
}
