import { Type, type TSchema } from '@sinclair/typebox';
import { DEVICE_RIGHTS } from '../device-rights';
import { OneOf, Strict, Text } from './fields';

/**
 * The device API's answers, as schemas for its OpenAPI description. The request documents'
 * schemas live beside their types (invoices.ts, …); these describe what the routes answer.
 */

const ERROR_CODES = ['invalid', 'not_found', 'conflict', 'document_changed', 'unauthorized', 'forbidden', 'rate_limited', 'unprocessable', 'upstream', 'unavailable', 'internal'] as const;

/** Every error answer: a stable code, a sentence, and each problem found. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: OneOf(ERROR_CODES, {
        description: 'Stable; decide on this, not on the message. 400 invalid, 401 unauthorized, 403 forbidden, 404 not_found, 409 conflict, 409 document_changed, 422 unprocessable, 429 rate_limited, 502 upstream, 503 unavailable, 500 internal.',
      }),
      message: Type.String({ description: 'A complete sentence that is safe to show a person.' }),
      field: Type.Optional(Type.String({ description: 'The field concerned, e.g. Invoices[2].LineItems[0].UnitAmount, or body.' })),
      hint: Type.Optional(Type.String({ description: 'What to do about it, e.g. the commands that make missing mappings.' })),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String({ examples: ['Invoices[2].LineItems[0].UnitAmount'] }),
            message: Type.String({ examples: ['must be a number'] }),
            line: Type.Optional(Type.Integer({ minimum: 1, description: 'The line of the XML element, when the body was XML.' })),
          }),
          { description: 'Every problem found (at most 20), so all can be fixed at once.' },
        ),
      ),
    }),
  },
  { title: 'Error' },
);

/** What a document becomes in Xero; an end-of-shift or wage bill becomes invoices and payments. */
export const JOB_KINDS = ['invoice', 'payment', 'timesheet', 'credit_note', 'allocation', 'attachment'] as const;
/** A job's states, as the delivery queue keeps them. */
export const JOB_STATUSES = ['queued', 'sending', 'delivered', 'failed', 'held', 'dead', 'cancelled'] as const;

/** One name a document uses that has no mapping yet. */
export const MissingNameSchema = Type.Object({
  kind: OneOf(['category', 'tender', 'staff', 'earnings', 'rounding', 'discrepancy', 'fees', 'no-tax', 'wages'] as const),
  name: Type.Optional(Type.String({ description: 'The app\'s name for it, e.g. a sales category "Gelato"; absent for a single setting such as the rounding account.' })),
  field: Type.String({ examples: ['sales[2].category'], description: 'Where the name is in what the app sent.' }),
  message: Type.String(),
});

/** What a job that waits for mappings carries: it is accepted and kept, and goes once they are saved. */
const WAITING_FIELDS = {
  cause: Type.Optional(Type.Literal('mapping_missing', { description: 'Set while the job is held because a name it uses has no mapping yet; it is sent by itself once the mapping is saved (console Mappings page or `xero-proxy map set`).' })),
  heldReason: Type.Optional(Type.String({ description: 'Why a held job waits for a person (e.g. a mapping is missing, or the organisation must be linked again).' })),
  missing: Type.Optional(Type.Array(MissingNameSchema, { description: 'With cause mapping_missing: every name still unmapped.' })),
};

/** A job as a document route lists it. */
export const JobRefSchema = Type.Object({
  id: Type.String({ examples: ['job_01HZX3…'] }),
  kind: OneOf(JOB_KINDS),
  documentKey: Type.String({ examples: ['XP-7K3M9Q2WZ4AB'], description: 'The proxy\'s stable key for the document, written into its Reference in Xero.' }),
  status: OneOf(JOB_STATUSES),
  duplicateOf: Type.Optional(Type.String({ description: 'Set when this device sent the same document before (same DocumentId or shiftId): the earlier job, not queued again.' })),
  ...WAITING_FIELDS,
});

/** The 202 answer of a document route. */
export const AcceptedSchema = Type.Object(
  { submissionId: Type.String(), jobs: Type.Array(JobRefSchema, { description: 'One job per Xero document, in order; a shift is its invoice, then a payment per tender.' }) },
  { title: 'Accepted' },
);

/** One job in full. */
export const JobSchema = Type.Object(
  {
    id: Type.String(),
    kind: OneOf(JOB_KINDS),
    status: OneOf(JOB_STATUSES),
    documentKey: Type.String(),
    documentId: Type.Optional(Type.String({ description: "The app's own id for the document as it sent it: the invoice's or payment's DocumentId, the shift's shiftId, the wage bill's documentId." })),
    attempts: Type.Integer({ minimum: 0 }),
    createdAt: Type.String({ description: 'ISO 8601, UTC.' }),
    updatedAt: Type.String(),
    deliveredAt: Type.Optional(Type.String()),
    xeroId: Type.Optional(Type.String({ description: 'What Xero created: its InvoiceID, PaymentID, TimesheetID or AttachmentID.' })),
    fileName: Type.Optional(Type.String({ description: 'An attachment\'s file name, as cleaned and sent to Xero.' })),
    xeroNumber: Type.Optional(Type.String()),
    ValidationErrors: Type.Optional(Type.Array(Type.String(), { description: 'Xero\'s own messages when it refused the document (status failed).' })),
    ...WAITING_FIELDS,
    lastError: Type.Optional(Type.String()),
    nextAttemptAt: Type.Optional(Type.String({ description: 'When a queued job that failed for a passing reason is tried again.' })),
  },
  { title: 'Job' },
);

/** The answer of `?wait=` once every job is final: 200 when all were delivered, 422 when Xero refused any. */
export const OutcomeSchema = Type.Object({ submissionId: Type.String(), jobs: Type.Array(JobSchema) }, { title: 'Outcome' });

/** A page of jobs. */
export const JobListSchema = Type.Object({ Jobs: Type.Array(JobSchema) }, { title: 'JobList' });

/** The reference data a device may read, and the list field each answers in. */
export const REFERENCE_KINDS = { accounts: 'Accounts', 'tax-rates': 'TaxRates', items: 'Items', contacts: 'Contacts', 'tracking-categories': 'TrackingCategories' } as const;

/** Reference data as Xero returns it, cached. */
export const ReferenceListSchema = Type.Object(
  {
    kind: OneOf(Object.keys(REFERENCE_KINDS) as Array<keyof typeof REFERENCE_KINDS>),
    fetchedAt: Type.String(),
    stale: Type.Boolean({ description: 'True when Xero could not be reached and an older copy is served.' }),
    ...Object.fromEntries(Object.values(REFERENCE_KINDS).map((name) => [name, Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { description: `For ${name}: the list, as Xero returns it.` }))])),
  },
  { title: 'ReferenceList' },
);

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `GET /status`, as services/status.ts builds it. */
export const StatusSchema = Type.Object(
  {
    device: Type.Object({
      deviceId: Type.String(),
      name: Type.String(),
      status: Type.String(),
      rights: Type.Array(OneOf(DEVICE_RIGHTS), { description: 'What the device may do beyond sending documents: reference (GET /reference), accounting.read and payroll.read (GET through /xero), write (other methods through /xero).' }),
    }),
    organisation: nullable(
      Type.Object({ id: Type.String(), name: Type.String(), xeroOrganisationId: Type.String(), shortCode: nullable(Type.String()), linkState: OneOf(['linked', 'needs_relink', 'disconnected'] as const), relinkReason: nullable(Type.String()) }),
    ),
    token: nullable(Type.Object({ expiresAt: nullable(Type.String()), authorizationExpiresAt: nullable(Type.String()), renewedAt: nullable(Type.String()) })),
    warnings: Type.Array(Type.String(), {
      description:
        "What someone should do, in sentences; empty when all is well. The same warnings the console's overview shows for the device's organisation: it must be linked again or was disconnected, documents need attention (refused by Xero, or held for a missing mapping), Xero's daily call budget is nearly spent, the queue has not moved for 30 minutes, the authorisation or the signing certificate ends soon.",
      examples: [['2 documents need attention for Harbourside Café.']],
    }),
  },
  { title: 'Status' },
);

/** `GET /organisation`, as domain/xero/organisation.ts reads it. */
export const OrganisationSchema = Type.Object(
  {
    organisationId: Type.String(),
    name: Type.String(),
    shortCode: Type.Optional(Type.String()),
    countryCode: Type.Optional(Type.String()),
    baseCurrency: Type.Optional(Type.String()),
    planClass: Type.Optional(Type.String({ description: "Xero's plan (`Class`), e.g. STARTER, which approves at most 20 sales invoices a month: send an end-of-shift summary rather than an invoice per sale." })),
    edition: Type.Optional(Type.String({ description: '`BUSINESS` or `PARTNER` (set up through an accountant; may have no invoicing).' })),
  },
  { title: 'Organisation', description: 'Read from Xero live.' },
);

/** `POST /pair`'s body. */
export const PairRequestSchema = Strict({ deviceId: Text(100, { description: 'The app\'s own device, hardware or licence id.' }), name: Type.Optional(Text(100)) }, { title: 'PairRequest' });

/** `POST /pair`'s answer. */
export const PairingSchema = Type.Object(
  {
    pairingId: Type.String(),
    userCode: Type.String({ examples: ['WDJB-MJHT'] }),
    verificationUri: Type.String(),
    verificationUriComplete: Type.String(),
    expiresIn: Type.Integer(),
    interval: Type.Integer(),
    tls: Type.Optional(
      Type.Object(
        {
          caSpkiSha256: Type.String({ examples: ['u9gG9T809w79U5hyL+9A5refAvgaDMiqn9tzcEnwmtU='], description: "The SHA-256 of the proxy CA's SubjectPublicKeyInfo, base64: every later connection's chain must end in this CA." }),
          caCertificate: Type.String({ description: 'The CA certificate (PEM), to trust as the only anchor; its SPKI SHA-256 is caSpkiSha256.' }),
        },
        { description: 'With HTTPS on (server.tls): the CA to pin. Shown on the settings page too, so a person can compare it with what the device shows.' },
      ),
    ),
  },
  { title: 'Pairing', description: 'RFC 8628 §3.2: show userCode or open verificationUriComplete, then poll POST /pair/token every `interval` seconds.' },
);

/** `POST /pair/token`'s body. */
export const PairTokenRequestSchema = Strict({ pairingId: Type.String() }, { title: 'PairTokenRequest' });

/** `POST /pair/token`'s answer once approved. */
export const PairingTokenSchema = Type.Object(
  { apiKey: Type.String({ examples: ['xpk_…'], description: 'Shown exactly once.' }), deviceId: Type.String(), organisation: Type.Object({ id: Type.String(), name: Type.String() }) },
  { title: 'PairingToken' },
);

/** `POST /pair/token`'s answer until then. */
export const PairingPendingSchema = Type.Object(
  {
    error: OneOf(['authorization_pending', 'slow_down', 'access_denied', 'expired_token', 'invalid_grant'] as const),
    error_description: Type.String(),
    interval: Type.Optional(Type.Integer()),
  },
  { title: 'PairingPending', description: 'RFC 8628 §3.5: keep polling on authorization_pending and slow_down; stop on the others.' },
);
