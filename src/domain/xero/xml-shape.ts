/**
 * Which Xero XML elements are lists and what their items are called, from Xero's XSDs
 * (`<Invoices><Invoice/>…`, `<LineItems><LineItem/>…`). Decoding and encoding both use it.
 * @see https://github.com/XeroAPI/XeroAPI-Schemas
 */
const ITEM_OF: Record<string, string> = {
  Invoices: 'Invoice',
  LineItems: 'LineItem',
  Payments: 'Payment',
  Contacts: 'Contact',
  ContactPersons: 'ContactPerson',
  ContactGroups: 'ContactGroup',
  Accounts: 'Account',
  TaxRates: 'TaxRate',
  TaxComponents: 'TaxComponent',
  Items: 'Item',
  TrackingCategories: 'TrackingCategory',
  Tracking: 'TrackingCategory',
  Options: 'Option',
  Organisations: 'Organisation',
  Addresses: 'Address',
  Phones: 'Phone',
  CreditNotes: 'CreditNote',
  Allocations: 'Allocation',
  Prepayments: 'Prepayment',
  Overpayments: 'Overpayment',
  ValidationErrors: 'ValidationError',
  Warnings: 'Warning',
  Elements: 'DataContractBase',
  Employees: 'Employee',
  Timesheets: 'Timesheet',
  TimesheetLines: 'TimesheetLine',
  NumberOfUnits: 'NumberOfUnit',
  EarningsRates: 'EarningsRate',
  DeductionTypes: 'DeductionType',
  LeaveTypes: 'LeaveType',
  ReimbursementTypes: 'ReimbursementType',
  PayrollCalendars: 'PayrollCalendar',
  BrandingThemes: 'BrandingTheme',
  Currencies: 'Currency',
  Attachments: 'Attachment',
  ExternalLinks: 'ExternalLink',
  SalesTrackingCategories: 'SalesTrackingCategory',
  PurchasesTrackingCategories: 'PurchasesTrackingCategory',
};

/** The item element of a Xero list element, or `undefined` when `name` is not a list. */
export function xeroItemName(name: string): string | undefined {
  return ITEM_OF[name];
}

/** Like `xeroItemName`, but for encoding: unknown plurals drop their trailing "s". */
export function xeroItemNameForEncoding(name: string): string {
  return ITEM_OF[name] ?? (name.endsWith('s') ? name.slice(0, -1) : name);
}
