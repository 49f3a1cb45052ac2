import { Type, type Static } from '@sinclair/typebox';
import { xeroItemName } from '../xero/xml-shape';
import { DateText, DocumentId, MAX_BATCH, Money, Strict, Text, Uuid, XmlList } from './fields';
import { MAX_APP_REFERENCE } from './invoices';

/** The invoice a payment pays, named exactly one way. */
export const InvoiceRefSchema = Strict(
  {
    InvoiceID: Type.Optional(Uuid()),
    InvoiceNumber: Type.Optional(Text(255)),
    DocumentId: Type.Optional(DocumentId('The DocumentId of an invoice this device sent earlier; the proxy pays it once Xero has it.')),
  },
  { minProperties: 1, maxProperties: 1, description: 'Exactly one of InvoiceID, InvoiceNumber or DocumentId.' },
);

/** The account a payment goes into, named exactly one way. */
export const AccountRefSchema = Strict(
  { Code: Type.Optional(Text(10)), AccountID: Type.Optional(Uuid()) },
  { minProperties: 1, maxProperties: 1, description: 'The account paid into: a bank account, or one with payments enabled. Exactly one of Code or AccountID.' },
);

/** One payment in Xero's shape, plus the app's DocumentId. */
export const PaymentSchema = Strict(
  {
    Invoice: InvoiceRefSchema,
    Account: Type.Optional(AccountRefSchema),
    Payer: Type.Optional(
      Text(100, {
        examples: ['Medicare', 'DVA', 'HCF'],
        description: 'A third-party payer (Medicare, DVA, an insurer, a health fund) instead of an Account: the payment goes into the clearing account mapped to it (`xero-proxy map set payer`), so its day of payments matches its one bank settlement. Give Account or Payer, not both.',
      }),
    ),
    Date: DateText(),
    // Xero refuses zero and negative payments; a refund is a credit note, not a payment.
    Amount: Money({ exclusiveMinimum: 0, description: 'Greater than 0, at most 2 decimal places, no more than the amount due.' }),
    Reference: Type.Optional(Text(MAX_APP_REFERENCE, { description: 'At most 200 characters: the proxy appends its own key for de-duplication.' })),
    DocumentId: Type.Optional(DocumentId('The app\'s own id for this payment: a resend with the same id is recognised.')),
  },
  { description: 'A Xero Payment against an invoice (PROTOCOL.md §4.6).' },
);

/** The payments document: `{"Payments":[…]}`, or `<Payments>` in XML. */
export const PaymentsSchema = Strict(
  { Payments: XmlList(xeroItemName('Payments') ?? 'Payment', PaymentSchema, { minItems: 1, maxItems: MAX_BATCH }) },
  { title: 'Payments', description: 'Payments in Xero\'s own shape. XML: <Payments><Payment>…</Payment></Payments>, or a single <Payment> root.' },
);

/** A validated payment. */
export type Payment = Static<typeof PaymentSchema>;
/** A validated payments document. */
export type PaymentsDocument = Static<typeof PaymentsSchema>;
