/**
 * What the proxy sends to Xero: exactly the fields Xero accepts on create, dates as
 * `YYYY-MM-DDThh:mm:ss` (the XSDs' `xs:dateTime`). Encoded as JSON, or as XML through
 * `encodeElement` with Xero's list names (src/domain/xero/xml-shape.ts).
 * @see PROTOCOL.md §4.2, §4.6, §5.1
 */

/** A tracking category and option, by name. */
export interface XeroTracking {
  Name: string;
  Option: string;
}

/** An invoice line as sent to Xero. */
export interface XeroLineItem {
  Description?: string;
  Quantity?: number;
  UnitAmount?: number;
  ItemCode?: string;
  AccountCode?: string;
  TaxType?: string;
  TaxAmount?: number;
  DiscountRate?: number;
  Tracking?: XeroTracking[];
}

/** A contact reference as sent to Xero. */
export interface XeroContactRef {
  ContactID?: string;
  ContactNumber?: string;
  EmailAddress?: string;
  Name?: string;
}

/** An invoice as sent to Xero. */
export interface XeroInvoice {
  Type: 'ACCREC' | 'ACCPAY';
  Contact: XeroContactRef;
  Date?: string;
  DueDate?: string;
  LineAmountTypes?: 'Exclusive' | 'Inclusive' | 'NoTax';
  InvoiceNumber?: string;
  Reference?: string;
  CurrencyCode?: string;
  Status?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
  SentToContact?: boolean;
  LineItems: XeroLineItem[];
}

/** A credit note as sent to Xero. */
export interface XeroCreditNote {
  Type: 'ACCRECCREDIT' | 'ACCPAYCREDIT';
  Contact: XeroContactRef;
  Date?: string;
  LineAmountTypes?: 'Exclusive' | 'Inclusive' | 'NoTax';
  CreditNoteNumber?: string;
  Reference?: string;
  CurrencyCode?: string;
  Status?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
  SentToContact?: boolean;
  LineItems: XeroLineItem[];
}

/**
 * An allocation of a credit note to an invoice, as sent to `PUT /CreditNotes/{id}/Allocations`.
 * `AppliedAmount` is the XSD's name (Allocation.xsd); Xero's JSON calls it `Amount`.
 */
export interface XeroAllocation {
  Invoice: { InvoiceID: string } | { InvoiceNumber: string } | Record<string, never>;
  AppliedAmount: number;
  Date?: string;
}

/** A payment as sent to Xero: of an invoice, or (a refund) of a credit note. */
export interface XeroPayment {
  /** Empty while it names an invoice this device sent that Xero does not have yet: the delivery loop fills in its id. */
  Invoice?: { InvoiceID: string } | { InvoiceNumber: string } | Record<string, never>;
  CreditNote?: { CreditNoteID: string } | Record<string, never>;
  Account: { Code: string } | { AccountID: string };
  Date: string;
  Amount: number;
  Reference?: string;
}

/** A timesheet line as sent to Payroll AU. */
export interface XeroTimesheetLine {
  EarningsRateID: string;
  TrackingItemID?: string;
  NumberOfUnits: number[];
}

export interface XeroTimesheet {
  EmployeeID: string;
  StartDate: string;
  EndDate: string;
  Status: 'DRAFT' | 'APPROVED';
  TimesheetLines: XeroTimesheetLine[];
}
