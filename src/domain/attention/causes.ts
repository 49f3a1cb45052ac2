/**
 * Why a document waits for a person, or ended without reaching Xero, in words a shop owner
 * understands: one stable code per cause, the sentence that says what happened, what to do,
 * and where on the console it is fixed. Codes are stored on jobs (`jobs.cause`); never rename one.
 * @see PROTOCOL.md (ValidationErrors) and MARKET-2026.md (refusal texts)
 */
export const CAUSE_CODES = [
  'account_archived',
  'account_invalid',
  'tax_invalid',
  'contact_archived',
  'contact_name_taken',
  'lock_date',
  'invoice_limit',
  'currency_not_enabled',
  'edition_cannot_invoice',
  'mapping_missing',
  'document_content',
  'relink_needed',
  'xero_unavailable',
  'rate_limited',
  'clock_skew',
  'dependency_failed',
  'unknown',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];

/** Where on the console a cause is put right. */
export type FixPlace = 'mappings' | 'organisations' | 'settings' | 'document' | 'xero' | 'wait';

export interface Cause {
  code: CauseCode;
  /** A short heading: "Account archived or deleted in Xero". */
  title: string;
  /** What to do, as a sentence a person can act on. */
  fix: string;
  place: FixPlace;
  /** Goes by itself (Xero down, rate limited): shown, but needs no person unless it lasts. */
  transient: boolean;
}

export const CAUSES: Readonly<Record<CauseCode, Cause>> = {
  account_archived: { code: 'account_archived', title: 'Account archived or deleted in Xero', fix: 'Map the names that used it to an active account on the mappings page (or restore the account in Xero), then retry.', place: 'mappings', transient: false },
  account_invalid: { code: 'account_invalid', title: 'Account code not valid for this document', fix: 'Map it to an account Xero accepts for sales or payments on the mappings page, then retry.', place: 'mappings', transient: false },
  tax_invalid: { code: 'tax_invalid', title: 'Tax rate not valid', fix: 'Choose a tax rate Xero accepts for the account on the mappings page, then retry.', place: 'mappings', transient: false },
  contact_archived: { code: 'contact_archived', title: 'Contact archived in Xero', fix: 'Restore the contact in Xero (Contacts, Archived), or have the app send another contact, then retry.', place: 'xero', transient: false },
  contact_name_taken: { code: 'contact_name_taken', title: 'Contact name already used', fix: 'Another contact in Xero has this name; rename one of them in Xero, then retry.', place: 'xero', transient: false },
  lock_date: { code: 'lock_date', title: 'Dated before the lock date', fix: "The organisation's books are closed on and before its lock date, and Xero refuses documents dated there. Either have the app send the document again with a later date (the same DocumentId replaces it), or ask the organisation's adviser to move the lock date in Xero (Settings, Advanced settings, Financial settings); then press Retry all, which reads the lock dates from Xero again first.", place: 'xero', transient: false },
  invoice_limit: { code: 'invoice_limit', title: "Xero plan's monthly invoice limit reached", fix: "The organisation's Xero plan approves no more invoices this month. Upgrade the plan in Xero, or wait for next month, then retry. A till that sends an end-of-shift summary uses one invoice a day instead of one per sale.", place: 'organisations', transient: false },
  currency_not_enabled: { code: 'currency_not_enabled', title: 'Currency not enabled', fix: 'Add the currency in Xero (Settings, Currencies; it needs a plan with multi-currency), then retry.', place: 'xero', transient: false },
  edition_cannot_invoice: { code: 'edition_cannot_invoice', title: "The organisation's Xero edition cannot take these documents", fix: 'This Xero edition (for example cashbook or ledger) does not accept invoices through the API. Link an organisation on a business edition.', place: 'organisations', transient: false },
  mapping_missing: { code: 'mapping_missing', title: 'Names with no mapping yet', fix: 'Map each name to its Xero account, tax rate, employee or earnings rate on the mappings page; the waiting documents then go by themselves.', place: 'mappings', transient: false },
  document_content: { code: 'document_content', title: "Xero refused the document's content", fix: "Read Xero's words on the document, correct it in the app and send it again, or cancel it.", place: 'document', transient: false },
  relink_needed: { code: 'relink_needed', title: 'The organisation must be linked again', fix: 'Link the organisation again; its waiting documents then go by themselves.', place: 'organisations', transient: false },
  xero_unavailable: { code: 'xero_unavailable', title: 'Xero could not be reached', fix: 'Nothing to do while it lasts: the proxy tries again by itself. If it lasts, check this computer’s internet connection.', place: 'wait', transient: true },
  rate_limited: { code: 'rate_limited', title: "Xero's call limits reached", fix: 'Nothing to do: the proxy waits for Xero’s limits and sends again by itself.', place: 'wait', transient: true },
  clock_skew: { code: 'clock_skew', title: "This computer's clock is wrong", fix: "Set this computer's clock right (turn on automatic time); Xero refuses requests from a clock more than a few minutes off.", place: 'settings', transient: true },
  dependency_failed: { code: 'dependency_failed', title: 'The document it depends on did not reach Xero', fix: 'Put right the document it waits for (the invoice a payment or credit note is for, the credit note a refund or allocation draws on, the document a file is for); it then goes after it.', place: 'document', transient: false },
  unknown: { code: 'unknown', title: 'Not delivered for another reason', fix: "Open the document to read Xero's answer; retry it, or cancel it.", place: 'document', transient: false },
};

/** Whether a stored text is one of the cause codes (a newer version may have written another). */
export function isCauseCode(text: string | null | undefined): text is CauseCode {
  return text !== null && text !== undefined && (CAUSE_CODES as readonly string[]).includes(text);
}
