import { Type, type Static } from '@sinclair/typebox';
import { xeroItemName } from '../xero/xml-shape';
import { CurrencyCode, DateText, EMAIL_PATTERN, Decimal, DocumentId, MAX_BATCH, Money, OneOf, Strict, Text, Uuid, XmlList } from './fields';

/**
 * The longest `Reference` an app may send. Xero allows 255 characters; the proxy appends its own
 * stable key to the reference of what it creates (so a resend after a lost answer is found, not
 * duplicated), and that key needs the remaining 55.
 */
export const MAX_APP_REFERENCE = 200;

const item = (list: string) => xeroItemName(list) ?? list;

/** A line's tracking: up to two category/option pairs, by name. */
export const TrackingSchema = XmlList(
  item('Tracking'),
  Strict({ Name: Text(100, { description: 'The tracking category, e.g. "Location".' }), Option: Text(100, { description: 'The option within it, e.g. "Harbourside".' }) }),
  { maxItems: 2, description: 'At most two tracking categories, as Xero allows.' },
);

/** One invoice line, as Xero's LineItem. */
export const LineItemSchema = Strict(
  {
    Description: Type.Optional(Text(4000, { description: 'Required unless ItemCode is given (the item supplies it).' })),
    // Xero's XSD (itemQuantity) refuses negative quantities: a credit is a negative UnitAmount.
    Quantity: Type.Optional(Decimal(4, 0, 1e9, { description: 'Defaults to 1; at most 4 decimal places, never negative.' })),
    UnitAmount: Type.Optional(Money({ description: 'At most 2 decimal places (Xero\'s itemPrice); negative for a discount or credit line.' })),
    ItemCode: Type.Optional(Text(30)),
    AccountCode: Type.Optional(Text(10)),
    TaxType: Type.Optional(Text(50, { examples: ['OUTPUT', 'INPUT', 'BASEXCLUDED', 'NONE'] })),
    TaxAmount: Type.Optional(Money({ description: 'Overrides the tax Xero computes, within its rounding tolerance.' })),
    DiscountRate: Type.Optional(Decimal(2, 0, 100, { description: 'A percentage, 0 to 100.' })),
    Tracking: Type.Optional(TrackingSchema),
  },
  { description: 'One line of an invoice, as Xero\'s LineItem.' },
);

/** The contact an invoice is for, by id, number, e-mail or name. */
export const ContactRefSchema = Strict(
  {
    ContactID: Type.Optional(Uuid()),
    ContactNumber: Type.Optional(Text(50)),
    EmailAddress: Type.Optional(Text(255, { pattern: EMAIL_PATTERN, description: 'The contact\'s e-mail: an existing contact with this e-mail (and only it) is used.' })),
    Name: Type.Optional(Text(255)),
  },
  {
    minProperties: 1,
    description:
      'Names the contact by ContactID, ContactNumber, EmailAddress or Name (at least one). Before sending, the proxy finds the contact Xero already has by ContactID, then ContactNumber, then e-mail, then name (active names are unique in Xero); only when none matches does Xero create one from the Name (with the number and e-mail given).',
  },
);

/** One invoice or bill in Xero's shape, plus the app's DocumentId. */
export const InvoiceSchema = Strict(
  {
    Type: OneOf(['ACCREC', 'ACCPAY'] as const, { description: 'ACCREC: a sales invoice; ACCPAY: a bill.' }),
    Contact: ContactRefSchema,
    Date: Type.Optional(DateText({ description: 'Defaults to the day Xero receives it.' })),
    DueDate: Type.Optional(DateText()),
    LineAmountTypes: Type.Optional(OneOf(['Exclusive', 'Inclusive', 'NoTax'] as const, { description: 'Whether UnitAmount includes tax; defaults to Exclusive.' })),
    InvoiceNumber: Type.Optional(Text(255, { description: 'Unique per organisation for ACCREC; Xero numbers it when absent. For ACCPAY it is what Xero shows as the bill\'s reference.' })),
    Reference: Type.Optional(Text(MAX_APP_REFERENCE, { description: 'At most 200 characters: the proxy appends its own key for de-duplication.' })),
    CurrencyCode: Type.Optional(CurrencyCode()),
    Status: Type.Optional(OneOf(['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const, { description: 'Defaults to DRAFT. Payments need AUTHORISED.' })),
    SentToContact: Type.Optional(Type.Boolean()),
    LineItems: XmlList(item('LineItems'), LineItemSchema, { minItems: 1, maxItems: 1000 }),
    DocumentId: Type.Optional(DocumentId('The app\'s own id for this invoice: a resend with the same id is recognised, and payments may name the invoice by it.')),
  },
  { description: 'A Xero Invoice (PROTOCOL.md §4.2) plus the app\'s DocumentId.' },
);

/** The invoices document: `{"Invoices":[…]}`, or `<Invoices>` in XML. */
export const InvoicesSchema = Strict(
  { Invoices: XmlList(item('Invoices'), InvoiceSchema, { minItems: 1, maxItems: MAX_BATCH }) },
  {
    title: 'Invoices',
    description: 'Invoices (ACCREC) or bills (ACCPAY) in Xero\'s own shape. XML: <Invoices><Invoice>…</Invoice></Invoices>, or a single <Invoice> root.',
  },
);

/** A validated invoice line. */
export type LineItem = Static<typeof LineItemSchema>;
/** A validated invoice. */
export type Invoice = Static<typeof InvoiceSchema>;
/** A validated invoices document. */
export type InvoicesDocument = Static<typeof InvoicesSchema>;
