import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, DateText, DateTimeText, Decimal, DocumentId, Money, Strict, Text, XmlList } from './fields';

/** One sales category's takings, tax-inclusive. */
export const SaleSchema = Strict(
  {
    category: Text(100, { description: 'The till\'s sales category; mapped to an account and tax type (`xero-proxy map set category`).' }),
    gross: Money({ description: 'What customers paid for this category, tax included. Negative for a category of refunds.' }),
    tax: Money({ description: 'The tax inside `gross` (0 for tax-free sales).' }),
    quantity: Type.Optional(Decimal(4, 0, 1e9, { description: 'Items sold; shown in the line\'s description only.' })),
  },
  { description: 'Takings of one category. Amounts are tax-inclusive: gross includes tax.' },
);

/** One sales category's refunds, tax-inclusive. */
export const RefundLineSchema = Strict(
  {
    category: Text(100, { description: 'The sales category refunded; booked to its mapped account and tax type, as a negative line.' }),
    gross: Money({ exclusiveMinimum: 0, description: 'What was given back for this category, tax included, as a positive amount.' }),
    tax: Money({ minimum: 0, description: 'The tax inside `gross` (0 for tax-free sales).' }),
    quantity: Type.Optional(Decimal(4, 0, 1e9, { description: 'Items refunded; shown in the line\'s description only.' })),
  },
  { description: 'Refunds of one category: a negative line on the summary invoice (or a line of the credit note on a day whose total is negative).' },
);

/** Money taken (or paid out) by one means of payment. */
export const TenderSchema = Strict(
  {
    type: Text(50, { examples: ['cash', 'eftpos', 'card', 'voucher', 'other'], description: 'How customers paid; mapped to the account the money goes to (`xero-proxy map set tender`).' }),
    amount: Money({ description: 'The net amount taken this way (refunds paid back this way netted in). Negative when more was paid out than taken (cash-back): Xero takes no negative payment, so that amount becomes a line to the suspense account.' }),
    payer: Type.Optional(Text(100, { examples: ['Medicare', 'DVA', 'HCF'], description: 'A third-party payer (Medicare, DVA, an insurer, a health fund) that paid this amount: its payment goes into the clearing account mapped to the payer (`xero-proxy map set payer`) instead of the tender\'s account, so the payer\'s day adds up to its one bank settlement.' })),
  },
  { description: 'Money taken by one means of payment.' },
);

/** Gift cards sold and redeemed during the shift. */
export const GiftCardsSchema = Strict(
  {
    sold: Type.Optional(Money({ minimum: 0, description: 'Gift cards sold, inside the tenders; a line to the gift card account (`map set gift-cards`), without tax.' })),
    redeemed: Type.Optional(Money({ minimum: 0, description: 'Sales paid with gift cards, not inside the tenders; a negative line to the redemption account (`map set gift-card-redemptions`), without tax.' })),
  },
  { description: 'Gift cards: money for a card is a liability when sold, and the card pays for goods when redeemed.' },
);

/** A charge beside the sales (a surcharge, or a deduction before banking). */
export const FeeSchema = Strict(
  {
    description: Text(200),
    amount: Money({ description: 'Tax-inclusive. Positive: charged to customers (surcharges, service charges) and inside the tenders; negative: taken out before banking.' }),
    accountCode: Type.Optional(Text(10, { description: 'Defaults to the fee account of the mappings. Tax follows the account\'s default tax type.' })),
  },
  { description: 'A charge that is not a sale of goods.' },
);

/** The Xero tracking options every line of the shift's invoice carries. */
export const ShiftTrackingSchema = Strict(
  { location: Type.Optional(Text(100)), department: Type.Optional(Text(100)) },
  { description: 'Xero tracking options for every line: `location` in the "Location" category, `department` in "Department" (category names can be mapped).' },
);

/** The end-of-shift document from a till; `<PosShift>` in XML. */
export const PosShiftSchema = Strict(
  {
    shiftId: DocumentId('The till\'s id for the shift or day; a resend with the same id is recognised.'),
    closedAt: DateTimeText({ description: 'When the shift closed. Its date (as written, in the till\'s local time) is the invoice date unless tradingDate is given.' }),
    tradingDate: Type.Optional(DateText({ description: 'The business day the shift belongs to, for shifts that close after midnight.' })),
    location: Type.Optional(Text(100, { description: 'The till\'s own label for where it stands; written into the invoice reference.' })),
    department: Type.Optional(Text(100, { description: 'The till\'s own label for the department; written into the invoice reference.' })),
    currency: Type.Optional(CurrencyCode()),
    contact: Type.Optional(Text(255, { description: 'The customer contact of the summary invoice; defaults to the mapped name, else "POS Sales".' })),
    sales: XmlList('sale', SaleSchema, { minItems: 1, maxItems: 500 }),
    refunds: Type.Optional(XmlList('refund', RefundLineSchema, { maxItems: 500 })),
    tenders: XmlList('tender', TenderSchema, { maxItems: 100 }),
    tips: Type.Optional(Money({ minimum: 0, description: 'Tips customers paid through the tenders, owed to staff; a line to the tips account (`map set tips`), without tax.' })),
    giftCards: Type.Optional(GiftCardsSchema),
    discrepancy: Type.Optional(Money({ description: 'Till over (+) or short (-): tenders minus sales and fees, as counted. Booked to the discrepancy account.' })),
    fees: Type.Optional(XmlList('fee', FeeSchema, { maxItems: 100 })),
    tracking: Type.Optional(ShiftTrackingSchema),
  },
  {
    title: 'PosShift',
    description:
      'End-of-shift or end-of-day takings from a till. Tenders must equal sales − refunds + fees + tips + gift cards sold − gift cards redeemed + discrepancy; a difference within the rounding tolerance (0.05 unless configured) becomes a rounding line, a larger one is refused. A day whose tenders add up to less than zero becomes a credit note with its refunds instead of an invoice. XML root: <PosShift>.',
    xml: { name: 'PosShift' },
  },
);

/** A validated sales line. */
export type Sale = Static<typeof SaleSchema>;
/** A validated refund line. */
export type RefundLine = Static<typeof RefundLineSchema>;
/** A validated tender. */
export type Tender = Static<typeof TenderSchema>;
/** A validated shift. */
export type PosShift = Static<typeof PosShiftSchema>;
