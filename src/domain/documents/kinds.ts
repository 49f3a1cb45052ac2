import type { TSchema } from '@sinclair/typebox';
import { CreditNotesSchema, type CreditNotesDocument } from './credit-notes';
import { creditNoteIssues, invoiceIssues, paymentIssues, wageBillIssues } from './document-rules';
import { InvoicesSchema, type InvoicesDocument } from './invoices';
import type { Issue } from './issues';
import { PaymentsSchema, type PaymentsDocument } from './payments';
import { PosShiftSchema, type PosShift } from './pos-shift';
import { shiftIssues } from './shift-balance';
import { timesheetIssues } from './timesheet-rules';
import { TimesheetsSchema, type TimesheetsDocument } from './timesheets';
import { WageBillSchema, type WageBill } from './wage-bill';

/** The documents apps send, by the name the device API's routes use. */
export type DocumentKind = 'invoices' | 'credit-notes' | 'payments' | 'pos-shift' | 'timesheets' | 'wage-bill';

/** The typed value of each document kind. */
export interface DocumentOf {
  invoices: InvoicesDocument;
  'credit-notes': CreditNotesDocument;
  payments: PaymentsDocument;
  'pos-shift': PosShift;
  timesheets: TimesheetsDocument;
  'wage-bill': WageBill;
}

/** Settings that rules depend on; they come from the configuration. */
export interface ParseOptions {
  /** The largest tenders-versus-sales difference a shift may have without a `discrepancy`. */
  roundingTolerance?: number;
}

/** What parsing one kind needs: a name for messages, the schema, and the rules beyond it. */
export interface DocumentSpec<T> {
  title: string;
  schema: TSchema;
  /** Rules the schema cannot express; they run only on a value the schema accepts. */
  rules: (value: T, options: ParseOptions) => Issue[];
}

/** Every document kind, its schema (the one the OpenAPI description publishes) and its rules. */
export const DOCUMENT_KINDS: { readonly [K in DocumentKind]: DocumentSpec<DocumentOf[K]> } = {
  invoices: { title: 'Invoices', schema: InvoicesSchema, rules: invoiceIssues },
  'credit-notes': { title: 'CreditNotes', schema: CreditNotesSchema, rules: creditNoteIssues },
  payments: { title: 'Payments', schema: PaymentsSchema, rules: paymentIssues },
  'pos-shift': { title: 'PosShift', schema: PosShiftSchema, rules: (shift, options) => shiftIssues(shift, options.roundingTolerance) },
  timesheets: { title: 'Timesheets', schema: TimesheetsSchema, rules: timesheetIssues },
  'wage-bill': { title: 'WageBill', schema: WageBillSchema, rules: wageBillIssues },
};
