import { ATTACHMENT_ENDPOINTS, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_DOCUMENT } from './attachment';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

const TARGET = {
  DocumentId: { type: 'string', minLength: 1, maxLength: 255, description: 'The DocumentId of an invoice (or credit note) this device sent; the file waits until that document is in Xero. Give this or XeroDocument.' },
  XeroDocument: {
    type: 'string',
    pattern: `^(${ATTACHMENT_ENDPOINTS.join('|')})/[0-9a-fA-F-]{36}$`,
    description: 'A document already in Xero, as its path there: `Invoices/{InvoiceID}`, `CreditNotes/{CreditNoteID}`, `Contacts/{ContactID}`…',
    example: 'Invoices/4074292c-09b3-456d-84e7-add864c6c39b',
  },
  FileName: { type: 'string', minLength: 1, description: 'The name Xero shows. Folders, control characters and spaces or dots at either end are removed (Xero fails on a trailing space); at most 255 characters.' },
  MimeType: { type: 'string', enum: [...ATTACHMENT_TYPES, 'image/jpg'], description: 'What the file is; its first bytes must agree.' },
  IncludeOnline: { type: 'boolean', default: false, description: 'Show the file on the customer\'s online invoice: sales invoices and credit notes only.' },
};

/** `POST /attachments` as JSON: the file's bytes in base64. */
export const AttachmentRequestSchema = {
  title: 'AttachmentRequest',
  type: 'object',
  additionalProperties: false,
  required: ['FileName', 'MimeType', 'Content'],
  properties: { ...TARGET, Content: { type: 'string', contentEncoding: 'base64', description: `The file, base64; at most ${MAX_ATTACHMENT_BYTES.toLocaleString('en')} bytes (10 MB) decoded.` } },
};

/** `POST /attachments` as a form: the file in the part `file`. */
export const AttachmentFormSchema = {
  title: 'AttachmentForm',
  type: 'object',
  required: ['file'],
  properties: {
    ...TARGET,
    FileName: { ...TARGET.FileName, description: `${TARGET.FileName.description} Defaults to the file part's own name.` },
    MimeType: { ...TARGET.MimeType, description: `${TARGET.MimeType.description} Defaults to the file part's Content-Type.` },
    IncludeOnline: { type: 'string', enum: ['true', 'false'] },
    file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The file itself, at most 10 MB.' },
  },
};

/** The path item of `/attachments`. */
export function attachmentPaths(): Record<string, unknown> {
  return {
    '/attachments': {
      post: {
        operationId: 'createAttachment',
        summary: 'Queue a PDF or image for a document in Xero',
        tags: ['documents'],
        description:
          `One file for one document: an invoice or credit note this device sent (by its DocumentId), or a document already in Xero. A PDF or an image (${ATTACHMENT_TYPES.join(', ')}) whose first bytes are what its type says, at most 10 MB, ` +
          `at most ${MAX_ATTACHMENTS_PER_DOCUMENT} a document (Xero's limits). The file is stored sealed before the 202, sent once its document is in Xero, looked up there by file name before any resend, and its bytes are erased storage.retention_days after delivery. ` +
          'The same file name for the same document with the same bytes is the same attachment (`duplicateOf`); with other bytes it is 409 `document_changed`.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            description: 'Send the same key when repeating a request whose answer was lost: the first answer comes back. The same key with another file is 422.',
            schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
          },
          { name: 'wait', in: 'query', description: 'Seconds (0–60) to wait for Xero\'s outcome before answering: 200 when the file is in Xero, 422 when Xero refused it, else 202.', schema: { type: 'integer', minimum: 0, maximum: 60, default: 0 } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: ref('AttachmentRequest') }, 'multipart/form-data': { schema: ref('AttachmentForm') } } },
        responses: {
          '200': { description: 'With `wait`: the file is in Xero (the job\'s xeroId is its AttachmentID).', content: { 'application/json': { schema: ref('Outcome') } } },
          '202': {
            description: 'Stored durably; the job sends it once its document is in Xero.',
            headers: { Location: { description: 'The job: /api/v1/jobs/{id}.', schema: { type: 'string' } } },
            content: { 'application/json': { schema: ref('Accepted') } },
          },
          '400': response('Invalid'),
          '401': response('Unauthorized'),
          '409': response('Conflict'),
          '413': response('TooLarge'),
          '422': { description: `The document already has ${MAX_ATTACHMENTS_PER_DOCUMENT} files (\`unprocessable\`, naming DocumentId or XeroDocument), or the Idempotency-Key was used for another file; with \`wait\`, Xero refused the file (its job has ValidationErrors).`, content: { 'application/json': { schema: ref('Error') } } },
          '429': response('RateLimited'),
          '503': response('Unavailable'),
        },
      },
    },
  };
}
