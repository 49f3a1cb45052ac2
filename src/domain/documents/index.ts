/**
 * The documents apps send to the device API: their schemas, parsing and validation, the pure
 * transforms into what Xero accepts, and the OpenAPI description built from the same schemas.
 */
export { parseDocument } from './parse-document';
export { DOCUMENT_KINDS, type DocumentKind, type DocumentOf, type ParseOptions } from './kinds';
export { MAX_BODY_BYTES, type DocumentBody } from './read-body';
export { MAX_ISSUES } from './issues';
export { MAX_BATCH } from './fields';
export { InvoicesSchema, MAX_APP_REFERENCE, type Invoice, type InvoicesDocument, type LineItem } from './invoices';
export { CreditNotesSchema, type AllocationRequest, type CreditNote, type CreditNotesDocument, type Refund } from './credit-notes';
export { allocationToXero, creditNoteToXero, refundToXero } from './credit-note-to-xero';
export { planPayerPayment, type PayerMappings } from './payer-payment';
export { PaymentsSchema, type Payment, type PaymentsDocument } from './payments';
export { PosShiftSchema, type PosShift, type Sale, type Tender } from './pos-shift';
export { TimesheetsSchema, type Timesheet, type TimesheetLine, type TimesheetsDocument } from './timesheets';
export { WageBillSchema, type WageBill, type WageLine } from './wage-bill';
export { invoiceToXero, paymentToXero, type InvoiceIdOf } from './invoice-to-xero';
export { paidTenders, planShiftDocuments, shiftDirection, shiftToDocuments, type ShiftDocuments, type ShiftMappings } from './shift-to-documents';
export { DEFAULT_ROUNDING_TOLERANCE, shiftTotals, type ShiftTotals } from './shift-balance';
export { planTimesheet, timesheetsToXero, timesheetToXero, type PayrollMappings } from './timesheet-to-xero';
export { isPayroll2Payload, toPayroll2, type Payroll2Timesheet, type Payroll2TimesheetPayload } from './timesheet-to-payroll2';
export { planWageBill, wageBillToInvoice, type WageMappings } from './wage-bill-to-invoice';
export { describeMissing, distinctMissing, missingMappingsReason, type MissingKind, type MissingMapping } from './mappings';
export { xeroXml } from './xero-xml';
export type { XeroAllocation, XeroCreditNote, XeroInvoice, XeroLineItem, XeroPayment, XeroTimesheet, XeroTimesheetLine, XeroTracking } from './xero-types';
export { openApiDocument, type OpenApiInfo } from './openapi';
