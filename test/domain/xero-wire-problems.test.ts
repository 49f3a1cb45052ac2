import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeForm } from '../../src/domain/oauth1/form-encoding';
import { signRequest } from '../../src/domain/oauth1/sign-request';
import { privateAppAccess, signingCredentials, type XeroConsumer } from '../../src/domain/xero/credentials';
import { elementOutcomes } from '../../src/domain/xero/element-outcomes';
import type { XeroRequest } from '../../src/domain/xero/http';
import { parseXeroProblem } from '../../src/domain/xero/problem';
import { send, type Transport } from '../../src/domain/xero/send';
import { XeroError, xeroProblemError } from '../../src/domain/xero/xero-error';
import { Secret } from '../../src/lib/secret';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { registerApp, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const HARBOURSIDE = DEMO_ORGANISATIONS[0]!;
const transport = fetch as Transport;

interface Context {
  sb: TestSandbox;
  consumer: XeroConsumer;
}

const GOOD = { Type: 'ACCREC', Contact: { Name: 'Wire Test Customer' }, Reference: 'WIRE-GOOD', Status: 'DRAFT', LineItems: [{ Description: 'Coffee', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' }] };
const BAD = { ...GOOD, Reference: 'WIRE-BAD', LineItems: [{ Description: 'Coffee', Quantity: 1, UnitAmount: 4.5, AccountCode: '999', TaxType: 'OUTPUT' }] };
const xmlInvoice = (reference: string, accountCode: string) =>
  `<Invoice><Type>ACCREC</Type><Contact><Name>Wire Test Customer</Name></Contact><Reference>${reference}</Reference><Status>DRAFT</Status><LineItems><LineItem><Description>Coffee</Description><Quantity>1</Quantity><UnitAmount>4.50</UnitAmount><AccountCode>${accountCode}</AccountCode><TaxType>OUTPUT</TaxType></LineItem></LineItems></Invoice>`;

/** A signed Accounting API call for the private app; a JSON body is not signed, a form body is. */
function apiRequest(context: Context, method: XeroRequest['method'], path: string, body?: { json?: unknown; xmlForm?: string; accept?: string }): XeroRequest {
  const url = `${context.sb.url}/api.xro/2.0${path}`;
  const form = body?.xmlForm === undefined ? undefined : encodeForm([['xml', body.xmlForm]]);
  const credentials = signingCredentials(context.consumer, privateAppAccess(context.consumer));
  const { authorization } = signRequest({ method, url, credentials, now: context.sb.sandbox.deps.clock.now(), ...(form !== undefined ? { form } : {}) });
  const headers: Record<string, string> = { Authorization: authorization, Accept: body?.accept ?? 'application/json' };
  if (body?.json !== undefined) return { method, url, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body.json) };
  if (form !== undefined) return { method, url, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form };
  return { method, url, headers };
}

const control = (sb: TestSandbox, method: string, path: string, body?: unknown) =>
  fetch(`${sb.url}/sandbox/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

const wire = suite<Context>('xero problems over the wire (sandbox)');

wire.before(async (context) => {
  context.sb = await startTestSandbox();
  const app = await registerApp(context.sb.url, 'private', { organisationId: HARBOURSIDE.id });
  context.consumer = { consumerKey: app.consumerKey, privateKeyPem: new Secret(TEST_PRIVATE_KEY), signatureMethod: 'RSA-SHA1' };
});
wire.after(async ({ sb }) => sb.stop());

wire('the minute limit is rate_limited with the sandbox Retry-After and limit name', async (context) => {
  assert.is((await control(context.sb, 'PUT', 'limits', { perMinute: 1 })).status, 200);
  try {
    assert.is((await send(transport, apiRequest(context, 'GET', '/Organisation'))).status, 200);
    const limited = await send(transport, apiRequest(context, 'GET', '/Organisation'));
    const problem = parseXeroProblem(limited);
    assert.equal([limited.status, problem.kind, problem.retryable, problem.rateLimitProblem, problem.oauthProblem], [503, 'rate_limited', true, 'Minute', 'rate limit exceeded']);
    assert.is(problem.retryAfterSeconds, Number(limited.headers['retry-after']));
    assert.ok(problem.retryAfterSeconds! >= 1 && problem.retryAfterSeconds! <= 60);
    assert.is(problem.message, `Xero's per-minute rate limit was exceeded; try again in ${problem.retryAfterSeconds} second${problem.retryAfterSeconds === 1 ? '' : 's'}.`);
    assert.is(xeroProblemError(problem).code, 'unavailable');
  } finally {
    await control(context.sb, 'PUT', 'limits', { perMinute: 60, perDay: 5000, concurrency: 5 });
  }
});

wire('an organisation set offline is organisation_offline and retryable', async (context) => {
  await control(context.sb, 'PUT', 'faults', { offlineOrganisations: [HARBOURSIDE.id] });
  try {
    const problem = parseXeroProblem(await send(transport, apiRequest(context, 'GET', '/Organisation')));
    assert.equal([problem.kind, problem.retryable, problem.status], ['organisation_offline', true, 503]);
    assert.is(problem.message, 'The Xero organisation is temporarily offline. Xero said: "the organisation is temporarily offline".');
  } finally {
    await control(context.sb, 'DELETE', 'faults');
  }
});

wire('an unknown invoice is not_found and POST Organisation is not_implemented', async (context) => {
  const missing = parseXeroProblem(await send(transport, apiRequest(context, 'GET', '/Invoices/00000000-0000-0000-0000-00000000abcd')));
  assert.equal([missing.kind, missing.retryable, missing.message], ['not_found', false, 'Xero could not find what was asked for. Xero said: "The resource you\'re looking for cannot be found".']);
  for (const accept of ['application/json', 'application/xml']) {
    const unsupported = parseXeroProblem(await send(transport, apiRequest(context, 'POST', '/Organisation', { json: {}, accept })));
    assert.equal([unsupported.kind, unsupported.message], ['not_implemented', 'Xero does not support this request. Xero said: "The Api Method called is not implemented".'], accept);
  }
});

wire('a summarised batch failure is validation with Xero\'s message, in JSON and XML', async (context) => {
  const json = parseXeroProblem(await send(transport, apiRequest(context, 'PUT', '/Invoices', { json: { Invoices: [BAD] } })));
  assert.equal(json, {
    kind: 'validation',
    retryable: false,
    status: 400,
    validationErrors: [{ message: "Account code '999' is not a valid code for this document.", element: 0 }],
    message: "Xero rejected the data as invalid. Element 1: Account code '999' is not a valid code for this document.",
  });
  const xml = parseXeroProblem(await send(transport, apiRequest(context, 'PUT', '/Invoices', { xmlForm: `<Invoices>${xmlInvoice('WIRE-BAD-XML', '999')}</Invoices>`, accept: 'application/xml' })));
  assert.equal(xml.validationErrors, json.validationErrors, 'XML and JSON carry the same errors');
});

wire('summarizeErrors=false maps each element to its outcome by index, in JSON and XML', async (context) => {
  const json = elementOutcomes(await send(transport, apiRequest(context, 'PUT', '/Invoices?summarizeErrors=false', { json: { Invoices: [GOOD, BAD, { ...GOOD, Reference: 'WIRE-GOOD-2' }] } })), 'Invoices');
  assert.equal(json.map((o) => [o.index, o.status, o.item['Reference']]), [[0, 'OK', 'WIRE-GOOD'], [1, 'ERROR', 'WIRE-BAD'], [2, 'OK', 'WIRE-GOOD-2']]);
  assert.match(json[1]!.validationErrors.join(' '), /999/);
  assert.ok(typeof json[0]!.item['InvoiceID'] === 'string' && json[0]!.validationErrors.length === 0);

  const xml = elementOutcomes(
    await send(transport, apiRequest(context, 'PUT', '/Invoices?summarizeErrors=false', { xmlForm: `<Invoices>${xmlInvoice('WIRE-X-BAD', '999')}${xmlInvoice('WIRE-X-GOOD', '200')}</Invoices>`, accept: 'application/xml' })),
    'Invoices',
  );
  assert.equal(xml.map((o) => [o.index, o.status, o.item['Reference']]), [[0, 'ERROR', 'WIRE-X-BAD'], [1, 'OK', 'WIRE-X-GOOD']]);
  assert.equal(xml[0]!.validationErrors, json[1]!.validationErrors);
});

wire('a failed batch answer is thrown as its problem by elementOutcomes', async (context) => {
  const response = await send(transport, apiRequest(context, 'PUT', '/Invoices', { json: { Invoices: [BAD] } }));
  try {
    elementOutcomes(response, 'Invoices');
    assert.unreachable('expected a XeroError');
  } catch (error) {
    assert.instance(error, XeroError);
    assert.equal([(error as XeroError).code, (error as XeroError).problem?.kind], ['upstream', 'validation']);
  }
});

wire('a connection dropped after Xero committed a write is delivery "unknown", and the write exists', async (context) => {
  await control(context.sb, 'PUT', 'faults', { dropAfterCommitRate: 1 });
  try {
    await send(transport, apiRequest(context, 'PUT', '/Invoices', { json: { Invoices: [{ ...GOOD, Reference: 'WIRE-DROPPED' }] } }));
    assert.unreachable('expected the connection to drop');
  } catch (error) {
    assert.instance(error, XeroError);
    assert.equal([(error as XeroError).code, (error as XeroError).delivery, (error as XeroError).retryable], ['unavailable', 'unknown', true]);
    assert.match((error as XeroError).message, /it may have reached Xero\.$/);
  } finally {
    await control(context.sb, 'DELETE', 'faults');
  }
  const ledger = (await (await fetch(`${context.sb.url}/sandbox/ledger?organisationId=${HARBOURSIDE.id}&type=Invoice`)).json()) as { documents: Array<{ reference: string }> };
  assert.ok(ledger.documents.some((d) => d.reference === 'WIRE-DROPPED'), 'Xero saved it although the caller saw a failure');
});

wire('an injected 500 and 503 are retryable server_error and unavailable', async (context) => {
  for (const [status, kind] of [['500', 'server_error'], ['503', 'unavailable']] as const) {
    await control(context.sb, 'PUT', 'faults', { errorRates: { [status]: 1 } });
    try {
      const problem = parseXeroProblem(await send(transport, apiRequest(context, 'GET', '/Organisation')));
      assert.equal([problem.status, problem.kind, problem.retryable], [Number(status), kind, true]);
      assert.is(xeroProblemError(problem).code, 'unavailable');
    } finally {
      await control(context.sb, 'DELETE', 'faults');
    }
  }
});

wire.run();
