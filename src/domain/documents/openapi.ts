import { DOCUMENT_EXAMPLES } from './openapi-examples';
import { DOCUMENT_KINDS, type DocumentKind } from './kinds';
import { documentPaths, servicePaths } from './openapi-paths';
import { passThroughPaths } from './openapi-pass-through';
import { attachmentPaths, AttachmentFormSchema, AttachmentRequestSchema } from './openapi-attachments';
import {
  AcceptedSchema,
  ErrorSchema,
  JobListSchema,
  JobSchema,
  OrganisationSchema,
  OutcomeSchema,
  PairingPendingSchema,
  PairingSchema,
  PairingTokenSchema,
  PairRequestSchema,
  PairTokenRequestSchema,
  ReferenceListSchema,
  StatusSchema,
} from './openapi-schemas';

/** What the description says about itself. */
export interface OpenApiInfo {
  version: string;
  title?: string;
  /** The proxy's address as devices reach it (e.g. `http://proxy.lan:8080`); relative when absent. */
  serverUrl?: string;
}

/** The document kinds in the order the description lists them, with their component names. */
const DOCUMENTS: ReadonlyArray<{ kind: DocumentKind; path: string; operationId: string; summary: string }> = [
  { kind: 'invoices', path: '/invoices', operationId: 'createInvoices', summary: 'Queue invoices or bills for Xero' },
  { kind: 'credit-notes', path: '/credit-notes', operationId: 'createCreditNotes', summary: 'Queue credit notes, each optionally allocated to an invoice or refunded' },
  { kind: 'payments', path: '/payments', operationId: 'createPayments', summary: 'Queue payments against invoices, into an account or a third-party payer\'s clearing account' },
  { kind: 'pos-shift', path: '/pos/shifts', operationId: 'createPosShift', summary: 'Queue a till\'s end-of-shift takings (an invoice, or a credit note on a negative day)' },
  { kind: 'timesheets', path: '/payroll/timesheets', operationId: 'createTimesheets', summary: 'Queue timesheets for Xero Payroll (AU 1.0, or UK, NZ and AU 2.0), approved on request' },
  { kind: 'wage-bill', path: '/payroll/wage-bills', operationId: 'createWageBill', summary: 'Queue a bill for a pay period\'s wages' },
];

/**
 * The OpenAPI 3.1 description of the device API under `/api/v1`. The request schemas are the
 * very objects `parseDocument` validates with, so the description and the validator cannot
 * drift; the examples are parsed by the tests.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export function openApiDocument(info: OpenApiInfo): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const entry of DOCUMENTS) schemas[DOCUMENT_KINDS[entry.kind].title] = DOCUMENT_KINDS[entry.kind].schema;
  Object.assign(schemas, {
    Accepted: AcceptedSchema,
    Outcome: OutcomeSchema,
    Job: JobSchema,
    JobList: JobListSchema,
    Error: ErrorSchema,
    ReferenceList: ReferenceListSchema,
    Status: StatusSchema,
    Organisation: OrganisationSchema,
    PairRequest: PairRequestSchema,
    Pairing: PairingSchema,
    PairTokenRequest: PairTokenRequestSchema,
    PairingToken: PairingTokenSchema,
    PairingPending: PairingPendingSchema,
    AttachmentRequest: AttachmentRequestSchema,
    AttachmentForm: AttachmentFormSchema,
  });
  const paths: Record<string, unknown> = {};
  for (const entry of DOCUMENTS) {
    const { title } = DOCUMENT_KINDS[entry.kind];
    paths[entry.path] = documentPaths({ ...entry, schemaName: title, example: DOCUMENT_EXAMPLES[entry.kind] });
  }
  Object.assign(paths, attachmentPaths(), servicePaths(), passThroughPaths());
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Xero Comms Proxy device API',
      version: info.version,
      description:
        'The local API that tills, practice and payroll apps call instead of Xero. Documents are validated at once (400 with every problem) and then delivered to Xero by a durable queue (202 with job ids). ' +
        'JSON and XML are interchangeable: XML elements have the JSON field names, lists are wrapper elements of items, numbers and true/false are read from text, XML text is trimmed, ' +
        'and an empty element, a JSON null or "" means "absent". Unknown fields are refused, so a misspelt field is an error rather than lost data. ' +
        '`/xero/…` passes reads (and permitted writes) through to the organisation\'s Xero API as they are.',
    },
    servers: [{ url: `${info.serverUrl ?? ''}/api/v1` }],
    security: [{ deviceKey: [] }],
    tags: [{ name: 'documents' }, { name: 'jobs' }, { name: 'device' }, { name: 'pairing' }, { name: 'xero' }],
    paths,
    components: {
      schemas,
      responses: errorResponses(),
      securitySchemes: {
        deviceKey: { type: 'http', scheme: 'bearer', bearerFormat: 'xpk_…', description: 'The device\'s API key from pairing or `xero-proxy device add`: Authorization: Bearer xpk_…' },
      },
    },
  };
}

/** The error answers every operation shares, by status. */
function errorResponses(): Record<string, unknown> {
  const answer = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } }, 'application/xml': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    Invalid: answer('The request is not acceptable: `details` lists every problem (at most 20), each with its field path and, for XML, its line.'),
    Unauthorized: answer('No API key, or an unknown or revoked one.'),
    Forbidden: answer('The device lacks the right this needs; `message` names it and the command that grants it.'),
    NotFound: answer('No such job or endpoint.'),
    MethodNotAllowed: answer('The endpoint exists but does not take this method; the Allow header lists those it takes.'),
    TooLarge: answer('The body is larger than the endpoint reads; nothing was stored.'),
    Conflict: answer('`conflict`: the device is not linked to an organisation (pair it again), or the link needs a person. `document_changed`: a document was sent again with a DocumentId (or shiftId) already used, but with other content; nothing was stored, the earlier job (named in the message and in `details`) stands. Send a correction under a new DocumentId.'),
    Upstream: answer('Xero refused or failed the call; `message` says why.'),
    RateLimited: answer('Too many requests from this device; retry after the Retry-After header.'),
    Unavailable: answer('The proxy cannot take work now (e.g. its storage is unavailable); retry later.'),
  };
}
