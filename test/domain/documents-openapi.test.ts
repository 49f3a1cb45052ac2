import { Value } from '@sinclair/typebox/value';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DOCUMENT_KINDS, type DocumentKind } from '../../src/domain/documents/kinds';
import { openApiDocument } from '../../src/domain/documents/openapi';
import { DOCUMENT_EXAMPLES } from '../../src/domain/documents/openapi-examples';
import { AcceptedSchema, ErrorSchema, JobRefSchema, JobSchema, JOB_KINDS, JOB_STATUSES } from '../../src/domain/documents/openapi-schemas';
import { jobView } from '../../src/api/routes/jobs';
import type { SubmitAnswer } from '../../src/services/submit';
import type { Job, JobKind, JobStatus } from '../../src/store/jobs';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { isAppError } from '../../src/lib/errors';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ROUTES: Record<DocumentKind, string> = { invoices: '/invoices', 'credit-notes': '/credit-notes', payments: '/payments', 'pos-shift': '/pos/shifts', timesheets: '/payroll/timesheets', 'wage-bill': '/payroll/wage-bills' };

const doc = openApiDocument({ version: '0.1.0', serverUrl: 'http://proxy.lan:8080' });
/** What a client downloads: the document as JSON, symbols and functions gone. */
const published = JSON.parse(JSON.stringify(doc)) as Json;

/** Resolves a local `$ref` (`#/components/…`, RFC 6901) in `root`, or undefined. */
function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Json)[key] : undefined), root);
}

/** Every object in a JSON value, with its path. */
function* objects(value: unknown, path = '#'): Generator<[Json, string]> {
  if (Array.isArray(value)) for (const [index, entry] of value.entries()) yield* objects(entry, `${path}/${index}`);
  else if (value !== null && typeof value === 'object') {
    yield [value as Json, path];
    for (const [key, entry] of Object.entries(value)) yield* objects(entry, `${path}/${key}`);
  }
}

const deref = (node: unknown): Json => {
  const ref = (node as Json)['$ref'];
  return (typeof ref === 'string' ? resolve(published, ref) : node) as Json;
};
const operations = () =>
  Object.entries(published['paths'] as Json).flatMap(([path, item]) => Object.entries(item as Json).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op: op as Json })));

const structure = suite('documents.openApiDocument structure');

structure('is OpenAPI 3.1 with info, a server under /api/v1 and the bearer scheme for xpk_ keys', () => {
  assert.is(published['openapi'], '3.1.0');
  assert.equal((published['info'] as Json)['version'], '0.1.0');
  assert.type((published['info'] as Json)['title'], 'string');
  assert.equal(published['servers'], [{ url: 'http://proxy.lan:8080/api/v1' }]);
  const schemes = (published['components'] as Json)['securitySchemes'] as Json;
  assert.equal({ ...(schemes['deviceKey'] as Json), description: undefined }, { type: 'http', scheme: 'bearer', bearerFormat: 'xpk_…', description: undefined });
  assert.equal(published['security'], [{ deviceKey: [] }]);
});

structure('every $ref resolves, inside the published JSON', () => {
  let count = 0;
  for (const [node, at] of objects(published)) {
    if (typeof node['$ref'] !== 'string') continue;
    count++;
    assert.ok(resolve(published, node['$ref']) !== undefined, `${at}: ${node['$ref']} does not resolve`);
  }
  assert.ok(count > 30, `only ${count} references`);
});

structure('every operation has a unique operationId, responses with descriptions, and its path parameters', () => {
  const ids = new Set<string>();
  const found = operations();
  assert.equal(found.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort(), [
    'DELETE /xero/{path}',
    'GET /jobs', 'GET /jobs/{id}', 'GET /organisation', 'GET /reference/{kind}', 'GET /status', 'GET /xero/{path}', 'POST /attachments', 'POST /credit-notes', 'POST /invoices', 'POST /pair', 'POST /pair/token', 'POST /payments', 'POST /payroll/timesheets', 'POST /payroll/wage-bills', 'POST /pos/shifts',
    'POST /xero/{path}', 'PUT /xero/{path}',
  ]);
  for (const { path, method, op } of found) {
    const name = `${method} ${path}`;
    assert.type(op['operationId'], 'string', name);
    assert.not.ok(ids.has(op['operationId'] as string), `${name}: operationId repeats`);
    ids.add(op['operationId'] as string);
    const responses = Object.entries((op['responses'] ?? {}) as Json);
    assert.ok(responses.length > 0, `${name} has no responses`);
    for (const [status, response] of responses) {
      assert.match(status, /^([1-5]\d\d|default)$/, name);
      assert.type(deref(response)['description'], 'string', `${name} ${status}`);
    }
    const declared = ((op['parameters'] ?? []) as Json[]).filter((parameter) => parameter['in'] === 'path');
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    assert.equal(declared.map((parameter) => parameter['name']), inPath, `${name}: path parameters`);
    for (const parameter of declared) assert.is(parameter['required'], true, name);
    for (const requirement of (op['security'] ?? []) as Json[]) for (const scheme of Object.keys(requirement)) assert.ok(scheme in ((published['components'] as Json)['securitySchemes'] as Json));
  }
});

structure('document routes answer 202 with jobs and a Location; pairing needs no key', () => {
  for (const route of Object.values(ROUTES)) {
    const post = ((published['paths'] as Json)[route] as Json)['post'] as Json;
    const accepted = (post['responses'] as Json)['202'] as Json;
    assert.ok((accepted['headers'] as Json)['Location'], route);
    assert.equal((accepted['content'] as Json)['application/json'], { schema: { $ref: '#/components/schemas/Accepted' } });
    assert.equal(deref((post['responses'] as Json)['400']), deref({ $ref: '#/components/responses/Invalid' }));
  }
  for (const route of ['/pair', '/pair/token']) assert.equal((((published['paths'] as Json)[route] as Json)['post'] as Json)['security'], []);
});

structure('POST /attachments takes JSON with base64 or a multipart form, answers 202 with its job, and says its limits', () => {
  const post = ((published['paths'] as Json)['/attachments'] as Json)['post'] as Json;
  const content = (post['requestBody'] as Json)['content'] as Json;
  assert.equal(Object.keys(content), ['application/json', 'multipart/form-data']);
  assert.equal(deref((content['application/json'] as Json)['schema'])['required'], ['FileName', 'MimeType', 'Content']);
  assert.equal(deref((content['multipart/form-data'] as Json)['schema'])['required'], ['file']);
  assert.ok((((post['responses'] as Json)['202'] as Json)['headers'] as Json)['Location']);
  assert.equal(deref((post['responses'] as Json)['413']), deref({ $ref: '#/components/responses/TooLarge' }));
  assert.match(post['description'] as string, 'at most 10 MB, at most 10 a document');
});

structure('the component schemas are sound JSON Schema: known types, required names defined, patterns that compile with the u flag', () => {
  const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
  for (const [node, at] of objects((published['components'] as Json)['schemas'])) {
    if (typeof node['type'] === 'string' && !at.endsWith('/properties')) assert.ok(TYPES.includes(node['type']), `${at}: type ${node['type']}`);
    if (Array.isArray(node['required'])) for (const name of node['required']) assert.ok(Object.hasOwn((node['properties'] ?? {}) as Json, name), `${at}: required ${name} is not a property`);
    if (typeof node['pattern'] === 'string' && !at.endsWith('/properties')) new RegExp(node['pattern'], 'u');
    if (Array.isArray(node['anyOf'])) assert.ok(node['anyOf'].length > 0, at);
  }
});

const sameSchemas = suite('documents.openApiDocument schemas');

sameSchemas('each document route\'s JSON and XML bodies are the very schema objects the validator uses', () => {
  for (const [kind, route] of Object.entries(ROUTES) as Array<[DocumentKind, string]>) {
    const content = (((((doc['paths'] as Json)[route] as Json)['post'] as Json)['requestBody'] as Json)['content']) as Json;
    for (const type of ['application/json', 'application/xml']) {
      const schema = resolve(doc, ((content[type] as Json)['schema'] as Json)['$ref'] as string);
      assert.ok(schema === DOCUMENT_KINDS[kind].schema, `${route} ${type} is not the validator's schema object`);
    }
  }
});

sameSchemas('the published examples are accepted, and each XML example reads as its JSON one', () => {
  for (const kind of Object.keys(ROUTES) as DocumentKind[]) {
    const { json, xml } = DOCUMENT_EXAMPLES[kind];
    const fromJson = parseDocument(kind, { contentType: 'application/json', bytes: new TextEncoder().encode(JSON.stringify(json)) });
    assert.equal(fromJson, json, kind);
    assert.equal(parseDocument(kind, { contentType: 'application/xml', bytes: new TextEncoder().encode(xml) }), json, `${kind} XML`);
  }
});

sameSchemas('the error the validator throws fits the published Error schema', () => {
  try {
    parseDocument('invoices', { contentType: 'application/xml', bytes: new TextEncoder().encode('<Invoices><Invoice><Type>X</Type></Invoice></Invoices>') });
    assert.unreachable('should have been refused');
  } catch (error) {
    if (!isAppError(error)) throw error;
    const body = { error: { code: error.code, message: error.message, field: error.field, details: error.details } };
    assert.ok(Value.Check(ErrorSchema, body), JSON.stringify([...Value.Errors(ErrorSchema, body)].map((e) => `${e.path} ${e.message}`)));
    assert.is(error.details?.[0]?.line, 1);
  }
});

sameSchemas('the job answers the routes build fit the published Accepted and Job schemas, with no field left undocumented', () => {
  // Type-level: every kind and status the store knows is published.
  const kinds: readonly JobKind[] = JOB_KINDS;
  const statuses: readonly JobStatus[] = JOB_STATUSES;
  assert.ok(kinds.length > 0 && statuses.length > 0);
  const strict = <T extends object>(schema: T) => ({ ...schema, additionalProperties: false });
  const job: Job = {
    id: 'job_1', submissionId: 'sub_1', organisationId: 'org_1', deviceId: 'dev_1', kind: 'invoice', documentKey: 'XP-7K3M9Q2WZ4AB', payload: {}, dependsOn: null, status: 'dead',
    heldReason: 'The organisation must be linked again.', attempts: 3, notBefore: '2026-11-28T06:00:00.000Z', leaseUntil: null, outcomeUnknown: false, xeroId: 'a1b2', xeroNumber: 'INV-0042',
    result: null, errors: ['Account code \'999\' is not a valid code for this document.'], lastError: 'Xero answered 503.', createdAt: '2026-11-28T05:00:00.000Z', updatedAt: '2026-11-28T06:00:00.000Z', deliveredAt: '2026-11-28T06:00:01.000Z',
    documentId: 'T4-0042', contentHash: 'ab12', cancelReason: null, contentErasedAt: null, cause: 'account_invalid', causeDetail: { accountCode: '999' },
  };
  const missing = [{ kind: 'category' as const, name: 'Gelato', field: 'sales[0].category', message: 'has no account mapped for sales category "Gelato"' }];
  const waiting: Job = { ...job, status: 'held', deliveredAt: null, xeroId: null, xeroNumber: null, errors: null, heldReason: 'Waiting for a mapping.', cause: 'mapping_missing', causeDetail: { missing } };
  assert.equal(jobView(waiting)['missing'], missing);
  for (const view of [jobView(job), jobView({ ...job, status: 'queued', deliveredAt: null, xeroId: null, xeroNumber: null, errors: null, heldReason: null, documentId: null }), jobView(waiting)]) {
    assert.ok(Value.Check(strict(JobSchema), view), JSON.stringify([...Value.Errors(strict(JobSchema), view)].map((e) => `${e.path} ${e.message}`)));
  }
  const accepted: SubmitAnswer['body'] = { submissionId: 'sub_1', jobs: [{ id: 'job_1', kind: 'payment', documentKey: 'XP-1', status: 'queued', duplicateOf: 'job_0' }] };
  assert.ok(Value.Check(strict(AcceptedSchema), accepted));
  assert.ok(Value.Check(strict(JobRefSchema), accepted.jobs[0]));
  const held: SubmitAnswer['body'] = { submissionId: 'sub_2', jobs: [{ id: 'job_2', kind: 'invoice', documentKey: 'XP-2', status: 'held', cause: 'mapping_missing', heldReason: 'Waiting for a mapping.', missing }] };
  assert.ok(Value.Check(strict(JobRefSchema), held.jobs[0]), JSON.stringify([...Value.Errors(strict(JobRefSchema), held.jobs[0])].map((e) => `${e.path} ${e.message}`)));
});

structure.run();
sameSchemas.run();
