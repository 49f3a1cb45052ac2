import { AppError } from '../../lib/errors';

/** Xero's limit on one file. @see MARKET-2026.md §3.4 (10 MB; a 14 MB file got 413) */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Xero's limit on files per document. @see MARKET-2026.md §3.4 */
export const MAX_ATTACHMENTS_PER_DOCUMENT = 10;
const MAX_FILE_NAME = 255;

/** The Accounting endpoints that take attachments (xero_accounting.yaml `/{Endpoint}/{id}/Attachments`). */
export const ATTACHMENT_ENDPOINTS = ['Invoices', 'CreditNotes', 'Contacts', 'Accounts', 'BankTransactions', 'BankTransfers', 'ManualJournals', 'PurchaseOrders', 'Quotes', 'Receipts', 'RepeatingInvoices'] as const;
export type AttachmentEndpoint = (typeof ATTACHMENT_ENDPOINTS)[number];

/** Where `IncludeOnline` means something: the customer's online invoice or credit note. */
const ONLINE_ENDPOINTS: readonly AttachmentEndpoint[] = ['Invoices', 'CreditNotes'];

/** The types Xero shows as attachments that the proxy takes, each with how its bytes begin. */
const SIGNATURES: Record<string, (bytes: Uint8Array) => boolean> = {
  // A PDF may carry a few bytes before its header; readers look in the first kilobyte.
  'application/pdf': (b) => Buffer.from(b.subarray(0, 1024)).includes('%PDF-'),
  'image/png': (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => starts(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61,
  'image/tiff': (b) => starts(b, [0x49, 0x49, 0x2a, 0x00]) || starts(b, [0x4d, 0x4d, 0x00, 0x2a]),
  'image/bmp': (b) => starts(b, [0x42, 0x4d]),
};
export const ATTACHMENT_TYPES = Object.keys(SIGNATURES);
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'image/x-ms-bmp': 'image/bmp' };

const starts = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((byte, i) => bytes[i] === byte);

/** A document at Xero named by its endpoint and id, e.g. `Invoices/4074292c-…`. */
export interface XeroDocumentRef {
  endpoint: AttachmentEndpoint;
  id: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads `Invoices/{InvoiceID}` (or CreditNotes/…, Contacts/…): the path of the document at Xero. */
export function parseXeroDocument(text: string, field = 'XeroDocument'): XeroDocumentRef {
  const [endpoint, id, ...rest] = text.trim().split('/');
  const known = ATTACHMENT_ENDPOINTS.find((name) => name.toLowerCase() === (endpoint ?? '').toLowerCase());
  if (!known || id === undefined || rest.length > 0) {
    throw new AppError('invalid', `${field}: must be "<Endpoint>/<id>", e.g. "Invoices/4074292c-09b3-456d-84e7-add864c6c39b"; the endpoint is one of ${ATTACHMENT_ENDPOINTS.join(', ')}.`, { field });
  }
  if (!GUID.test(id)) throw new AppError('invalid', `${field}: "${id}" is not a Xero id (a GUID such as 4074292c-09b3-456d-84e7-add864c6c39b).`, { field });
  return { endpoint: known, id: id.toLowerCase() };
}

/**
 * The file name as Xero can take it: no folders (only what follows the last / or \), no control
 * characters, no spaces or dots at either end (Xero answers 500 to a trailing space), at most
 * 255 characters with the extension kept.
 * @see MARKET-2026.md §3.4 (xero-node #763)
 */
export function cleanFileName(name: string, field = 'FileName'): string {
  const base = name.split(/[/\\]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex
  let clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/^[\s.]+|[\s.]+$/g, '');
  if (clean.length > MAX_FILE_NAME) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_FILE_NAME - extension.length).replace(/[\s.]+$/, '') + extension;
  }
  if (clean === '') throw new AppError('invalid', `${field}: must name the file (letters or digits, not only spaces, dots or a folder).`, { field });
  return clean;
}

/** The declared type, normalised, when the proxy takes it; else `invalid` naming the field. */
export function attachmentType(declared: string, field = 'MimeType'): string {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  const known = ALIASES[type] ?? type;
  if (!SIGNATURES[known]) throw new AppError('invalid', `${field}: "${declared}" is not taken; send a PDF or an image (${ATTACHMENT_TYPES.join(', ')}).`, { field });
  return known;
}

/** Checks the file's size and that its bytes are what its type says. */
export function checkAttachmentContent(type: string, bytes: Uint8Array, field = 'Content'): void {
  if (bytes.byteLength === 0) throw new AppError('invalid', `${field}: the file is empty.`, { field });
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new AppError('too_large', `${field}: the file is ${bytes.byteLength.toLocaleString('en')} bytes; Xero takes at most ${MAX_ATTACHMENT_BYTES.toLocaleString('en')} (10 MB) a file.`, { field });
  }
  if (!SIGNATURES[type]!(bytes)) throw new AppError('invalid', `${field}: the file is not a ${type} (its first bytes are not what such a file begins with); check the file and its MimeType.`, { field });
}

/** Whether `IncludeOnline` may be asked for a document: a sales invoice or a credit note. */
export function refuseIncludeOnline(endpoint: AttachmentEndpoint, type: string | undefined, field = 'IncludeOnline'): void {
  const sales = endpoint === 'Invoices' ? type === undefined || type === 'ACCREC' : endpoint === 'CreditNotes' ? type === undefined || type === 'ACCRECCREDIT' : false;
  if (!ONLINE_ENDPOINTS.includes(endpoint) || !sales) {
    throw new AppError('invalid', `${field}: only a sales invoice or credit note is shown online to the customer; leave IncludeOnline out for this ${type ?? endpoint}.`, { field });
  }
}
