import type { NumberSequence } from './number-sequence';
import type { Db } from '../../store/db';
import type { OrganisationSettings } from '../organisation-settings';
import type { SandboxOrganisation } from '../organisations';
import { findDocumentsByNumber } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import { CONTACT_MISSING, resolveContact, summarise } from './contact-records';
import { parseRequestDate, today } from './dates';
import { EMPTY_ID, type Contact, type Invoice, type InvoiceStatus, type LineAmountTypes } from './model';
import { invoiceTotals } from './totals';
import { buildLines } from './validate-lines';
import { bool, isGuid, record, text } from './values';

export interface InvoiceContext {
  db: Db;
  org: SandboxOrganisation;
  /** Lock dates and plan caps, read once per request. */
  settings: OrganisationSettings;
  now: Date;
  unitdp: 2 | 4;
  /** The calling app (consumer key or client id), recorded as the creator of what it creates; absent for a person's change. */
  app?: string;
  /** Xero's sales invoice numbers as this request hands them out; without it each new invoice reads the store. */
  invoiceNumbers?: NumberSequence;
}

/** An invoice ready to save (when `errors` is empty), the contact it may create, and Xero's messages. */
export interface InvoiceDraft {
  invoice: Invoice;
  contact: { contact: Contact; isNew: boolean } | undefined;
  errors: string[];
}

const LINE_AMOUNT_TYPES: LineAmountTypes[] = ['Exclusive', 'Inclusive', 'NoTax'];
const STATUSES: InvoiceStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];
export const INVOICE_NUMBER_TAKEN = 'Invoice # must be unique.';

/**
 * Reads a submitted invoice (XML-decoded or JSON) over `existing` (for updates), checks it the
 * way Xero does and prices it. Status rules for creation and modification are applied by the
 * caller, which knows whether this is a create or an update.
 * @see https://developer.xero.com/documentation/api/accounting/invoices
 */
export function buildInvoice(context: InvoiceContext, input: Record<string, unknown>, existing: Invoice | undefined): InvoiceDraft {
  const { db, org, now } = context;
  const errors: string[] = [];
  const add = (message: string) => {
    if (!errors.includes(message)) errors.push(message);
  };

  const typeIn = text(input['Type'])?.toUpperCase();
  if (typeIn !== undefined && typeIn !== 'ACCREC' && typeIn !== 'ACCPAY') add(`Invoice Type '${text(input['Type'])}' is not valid; use ACCREC or ACCPAY.`);
  const type: Invoice['Type'] = typeIn === 'ACCREC' || typeIn === 'ACCPAY' ? typeIn : existing?.Type ?? 'ACCREC';
  if (!typeIn && !existing) add('Invoice Type must be specified (ACCREC or ACCPAY).');

  let contact: InvoiceDraft['contact'];
  if (input['Contact'] !== undefined) {
    const resolved = resolveContact(db, org.id, input['Contact'], storedTimestamp(now));
    if ('error' in resolved) add(resolved.error);
    else contact = resolved;
  } else if (!existing) add(CONTACT_MISSING);

  const statusIn = text(input['Status'])?.toUpperCase();
  const status = (STATUSES.includes(statusIn as InvoiceStatus) ? statusIn : existing?.Status ?? 'DRAFT') as InvoiceStatus;
  if (statusIn !== undefined && !STATUSES.includes(statusIn as InvoiceStatus)) add(existing ? 'Invoice not of valid status for modification' : 'Invoice not of valid status for creation');

  const typesIn = text(input['LineAmountTypes']);
  const lineAmountTypes = LINE_AMOUNT_TYPES.find((t) => t.toLowerCase() === typesIn?.toLowerCase()) ?? (typesIn ? undefined : existing?.LineAmountTypes ?? 'Exclusive');
  if (!lineAmountTypes) add(`LineAmountTypes '${typesIn}' is not valid; use Exclusive, Inclusive or NoTax.`);

  const date = (field: string): string | undefined => {
    const parsed = parseRequestDate(input[field]);
    if (parsed === null) add(`The ${field} '${String(input[field])}' is not a valid date.`);
    return parsed ?? undefined;
  };
  const currency = text(input['CurrencyCode'])?.toUpperCase();
  if (currency && currency !== org.baseCurrency) add(`Organisation is not subscribed to currency ${currency}`);

  const number = text(input['InvoiceNumber']) ?? existing?.InvoiceNumber;
  if (number && number.length > 255) add('The InvoiceNumber must be 255 characters or fewer.');
  if (number && type === 'ACCREC' && isNumberTaken(db, org.id, number, existing?.InvoiceID)) add(INVOICE_NUMBER_TAKEN);

  let lines = existing?.LineItems ?? [];
  if (input['LineItems'] !== undefined || lineAmountTypes !== existing?.LineAmountTypes) {
    const built = buildLines(
      { db, organisationId: org.id, type, lineAmountTypes: lineAmountTypes ?? 'Exclusive', unitdp: context.unitdp, previous: lines },
      input['LineItems'] !== undefined ? input['LineItems'] : lines,
    );
    lines = built.lines;
    for (const message of built.errors) add(message);
  }
  if (lines.length === 0) add('One or more line items must be specified');

  const totals = invoiceTotals(lines, lineAmountTypes ?? 'Exclusive', existing?.AmountPaid ?? 0, existing?.AmountCredited ?? 0);
  const brandingTheme = text(input['BrandingThemeID']);
  const invoice: Invoice = {
    Type: type,
    InvoiceID: existing?.InvoiceID ?? EMPTY_ID,
    ...(number ? { InvoiceNumber: number } : {}),
    ...optional('Reference', text(input['Reference']) ?? existing?.Reference),
    Contact: contact ? summarise(contact.contact) : existing?.Contact ?? echoContact(input['Contact']),
    Date: date('Date') ?? existing?.Date ?? today(now),
    ...optional('DueDate', date('DueDate') ?? existing?.DueDate),
    ...optional('ExpectedPaymentDate', date('ExpectedPaymentDate') ?? existing?.ExpectedPaymentDate),
    ...optional('PlannedPaymentDate', date('PlannedPaymentDate') ?? existing?.PlannedPaymentDate),
    Status: status,
    LineAmountTypes: lineAmountTypes ?? 'Exclusive',
    LineItems: lines,
    ...totals,
    CurrencyCode: org.baseCurrency,
    CurrencyRate: 1,
    ...optional('BrandingThemeID', brandingTheme && isGuid(brandingTheme) ? brandingTheme : existing?.BrandingThemeID),
    ...optional('Url', text(input['Url']) ?? existing?.Url),
    SentToContact: bool(input['SentToContact']) ?? existing?.SentToContact ?? false,
    HasAttachments: false,
    Payments: existing?.Payments ?? [],
    ...optional('FullyPaidOnDate', existing?.FullyPaidOnDate),
    UpdatedDateUTC: storedTimestamp(now),
  };
  if (!invoice.Contact) delete (invoice as Partial<Invoice>).Contact;
  return { invoice, contact, errors };
}

/** The submitted contact echoed on a refused invoice (only what identifies it). */
function echoContact(input: unknown): Invoice['Contact'] {
  const ref = record(input);
  const name = text(ref?.['Name']);
  const number = text(ref?.['ContactNumber']);
  const id = text(ref?.['ContactID']);
  if (!name && !number && !id) return undefined as unknown as Invoice['Contact'];
  return { ContactID: id && isGuid(id) ? id : EMPTY_ID, ...(number ? { ContactNumber: number } : {}), ...(name ? { Name: name } : {}) } as Invoice['Contact'];
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Whether another ACCREC invoice in the organisation already has this number. */
function isNumberTaken(db: Db, organisationId: string, number: string, exceptId: string | undefined): boolean {
  return findDocumentsByNumber<Invoice>(db, organisationId, 'Invoice', number).some((other) => other.Type === 'ACCREC' && other.InvoiceID !== exceptId);
}
