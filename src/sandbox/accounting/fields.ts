import type { QueryDialect, Schema } from '../query/dialect';
import { linqWording } from '../query/problems';

const s = 'string' as const;
const n = 'number' as const;
const d = 'date' as const;
const b = 'bool' as const;
const g = 'guid' as const;

/**
 * The fields `where` and `order` may name on each Accounting endpoint, with their types, so the
 * query parser can refuse unknown fields and mismatched literals as Xero does. Nested objects
 * are reached with dots (`Contact.Name`).
 */
export const ACCOUNTING_FIELDS: Schema = {
  Invoice: {
    Type: s, InvoiceID: g, InvoiceNumber: s, Reference: s, Contact: { object: 'Contact' }, Date: d, DueDate: d,
    ExpectedPaymentDate: d, PlannedPaymentDate: d, Status: s, LineAmountTypes: s, SubTotal: n, TotalTax: n, Total: n,
    TotalDiscount: n, AmountDue: n, AmountPaid: n, AmountCredited: n, CurrencyCode: s, CurrencyRate: n, BrandingThemeID: g,
    Url: s, SentToContact: b, HasAttachments: b, FullyPaidOnDate: d, UpdatedDateUTC: d,
  },
  CreditNote: {
    Type: s, CreditNoteID: g, CreditNoteNumber: s, Reference: s, Contact: { object: 'Contact' }, Date: d, DueDate: d, Status: s,
    LineAmountTypes: s, SubTotal: n, TotalTax: n, Total: n, RemainingCredit: n, CurrencyCode: s, CurrencyRate: n, SentToContact: b,
    HasAttachments: b, FullyPaidOnDate: d, UpdatedDateUTC: d,
  },
  Contact: {
    ContactID: g, ContactNumber: s, AccountNumber: s, ContactStatus: s, Name: s, FirstName: s, LastName: s, EmailAddress: s,
    BankAccountDetails: s, TaxNumber: s, IsSupplier: b, IsCustomer: b, DefaultCurrency: s, UpdatedDateUTC: d, HasAttachments: b,
  },
  Payment: {
    PaymentID: g, Date: d, Amount: n, Reference: s, CurrencyRate: n, PaymentType: s, Status: s, UpdatedDateUTC: d,
    Account: { object: 'Account' }, Invoice: { object: 'Invoice' }, CreditNote: { object: 'CreditNote' },
  },
  Account: {
    AccountID: g, Code: s, Name: s, Type: s, TaxType: s, Status: s, Description: s, BankAccountNumber: s, BankAccountType: s,
    CurrencyCode: s, EnablePaymentsToAccount: b, ShowInExpenseClaims: b, Class: s, SystemAccount: s, ReportingCode: s,
    ReportingCodeName: s, HasAttachments: b, UpdatedDateUTC: d,
  },
  TaxRate: {
    Name: s, TaxType: s, Status: s, ReportTaxType: s, CanApplyToAssets: b, CanApplyToEquity: b, CanApplyToExpenses: b,
    CanApplyToLiabilities: b, CanApplyToRevenue: b, DisplayTaxRate: n, EffectiveRate: n,
  },
  Item: {
    ItemID: g, Code: s, Name: s, Description: s, PurchaseDescription: s, IsSold: b, IsPurchased: b, IsTrackedAsInventory: b,
    UpdatedDateUTC: d, SalesDetails: { object: 'ItemPriceDetails' }, PurchaseDetails: { object: 'ItemPriceDetails' },
  },
  ItemPriceDetails: { UnitPrice: n, AccountCode: s, TaxType: s },
  TrackingCategory: { TrackingCategoryID: g, Name: s, Status: s },
};

/** Accounting's list queries: Dynamic LINQ's wording, and an unusable `page` read as page 1. */
export const ACCOUNTING_QUERY: QueryDialect = { schema: ACCOUNTING_FIELDS, wording: linqWording, pages: 'clamp' };
