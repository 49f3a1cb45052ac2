import type { Db } from '../../store/db';
import { documentsByNumberDescending, findDocument, findDocumentsByNumber, insertDocument, updateDocument } from '../store/documents';
import type { Outcome } from './batch';
import { saveContact } from './contact-records';
import { newId } from './ids';
import { lockDateRefusal } from './lock-dates';
import type { CreditNote, CreditNoteType, Invoice, InvoiceStatus } from './model';
import { buildInvoice, type InvoiceContext } from './validate-invoice';
import { isGuid, text } from './values';

/** Xero's messages for credit notes' own rules. */
export const CREDIT_NOTE_NOT_VALID_FOR_CREATION = 'Credit Note not of valid status for creation';
export const CREDIT_NOTE_NUMBER_TAKEN = 'Credit Note # must be unique.';
export const CREDIT_NOTE_ID_UNKNOWN = 'An existing Credit Note with the specified CreditNoteID could not be found';

const TYPES: readonly CreditNoteType[] = ['ACCRECCREDIT', 'ACCPAYCREDIT'];
const CREATABLE: readonly InvoiceStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
/** The invoice type whose accounts, tax rates and contact flags a credit note of each type shares. */
const INVOICE_TYPE: Record<CreditNoteType, Invoice['Type']> = { ACCRECCREDIT: 'ACCREC', ACCPAYCREDIT: 'ACCPAY' };

export function findCreditNote(db: Db, organisationId: string, idOrNumber: string): CreditNote | undefined {
  if (isGuid(idOrNumber)) return findDocument<CreditNote>(db, organisationId, 'CreditNote', idOrNumber);
  return findDocumentsByNumber<CreditNote>(db, organisationId, 'CreditNote', idOrNumber)[0];
}

/**
 * Creates a credit note as Xero does (PUT creates only; POST also creates when neither the
 * CreditNoteID nor the CreditNoteNumber is known). Lines, contact, dates and totals follow the
 * invoice rules; its own are the Type (ACCRECCREDIT or ACCPAYCREDIT), a unique number for a
 * sales credit note (CN-0001 when absent), and the lock dates for an approved one. Allocations
 * are never made inline: Xero takes them through `/CreditNotes/{id}/Allocations`.
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes
 */
export function saveCreditNote(context: InvoiceContext, input: Record<string, unknown>, mode: 'create' | 'createOrUpdate'): Outcome {
  const { db, org, now } = context;
  const id = text(input['CreditNoteID']);
  const existing = (id ? findCreditNote(db, org.id, id) : undefined) ?? (mode === 'createOrUpdate' && text(input['CreditNoteNumber']) ? findCreditNote(db, org.id, text(input['CreditNoteNumber'])!) : undefined);
  const typeIn = text(input['Type'])?.toUpperCase() as CreditNoteType | undefined;
  const type: CreditNoteType = typeIn && TYPES.includes(typeIn) ? typeIn : 'ACCRECCREDIT';
  // Priced and checked as an invoice of the matching type; the invoice-only rules are left out.
  const { InvoiceNumber: _none, CreditNoteNumber: _number, Type: _type, ...rest } = input;
  const draft = buildInvoice(context, { ...rest, Type: INVOICE_TYPE[type] }, undefined);
  const errors = draft.errors.filter((message) => !message.startsWith('Invoice '));
  if (!typeIn) errors.unshift('A Credit Note Type must be specified (ACCRECCREDIT or ACCPAYCREDIT).');
  else if (!TYPES.includes(typeIn)) errors.unshift(`Credit Note Type '${text(input['Type'])}' is not valid; use ACCRECCREDIT or ACCPAYCREDIT.`);
  if (mode === 'create' && existing) errors.unshift(`A credit note with CreditNoteID ${id} already exists; PUT only creates.`);
  if (mode === 'createOrUpdate' && existing) errors.unshift('The sandbox does not update credit notes; create a new one.');
  if (mode === 'createOrUpdate' && id && !existing) errors.unshift(CREDIT_NOTE_ID_UNKNOWN);
  const asked = text(input['Status'])?.toUpperCase();
  if (asked !== undefined && !CREATABLE.includes(asked as InvoiceStatus)) errors.push(CREDIT_NOTE_NOT_VALID_FOR_CREATION);
  const number = text(input['CreditNoteNumber']);
  if (number && type === 'ACCRECCREDIT' && findDocumentsByNumber<CreditNote>(db, org.id, 'CreditNote', number).some((other) => other.Type === 'ACCRECCREDIT')) errors.push(CREDIT_NOTE_NUMBER_TAKEN);
  const { invoice } = draft;
  if (invoice.Status === 'AUTHORISED') {
    const locked = lockDateRefusal(context.settings, invoice.Date);
    if (locked) errors.push(locked);
  }
  const creditNote: CreditNote = {
    Type: type,
    CreditNoteID: '00000000-0000-0000-0000-000000000000',
    ...(number ? { CreditNoteNumber: number } : {}),
    // Xero keeps Reference on sales credit notes only ("ACCRECCREDIT only", its OpenAPI).
    ...(invoice.Reference && type === 'ACCRECCREDIT' ? { Reference: invoice.Reference } : {}),
    Contact: invoice.Contact,
    Date: invoice.Date ?? '',
    ...(invoice.DueDate ? { DueDate: invoice.DueDate } : {}),
    Status: invoice.Status,
    LineAmountTypes: invoice.LineAmountTypes,
    LineItems: invoice.LineItems,
    SubTotal: invoice.SubTotal,
    TotalTax: invoice.TotalTax,
    Total: invoice.Total,
    RemainingCredit: invoice.Total,
    CurrencyCode: invoice.CurrencyCode,
    CurrencyRate: 1,
    SentToContact: invoice.SentToContact,
    HasAttachments: false,
    Allocations: [],
    Payments: [],
    UpdatedDateUTC: invoice.UpdatedDateUTC,
  };
  if (errors.length > 0) return { ok: false, echo: creditNote as unknown as Record<string, unknown>, errors };

  creditNote.CreditNoteID = newId();
  if (!creditNote.CreditNoteNumber && type === 'ACCRECCREDIT') creditNote.CreditNoteNumber = nextCreditNoteNumber(db, org.id);
  const at = now.toISOString();
  if (draft.contact && (draft.contact.isNew || !draft.contact.contact[type === 'ACCRECCREDIT' ? 'IsCustomer' : 'IsSupplier'])) {
    saveContact(db, org.id, { ...draft.contact.contact, [type === 'ACCRECCREDIT' ? 'IsCustomer' : 'IsSupplier']: true }, draft.contact.isNew, at);
  }
  insertDocument(db, org.id, 'CreditNote', { ...rowOf(creditNote), createdByApp: context.app ?? null }, creditNote, at);
  return { ok: true, doc: creditNote };
}

/** Stores a changed credit note (an allocation or refund used some of its credit). */
export function storeCreditNote(db: Db, organisationId: string, creditNote: CreditNote, at: string): void {
  updateDocument(db, organisationId, 'CreditNote', rowOf(creditNote), creditNote, at);
}

const rowOf = (creditNote: CreditNote) => ({ id: creditNote.CreditNoteID, number: creditNote.CreditNoteNumber ?? null, reference: creditNote.Reference ?? null });

/** The next `CN-0001`-style number, as Xero's default credit note sequence gives. */
function nextCreditNoteNumber(db: Db, organisationId: string): string {
  for (const note of documentsByNumberDescending<CreditNote>(db, organisationId, 'CreditNote', 'CN-')) {
    if (note.Type === 'ACCRECCREDIT') return `CN-${String(Number(note.CreditNoteNumber!.slice('CN-'.length)) + 1).padStart(4, '0')}`;
  }
  return 'CN-0001';
}
