const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

const PATH_PARAMETER = {
  name: 'path',
  in: 'path',
  required: true,
  description: 'The rest of Xero\'s URL: `api.xro/2.0/…` (Accounting), `payroll.xro/1.0/…` (Payroll AU) or `payroll.xro/2.0/…` (Payroll UK, NZ and AU 2.0), e.g. `api.xro/2.0/Accounts?where=Type=="BANK"`. The query string goes to Xero as it is.',
  schema: { type: 'string', pattern: '^(api\\.xro/2\\.0|payroll\\.xro/1\\.0)/' },
};

const ANSWERS = {
  '200': { description: 'Xero\'s answer, as Xero sent it (status, Content-Type, body); JSON or XML as the Accept header asks Xero.', content: { 'application/json': { schema: {} }, 'application/xml': { schema: {} } } },
  '400': response('Invalid'),
  '401': response('Unauthorized'),
  '403': response('Forbidden'),
  '409': response('Conflict'),
  '413': response('TooLarge'),
  '429': response('RateLimited'),
  '502': response('Upstream'),
  '503': response('Unavailable'),
};

/** One operation of the pass-through; reads and writes need different rights. */
function operation(method: string, right: string): Record<string, unknown> {
  const read = method === 'get';
  return {
    operationId: `xero${method[0]!.toUpperCase()}${method.slice(1)}`,
    summary: read ? 'Read from the organisation\'s Xero API, paced with delivery' : `${method.toUpperCase()} to the organisation's Xero API (bypasses the queue)`,
    tags: ['xero'],
    description: read
      ? `Needs the device right \`${right}\`: \`accounting.read\` for api.xro/2.0/…, \`payroll.read\` for payroll.xro/1.0/… and payroll.xro/2.0/… (403 \`forbidden\` without it). The call is signed, its token renewed, and paced with the organisation's deliveries; when its turn does not come within a few seconds the answer is 429 with Retry-After.`
      : 'Needs the device right `write` (403 `forbidden` without it): a write here bypasses the queue\'s de-duplication and retries, so prefer the document endpoints. A body is at most 3,500,000 bytes, Xero\'s own limit.',
    parameters: [PATH_PARAMETER, ...(read ? [{ name: 'If-Modified-Since', in: 'header', description: 'Passed to Xero.', schema: { type: 'string' } }] : [])],
    ...(read ? {} : { requestBody: { required: false, content: { 'application/json': { schema: {} }, 'application/xml': { schema: {} } } } }),
    responses: ANSWERS,
  };
}

/** `/xero/{path}`: the pass-through to Xero's Accounting and Payroll APIs, with the rights each method needs. */
export function passThroughPaths(): Record<string, unknown> {
  return {
    '/xero/{path}': {
      get: operation('get', 'accounting.read or payroll.read'),
      post: operation('post', 'write'),
      put: operation('put', 'write'),
      delete: operation('delete', 'write'),
    },
  };
}
