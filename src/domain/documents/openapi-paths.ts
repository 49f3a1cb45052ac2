import { JOB_STATUSES, REFERENCE_KINDS } from './openapi-schemas';
import { DEVICE_SCAN_LIMITS } from '../../lib/body-scan/limits';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
/** JSON and XML bodies of the same schema: XML elements carry the JSON field names. */
const both = (name: string, examples?: { json: unknown; xml: string }) => ({
  'application/json': { schema: ref(name), ...(examples ? { example: examples.json } : {}) },
  'application/xml': { schema: ref(name), ...(examples ? { example: examples.xml } : {}) },
});
const COMMON_ERRORS = { '401': response('Unauthorized'), '429': response('RateLimited'), '503': response('Unavailable') };

const { maxDepth, maxNodes, maxValues, maxTextBytes } = DEVICE_SCAN_LIMITS;
/** What the scan of a body as it arrives refuses, in words for the description. */
const BODY_SHAPE_LIMITS =
  `it may nest at most ${maxDepth} deep and hold at most ${maxNodes.toLocaleString('en')} XML elements and attributes or ${maxValues.toLocaleString('en')} JSON values, ` +
  `no string or text longer than ${maxTextBytes.toLocaleString('en')} bytes and no DOCTYPE or other XML declaration; a body that does not is refused with 400 while it arrives, before it is parsed.`;

/** The path item of a document route: POST the document, get 202 and its jobs (or wait for Xero). */
export function documentPaths(entry: { operationId: string; summary: string; schemaName: string; example: { json: unknown; xml: string } }): Record<string, unknown> {
  return {
    post: {
      operationId: entry.operationId,
      summary: entry.summary,
      tags: ['documents'],
      description: `Validated completely before anything is stored: a 400 lists every problem. A body is at most 1,000,000 bytes of UTF-8; ${BODY_SHAPE_LIMITS}`,
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Send the same key when repeating a request whose answer was lost: the first answer comes back and nothing is queued twice. The same key with another body is 422.',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
        },
        { name: 'wait', in: 'query', description: 'Seconds (0–60) to wait for Xero\'s outcome before answering: 200 when every job was delivered, 422 when Xero refused any, else 202.', schema: { type: 'integer', minimum: 0, maximum: 60, default: 0 } },
      ],
      requestBody: { required: true, content: both(entry.schemaName, entry.example) },
      responses: {
        '200': { description: 'With `wait`: every job was delivered to Xero.', content: both('Outcome') },
        '202': {
          description: 'Accepted and stored durably; Xero may not have it yet. Follow the jobs.',
          headers: { Location: { description: 'The first job: /api/v1/jobs/{id}.', schema: { type: 'string' } } },
          content: both('Accepted'),
        },
        '400': response('Invalid'),
        '409': response('Conflict'),
        '422': { description: 'With `wait`: Xero refused a document (its job has ValidationErrors). Or: the Idempotency-Key was used with another body.', content: both('Outcome') },
        ...COMMON_ERRORS,
      },
    },
  };
}

/** Every other route: jobs, reference data, status and pairing. */
export function servicePaths(): Record<string, unknown> {
  return {
    '/jobs': {
      get: {
        operationId: 'listJobs',
        summary: 'This device\'s jobs',
        tags: ['jobs'],
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...JOB_STATUSES] } },
          { name: 'since', in: 'query', description: 'Only jobs changed since this ISO 8601 moment.', schema: { type: 'string' } },
          { name: 'documentId', in: 'query', description: "Only the jobs of the document the app sent with this DocumentId (or shiftId); a shift's summary invoice and its payments share it.", schema: { type: 'string', maxLength: 255 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        ],
        responses: { '200': { description: 'A page of jobs.', content: both('JobList') }, '400': response('Invalid'), ...COMMON_ERRORS },
      },
    },
    '/jobs/{id}': {
      get: {
        operationId: 'getJob',
        summary: 'One job: its status, attempts, what Xero created or why it failed',
        tags: ['jobs'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The job.', content: both('Job') }, '404': response('NotFound'), ...COMMON_ERRORS },
      },
    },
    '/reference/{kind}': {
      get: {
        operationId: 'getReference',
        summary: 'Reference data of the device\'s organisation (accounts, tax rates, …), as Xero returns it',
        tags: ['device'],
        parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: Object.keys(REFERENCE_KINDS) } }],
        description: 'Needs the device right `reference` (403 `forbidden` without it).',
        responses: { '200': { description: 'The list, from a cache refreshed hourly; `stale` when Xero could not be reached or its turn at Xero did not come within a few seconds.', content: both('ReferenceList') }, '403': response('Forbidden'), '404': response('NotFound'), '409': response('Conflict'), ...COMMON_ERRORS },
      },
    },
    '/status': {
      get: {
        operationId: 'getStatus',
        summary: 'The device, its organisation, the link state and token expiry',
        tags: ['device'],
        responses: { '200': { description: 'The status; `warnings` says what someone should do.', content: both('Status') }, ...COMMON_ERRORS },
      },
    },
    '/organisation': {
      get: {
        operationId: 'getOrganisation',
        summary: 'Read the device\'s organisation from Xero, live (a "test connection" button)',
        tags: ['device'],
        responses: { '200': { description: 'The organisation.', content: both('Organisation') }, '409': response('Conflict'), '502': response('Upstream'), ...COMMON_ERRORS },
      },
    },
    '/pair': {
      post: {
        operationId: 'startPairing',
        summary: 'Start linking this device (RFC 8628 device flow)',
        tags: ['pairing'],
        security: [],
        requestBody: { required: true, content: both('PairRequest') },
        responses: { '200': { description: 'A pairing to show and poll.', content: both('Pairing') }, '400': response('Invalid'), '429': response('RateLimited') },
      },
    },
    '/pair/token': {
      post: {
        operationId: 'pollPairing',
        summary: 'Poll a pairing; once approved, collect the API key (exactly once)',
        tags: ['pairing'],
        security: [],
        requestBody: { required: true, content: both('PairTokenRequest') },
        responses: {
          '200': { description: 'Approved: the device\'s API key.', content: both('PairingToken') },
          '400': { description: 'Not (or no longer) approvable, RFC 8628 §3.5 style.', content: both('PairingPending') },
        },
      },
    },
  };
}
