import { REFERENCE_KINDS } from './openapi-schemas';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
/** JSON and XML bodies of the same schema: XML elements carry the JSON field names. */
const both = (name: string, examples?: { json: unknown; xml: string }) => ({
  'application/json': { schema: ref(name), ...(examples ? { example: examples.json } : {}) },
  'application/xml': { schema: ref(name), ...(examples ? { example: examples.xml } : {}) },
});
const COMMON_ERRORS = { '401': response('Unauthorized'), '429': response('RateLimited'), '503': response('Unavailable') };

/** The path item of a document route: POST the document, get 202 and its jobs. */
export function documentPaths(entry: { operationId: string; summary: string; schemaName: string; example: { json: unknown; xml: string } }): Record<string, unknown> {
  return {
    post: {
      operationId: entry.operationId,
      summary: entry.summary,
      tags: ['documents'],
      description: 'Validated completely before anything is queued: a 400 lists every problem. A body is at most 1,000,000 bytes of UTF-8.',
      requestBody: { required: true, content: both(entry.schemaName, entry.example) },
      responses: {
        '202': {
          description: 'Accepted and stored durably; Xero has not been called yet. Follow the jobs.',
          headers: { Location: { description: 'The first job: /api/v1/jobs/{id}.', schema: { type: 'string' } } },
          content: both('Accepted'),
        },
        '400': response('Invalid'),
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
        summary: 'This device\'s jobs, newest first',
        tags: ['jobs'],
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'delivering', 'retrying', 'delivered', 'failed'] } },
          { name: 'kind', in: 'query', schema: { type: 'string', enum: ['invoice', 'payment', 'pos-shift', 'timesheet', 'wage-bill'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
          { name: 'after', in: 'query', description: 'The `next` of the previous page.', schema: { type: 'string' } },
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
        parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: [...REFERENCE_KINDS] } }],
        responses: { '200': { description: 'The list.', content: both('ReferenceList') }, '404': response('NotFound'), ...COMMON_ERRORS },
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
