import { Type, type Static } from '@sinclair/typebox';
import { xeroItemName } from '../xero/xml-shape';
import { CurrencyCode, DateText, DocumentId, MAX_BATCH, Money, OneOf, Strict, Text, XmlList } from './fields';
import { ContactRefSchema, LineItemSchema, MAX_APP_REFERENCE } from './invoices';
import { AccountRefSchema, InvoiceRefSchema } from './payments';

const item = (list: string) => xeroItemName(list) ?? list;

/** Applies the credit to an invoice: `PUT /CreditNotes/{id}/Allocations` once both are in Xero. */
export const AllocationRequestSchema = Strict(
  {
    Invoice: InvoiceRefSchema,
    Amount: Money({ exclusiveMinimum: 0, description: 'Greater than 0; no more than the credit note\'s total nor the invoice\'s amount due.' }),
    Date: Type.Optional(DateText({ description: 'Defaults to the credit note\'s Date.' })),
  },
  { description: 'Allocates the credit note to an invoice: by InvoiceID, InvoiceNumber, or the DocumentId of an invoice this device sent (the allocation then waits for both).' },
);

/** Pays the credit back: a payment against the credit note from an account. */
export const RefundSchema = Strict(
  {
    Account: AccountRefSchema,
    Date: DateText(),
    Amount: Money({ exclusiveMinimum: 0, description: 'Greater than 0; no more than the credit note\'s remaining credit.' }),
    Reference: Type.Optional(Text(MAX_APP_REFERENCE, { description: 'At most 200 characters: the proxy appends its own key for de-duplication.' })),
  },
  { description: 'Refunds the credit as money paid out of an account (Xero: a Payment with CreditNote, PaymentType ARCREDITPAYMENT).' },
);

/** One credit note in Xero's shape, plus the app's DocumentId and what to do with the credit. */
export const CreditNoteSchema = Strict(
  {
    Type: OneOf(['ACCRECCREDIT', 'ACCPAYCREDIT'] as const, { description: 'ACCRECCREDIT: credit for a customer (a refund, a return); ACCPAYCREDIT: credit from a supplier.' }),
    Contact: ContactRefSchema,
    Date: Type.Optional(DateText({ description: 'Defaults to the day Xero receives it.' })),
    LineAmountTypes: Type.Optional(OneOf(['Exclusive', 'Inclusive', 'NoTax'] as const, { description: 'Whether UnitAmount includes tax; defaults to Exclusive.' })),
    CreditNoteNumber: Type.Optional(Text(255, { description: 'Unique per organisation for ACCRECCREDIT; Xero numbers it when absent. For ACCPAYCREDIT it carries the proxy\'s key, as Xero keeps no Reference there.' })),
    Reference: Type.Optional(Text(MAX_APP_REFERENCE, { description: 'ACCRECCREDIT only at Xero; at most 200 characters: the proxy appends its own key for de-duplication.' })),
    CurrencyCode: Type.Optional(CurrencyCode()),
    Status: Type.Optional(OneOf(['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const, { description: 'Defaults to DRAFT. An Allocation or Refund needs AUTHORISED.' })),
    SentToContact: Type.Optional(Type.Boolean()),
    LineItems: XmlList(item('LineItems'), LineItemSchema, { minItems: 1, maxItems: 1000 }),
    Allocation: Type.Optional(AllocationRequestSchema),
    Refund: Type.Optional(RefundSchema),
    DocumentId: Type.Optional(DocumentId('The app\'s own id for this credit note: a resend with the same id is recognised.')),
  },
  { description: 'A Xero CreditNote plus the app\'s DocumentId, optionally allocated to an invoice or refunded.' },
);

/** The credit notes document: `{"CreditNotes":[…]}`, or `<CreditNotes>` in XML. */
export const CreditNotesSchema = Strict(
  { CreditNotes: XmlList(item('CreditNotes'), CreditNoteSchema, { minItems: 1, maxItems: MAX_BATCH }) },
  { title: 'CreditNotes', description: 'Credit notes in Xero\'s own shape. XML: <CreditNotes><CreditNote>…</CreditNote></CreditNotes>, or a single <CreditNote> root.' },
);

/** A validated allocation request. */
export type AllocationRequest = Static<typeof AllocationRequestSchema>;
/** A validated refund. */
export type Refund = Static<typeof RefundSchema>;
/** A validated credit note. */
export type CreditNote = Static<typeof CreditNoteSchema>;
/** A validated credit notes document. */
export type CreditNotesDocument = Static<typeof CreditNotesSchema>;
