import { Type, type TSchema } from '@sinclair/typebox';
import { OneOf, Strict, Text } from './fields';

/**
 * The device API's answers, as schemas for its OpenAPI description. The request documents'
 * schemas live beside their types (invoices.ts, …); these describe what the routes answer.
 */

const ERROR_CODES = ['invalid', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'rate_limited', 'upstream', 'unavailable', 'internal'] as const;

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: OneOf(ERROR_CODES, { description: 'Stable; decide on this, not on the message. 400 invalid, 401 unauthorized, 403 forbidden, 404 not_found, 409 conflict, 429 rate_limited, 502 upstream, 503 unavailable, 500 internal.' }),
      message: Type.String({ description: 'A complete sentence that is safe to show a person.' }),
      field: Type.Optional(Type.String({ description: 'The field concerned, e.g. Invoices[2].LineItems[0].UnitAmount, or body.' })),
      hint: Type.Optional(Type.String({ description: 'What to do about it, e.g. the command that makes a missing mapping.' })),
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

const JOB_KINDS = ['invoice', 'payment', 'pos-shift', 'timesheet', 'wage-bill'] as const;
const JOB_STATUSES = ['queued', 'delivering', 'retrying', 'delivered', 'failed'] as const;

export const JobRefSchema = Type.Object({
  id: Type.String({ examples: ['job_01HZX3…'] }),
  kind: OneOf(JOB_KINDS),
  documentId: Type.Optional(Type.String({ description: 'The DocumentId (or shiftId) the app gave.' })),
  status: OneOf(JOB_STATUSES),
  url: Type.String({ description: 'Where to follow the job: /api/v1/jobs/{id}.' }),
});

export const AcceptedSchema = Type.Object(
  { jobs: Type.Array(JobRefSchema, { description: 'One job per document, in the order sent. A document this device sent before with the same id is not queued again: its existing job is listed.' }) },
  { title: 'Accepted' },
);

export const JobSchema = Type.Object(
  {
    ...JobRefSchema.properties,
    attempts: Type.Integer({ minimum: 0 }),
    createdAt: Type.String({ description: 'ISO 8601, UTC.' }),
    updatedAt: Type.String(),
    nextAttemptAt: Type.Optional(Type.String({ description: 'When a retrying job is tried again.' })),
    xero: Type.Optional(Type.Object({ id: Type.Optional(Type.String()), number: Type.Optional(Type.String()) }, { description: 'What Xero created: its id and number.' })),
    error: Type.Optional(ErrorSchema.properties.error),
  },
  { title: 'Job' },
);

export const JobListSchema = Type.Object({ jobs: Type.Array(JobSchema), next: Type.Optional(Type.String({ description: 'Pass as `after` for the next page.' })) }, { title: 'JobList' });

export const REFERENCE_KINDS = ['accounts', 'tax-rates', 'tracking-categories', 'contacts', 'items', 'employees', 'earnings-rates', 'payroll-calendars'] as const;

export const ReferenceListSchema = Type.Object(
  { kind: OneOf(REFERENCE_KINDS), items: Type.Array(Type.Object({}, { additionalProperties: true, description: 'As Xero returns it (Account, TaxRate, …).' })), refreshedAt: Type.Optional(Type.String()) },
  { title: 'ReferenceList' },
);

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const StatusSchema = Type.Object(
  {
    device: Type.Object({ deviceId: Type.String(), name: Type.String(), status: Type.String() }),
    organisation: nullable(
      Type.Object({ id: Type.String(), name: Type.String(), xeroOrganisationId: Type.String(), shortCode: nullable(Type.String()), linkState: OneOf(['linked', 'needs_relink', 'disconnected'] as const), relinkReason: nullable(Type.String()) }),
    ),
    token: nullable(Type.Object({ expiresAt: nullable(Type.String()), authorizationExpiresAt: nullable(Type.String()), renewedAt: nullable(Type.String()) })),
    warnings: Type.Array(Type.String(), { description: 'What someone should do, in sentences; empty when all is well.' }),
  },
  { title: 'Status' },
);

export const PairRequestSchema = Strict({ deviceId: Text(100, { description: 'The app\'s own device, hardware or licence id.' }), name: Type.Optional(Text(100)) }, { title: 'PairRequest' });

export const PairingSchema = Type.Object(
  { pairingId: Type.String(), userCode: Type.String({ examples: ['WDJB-MJHT'] }), verificationUri: Type.String(), verificationUriComplete: Type.String(), expiresIn: Type.Integer(), interval: Type.Integer() },
  { title: 'Pairing', description: 'RFC 8628 §3.2: show userCode or open verificationUriComplete, then poll POST /pair/token every `interval` seconds.' },
);

export const PairTokenRequestSchema = Strict({ pairingId: Type.String() }, { title: 'PairTokenRequest' });

export const PairingTokenSchema = Type.Object(
  { apiKey: Type.String({ examples: ['xpk_…'], description: 'Shown exactly once.' }), deviceId: Type.String(), organisation: Type.Object({ id: Type.String(), name: Type.String() }) },
  { title: 'PairingToken' },
);

export const PairingPendingSchema = Type.Object(
  {
    error: OneOf(['authorization_pending', 'slow_down', 'access_denied', 'expired_token', 'invalid_grant'] as const),
    error_description: Type.String(),
    interval: Type.Optional(Type.Integer()),
  },
  { title: 'PairingPending', description: 'RFC 8628 §3.5: keep polling on authorization_pending and slow_down; stop on the others.' },
);
