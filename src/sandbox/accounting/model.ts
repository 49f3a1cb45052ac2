/**
 * The Accounting documents the sandbox keeps, in Xero's JSON shape. Dates are stored as
 * `YYYY-MM-DDThh:mm:ss` (UpdatedDateUTC with milliseconds, UTC); the JSON and XML views turn
 * them into `/Date(ms+0000)/` or leave them as they are.
 * @see https://developer.xero.com/documentation/api/accounting/invoices
 */
export type DocType = 'Invoice' | 'CreditNote' | 'Payment' | 'Contact' | 'Account' | 'TaxRate' | 'Item' | 'TrackingCategory';

export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';
export type InvoiceStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface Account {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  TaxType: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Description?: string;
  BankAccountNumber?: string;
  BankAccountType?: string;
  CurrencyCode?: string;
  EnablePaymentsToAccount: boolean;
  ShowInExpenseClaims: boolean;
  Class: string;
  SystemAccount?: string;
  ReportingCode?: string;
  ReportingCodeName?: string;
  HasAttachments: boolean;
  UpdatedDateUTC: string;
}

export interface TaxComponent {
  Name: string;
  Rate: number;
  IsCompound: boolean;
  IsNonRecoverable: boolean;
}

export interface TaxRate {
  Name: string;
  TaxType: string;
  TaxComponents: TaxComponent[];
  Status: 'ACTIVE' | 'DELETED' | 'ARCHIVED';
  ReportTaxType: string;
  CanApplyToAssets: boolean;
  CanApplyToEquity: boolean;
  CanApplyToExpenses: boolean;
  CanApplyToLiabilities: boolean;
  CanApplyToRevenue: boolean;
  DisplayTaxRate: number;
  EffectiveRate: number;
}

export interface ItemPriceDetails {
  UnitPrice?: number;
  AccountCode?: string;
  TaxType?: string;
}

export interface Item {
  ItemID: string;
  Code: string;
  Name: string;
  Description?: string;
  PurchaseDescription?: string;
  IsSold: boolean;
  IsPurchased: boolean;
  PurchaseDetails: ItemPriceDetails;
  SalesDetails: ItemPriceDetails;
  IsTrackedAsInventory: boolean;
  UpdatedDateUTC: string;
}

export interface TrackingOption {
  TrackingOptionID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
}

export interface TrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Options: TrackingOption[];
}

export interface Contact {
  ContactID: string;
  ContactNumber?: string;
  AccountNumber?: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED';
  Name: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  BankAccountDetails?: string;
  TaxNumber?: string;
  Addresses: Array<Record<string, unknown>>;
  Phones: Array<Record<string, unknown>>;
  IsSupplier: boolean;
  IsCustomer: boolean;
  DefaultCurrency?: string;
  UpdatedDateUTC: string;
  HasAttachments: boolean;
}

/** How an invoice or payment names its contact. */
export interface ContactSummary {
  ContactID: string;
  ContactNumber?: string;
  Name: string;
}

export interface LineTracking {
  TrackingCategoryID: string;
  TrackingOptionID: string;
  Name: string;
  Option: string;
}

export interface LineItem {
  LineItemID: string;
  Description?: string;
  Quantity: number;
  UnitAmount: number;
  ItemCode?: string;
  AccountCode?: string;
  TaxType?: string;
  TaxAmount: number;
  LineAmount: number;
  DiscountRate?: number;
  Tracking: LineTracking[];
}

export interface InvoicePayment {
  PaymentID: string;
  Date: string;
  Amount: number;
  Reference?: string;
  CurrencyRate: number;
}

export interface Invoice {
  Type: 'ACCREC' | 'ACCPAY';
  InvoiceID: string;
  InvoiceNumber?: string;
  Reference?: string;
  Contact: ContactSummary;
  Date?: string;
  DueDate?: string;
  ExpectedPaymentDate?: string;
  PlannedPaymentDate?: string;
  Status: InvoiceStatus;
  LineAmountTypes: LineAmountTypes;
  LineItems: LineItem[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  TotalDiscount?: number;
  AmountDue: number;
  AmountPaid: number;
  AmountCredited: number;
  CurrencyCode: string;
  CurrencyRate: number;
  BrandingThemeID?: string;
  Url?: string;
  SentToContact: boolean;
  HasAttachments: boolean;
  Payments: InvoicePayment[];
  /** Credit notes allocated to it, as Xero lists them on the invoice. */
  CreditNotes?: Array<{ CreditNoteID: string; CreditNoteNumber?: string; AppliedAmount: number }>;
  FullyPaidOnDate?: string;
  UpdatedDateUTC: string;
}

export type CreditNoteType = 'ACCRECCREDIT' | 'ACCPAYCREDIT';

/** Part of a credit note applied to an invoice. */
export interface Allocation {
  AllocationID: string;
  Amount: number;
  Date: string;
  Invoice: { InvoiceID: string; InvoiceNumber?: string };
}

/**
 * A credit note: priced like an invoice; `RemainingCredit` is what allocations and refunds
 * have not used yet, and it is PAID once that reaches zero.
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes
 */
export interface CreditNote {
  Type: CreditNoteType;
  CreditNoteID: string;
  CreditNoteNumber?: string;
  Reference?: string;
  Contact: ContactSummary;
  Date: string;
  DueDate?: string;
  Status: InvoiceStatus;
  LineAmountTypes: LineAmountTypes;
  LineItems: LineItem[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  RemainingCredit: number;
  CurrencyCode: string;
  CurrencyRate: number;
  SentToContact: boolean;
  HasAttachments: boolean;
  Allocations: Allocation[];
  Payments: InvoicePayment[];
  FullyPaidOnDate?: string;
  UpdatedDateUTC: string;
}

export interface Payment {
  PaymentID: string;
  Date: string;
  Amount: number;
  Reference?: string;
  CurrencyRate: number;
  /** ARCREDITPAYMENT / APCREDITPAYMENT: a refund of a credit note. */
  PaymentType: 'ACCRECPAYMENT' | 'ACCPAYPAYMENT' | 'ARCREDITPAYMENT' | 'APCREDITPAYMENT';
  Status: 'AUTHORISED' | 'DELETED';
  UpdatedDateUTC: string;
  Account: { AccountID: string; Code: string; Name: string };
  /** The invoice paid; absent on a refund, which names its credit note instead. */
  Invoice?: { InvoiceID: string; InvoiceNumber?: string; Type: Invoice['Type']; Contact: ContactSummary };
  CreditNote?: { CreditNoteID: string; CreditNoteNumber?: string; Type: CreditNoteType; Contact: ContactSummary };
}

/** A submitted element that failed, echoed back with its messages (Xero's ValidationErrors). */
export interface ValidationMessage {
  Message: string;
}

/** The all-zero id Xero echoes on an element it did not save. */
export const EMPTY_ID = '00000000-0000-0000-0000-000000000000';
