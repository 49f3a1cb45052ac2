import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, DateText, DocumentId, Money, OneOf, Strict, Text, XmlList } from './fields';

/** One line of a wage bill. */
export const WageLineSchema = Strict(
  {
    description: Text(4000),
    amount: Money({ description: 'Wages owed for this line; negative for a deduction that reduces the bill.' }),
    accountCode: Type.Optional(Text(10, { description: 'Defaults to the account mapped for earningsType, else the wages account.' })),
    earningsType: Type.Optional(Text(100, { description: 'The app\'s own name for the earnings; may be mapped to an account.' })),
  },
  { description: 'One line of the wage bill. Wages carry no sales tax: the bill is NoTax.' },
);

/** The wage bill document; `<WageBill>` in XML. */
export const WageBillSchema = Strict(
  {
    periodStart: DateText(),
    periodEnd: DateText({ description: 'The bill is dated on this day.' }),
    contact: Type.Optional(Text(255, { description: 'The supplier contact; defaults to the mapped name, else "Wages payable".' })),
    lines: XmlList('line', WageLineSchema, { minItems: 1, maxItems: 1000 }),
    reference: Type.Optional(Text(200, { description: 'Shown as the bill\'s reference in Xero (its InvoiceNumber); defaults to "Wages <periodStart> to <periodEnd>".' })),
    dueDate: Type.Optional(DateText({ description: 'Defaults to periodEnd.' })),
    status: Type.Optional(OneOf(['DRAFT', 'AUTHORISED'] as const, { description: 'Defaults to DRAFT, so a person approves the bill in Xero.' })),
    currency: Type.Optional(CurrencyCode()),
    documentId: Type.Optional(DocumentId('The app\'s own id for this bill: a resend with the same id is recognised.')),
  },
  { title: 'WageBill', description: 'A bill (ACCPAY) for the wages of one pay period. XML root: <WageBill>.', xml: { name: 'WageBill' } },
);

/** A validated wage line. */
export type WageLine = Static<typeof WageLineSchema>;
/** A validated wage bill. */
export type WageBill = Static<typeof WageBillSchema>;
