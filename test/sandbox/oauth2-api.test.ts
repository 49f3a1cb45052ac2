import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { bearerFetch, linkWebApp, registerOAuth2App, tokenRequest, type TestOAuth2App } from '../helpers/oauth2-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const [HARBOURSIDE, RIVERBEND, KAURI] = DEMO_ORGANISATIONS as [(typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0], (typeof DEMO_ORGANISATIONS)[0]];

const api = suite<{ sb: TestSandbox; web: TestOAuth2App }>('oauth2.bearerApi');

api.before(async (context) => {
  context.sb = await startTestSandbox();
  context.web = await registerOAuth2App(context.sb, { type: 'web' });
});
api.after(async (context) => {
  await context.sb.stop();
});

const detail = async (response: Response): Promise<unknown> => ((await response.json()) as Record<string, unknown>)['Detail'];
const invoice = (reference: string) =>
  JSON.stringify({ Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, Reference: reference, LineItems: [{ Description: 'Coffee', Quantity: 1, UnitAmount: 5.5, AccountCode: '200', TaxType: 'OUTPUT' }] }] });
const putInvoice = (sb: TestSandbox, token: string, body: string, key?: string) =>
  bearerFetch(sb, '/api.xro/2.0/Invoices', token, HARBOURSIDE.id, { method: 'PUT', body, headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) } });

api('a grant over two organisations: each answers with its own tenant header; a tenant outside the grant or none is 403 AuthenticationUnsuccessful', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id, RIVERBEND.id]))['access_token'] as string;
  for (const org of [HARBOURSIDE, RIVERBEND]) {
    const response = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, org.id);
    assert.is(response.status, 200);
    const body = (await response.json()) as { Organisations: Array<{ Name: string }> };
    assert.is(body.Organisations[0]!.Name, org.name);
  }
  for (const tenant of [KAURI.id, undefined]) {
    const response = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, tenant);
    assert.is(response.status, 403);
    assert.equal(await response.json().then((b) => ({ Title: (b as Record<string, unknown>)['Title'], Detail: (b as Record<string, unknown>)['Detail'] })), { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' });
  }
  const payroll = await bearerFetch(sb, '/payroll.xro/1.0/Employees', token, HARBOURSIDE.id);
  assert.is(payroll.status, 403, 'payroll scopes were not granted');
  assert.is(await detail(payroll), 'AuthorizationUnsuccessful');
});

api('an unknown token is 401 with a Bearer challenge; OAuth 1.0a signing still works beside Bearer', async ({ sb }) => {
  const response = await bearerFetch(sb, '/api.xro/2.0/Organisation', 'not-a-token', HARBOURSIDE.id);
  assert.is(response.status, 401);
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
  const unsigned = await fetch(`${sb.url}/api.xro/2.0/Organisation`);
  assert.is(unsigned.status, 400, 'no Authorization header is still an OAuth 1.0a parameter_absent');
  assert.match(await unsigned.text(), /^oauth_problem=parameter_absent/);
});

api('scopes per endpoint: granular read scopes allow GET and refuse writes; settings cover Accounts', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id], 'accounting.invoices.read accounting.settings.read'))['access_token'] as string;
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Invoices', token, HARBOURSIDE.id)).status, 200);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Accounts', token, HARBOURSIDE.id)).status, 200);
  const payments = await bearerFetch(sb, '/api.xro/2.0/Payments', token, HARBOURSIDE.id);
  assert.is(payments.status, 403);
  assert.is(await detail(payments), 'AuthorizationUnsuccessful');
  const contacts = await bearerFetch(sb, '/api.xro/2.0/Contacts', token, HARBOURSIDE.id);
  assert.is(contacts.status, 403);
  const write = await putInvoice(sb, token, invoice('READ-ONLY'));
  assert.is(write.status, 403);
  assert.is(await detail(write), 'AuthorizationUnsuccessful');
});

api("a document's files need accounting.attachments: the invoice's own scope is not enough, and the read scope only reads them", async ({ sb, web }) => {
  const full = (await linkWebApp(sb, web, [HARBOURSIDE.id], 'accounting.invoices accounting.attachments'))['access_token'] as string;
  const made = await putInvoice(sb, full, invoice('WITH-FILE'));
  const invoiceId = ((await made.json()) as { Invoices: Array<{ InvoiceID: string }> }).Invoices[0]!.InvoiceID;
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const upload = (token: string) => bearerFetch(sb, `/api.xro/2.0/Invoices/${invoiceId}/Attachments/scan.pdf`, token, HARBOURSIDE.id, { method: 'PUT', body: pdf, headers: { 'Content-Type': 'application/pdf', Accept: 'application/json' } });
  assert.is((await upload(full)).status, 200);
  const invoicesOnly = (await linkWebApp(sb, web, [HARBOURSIDE.id], 'accounting.invoices'))['access_token'] as string;
  const refused = await upload(invoicesOnly);
  assert.is(refused.status, 403);
  assert.is(await detail(refused), 'AuthorizationUnsuccessful');
  const reader = (await linkWebApp(sb, web, [HARBOURSIDE.id], 'accounting.attachments.read'))['access_token'] as string;
  assert.is((await bearerFetch(sb, `/api.xro/2.0/Invoices/${invoiceId}/Attachments`, reader, HARBOURSIDE.id)).status, 200);
  assert.is((await upload(reader)).status, 403);

  // An Idempotency-Key is bound to the file's bytes: two files that differ only in bytes that are not UTF-8 are two requests.
  const keyed = (byte: number) =>
    bearerFetch(sb, `/api.xro/2.0/Invoices/${invoiceId}/Attachments/photo.png`, full, HARBOURSIDE.id, {
      method: 'PUT',
      body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, byte]),
      headers: { 'Content-Type': 'image/png', Accept: 'application/json', 'Idempotency-Key': 'photo-1' },
    });
  assert.is((await keyed(0xff)).status, 200);
  assert.is((await keyed(0xfe)).status, 400, 'another file under the same key is refused, not answered as the first');
});

api('every Bearer answer carries the minute, day and app-minute remaining counts', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [KAURI.id]))['access_token'] as string;
  const first = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id);
  const second = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id);
  assert.is(first.headers.get('x-minlimit-remaining'), '59');
  assert.is(second.headers.get('x-minlimit-remaining'), '58');
  assert.is(second.headers.get('x-daylimit-remaining'), '4998');
  assert.is(Number(first.headers.get('x-appminlimit-remaining')) - Number(second.headers.get('x-appminlimit-remaining')), 1);
  const connections = await bearerFetch(sb, '/connections', token);
  assert.ok(connections.headers.get('x-appminlimit-remaining'));
  assert.is(connections.headers.get('x-minlimit-remaining'), null, 'a tenantless call carries the app count only');
});

api('over the per-tenant minute: 429 with Retry-After and X-Rate-Limit-Problem: minute; another tenant is unaffected', async ({ sb }) => {
  const web = await registerOAuth2App(sb, { type: 'web' });
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id, RIVERBEND.id]))['access_token'] as string;
  sb.sandbox.deps.clock.advance(60_000 - (sb.sandbox.deps.clock.now().getTime() % 60_000) + 1000);
  for (let i = 0; i < 60; i++) assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE.id)).status, 200);
  const refused = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE.id);
  assert.is(refused.status, 429);
  assert.is(refused.headers.get('x-rate-limit-problem'), 'minute');
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, RIVERBEND.id)).status, 200);
});

api('the app-wide minute limit (configurable) and forced 429s: appminute with Retry-After, concurrent without', async ({ sb }) => {
  const web = await registerOAuth2App(sb, { type: 'web' });
  const token = (await linkWebApp(sb, web, [KAURI.id]))['access_token'] as string;
  sb.sandbox.deps.clock.advance(60_000 - (sb.sandbox.deps.clock.now().getTime() % 60_000) + 1000);
  await fetch(`${sb.url}/sandbox/oauth2/settings`, { method: 'PUT', body: JSON.stringify({ appPerMinute: 2 }) });
  try {
    assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id)).headers.get('x-appminlimit-remaining'), '1');
    assert.is((await bearerFetch(sb, '/connections', token)).status, 200);
    const refused = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id);
    assert.is(refused.status, 429);
    assert.is(refused.headers.get('x-rate-limit-problem'), 'appminute');
    assert.ok(refused.headers.get('retry-after'));
  } finally {
    await fetch(`${sb.url}/sandbox/oauth2/settings`, { method: 'PUT', body: JSON.stringify({ appPerMinute: 10_000 }) });
  }
  await fetch(`${sb.url}/sandbox/faults`, { method: 'PUT', body: JSON.stringify({ rateLimitNextCalls: 1, rateLimitProblem: 'concurrent' }) });
  const forced = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id);
  assert.is(forced.status, 429);
  assert.is(forced.headers.get('x-rate-limit-problem'), 'concurrent');
  assert.is(forced.headers.get('retry-after'), null);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id)).status, 200, 'only the next call was forced');
});

api('Idempotency-Key: the same request replays the first answer and creates nothing; a different request is 400', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id]))['access_token'] as string;
  const key = 'a'.repeat(128);
  const first = await putInvoice(sb, token, invoice('IDEM-1'), key);
  assert.is(first.status, 200);
  const firstBody = await first.text();
  const again = await putInvoice(sb, token, invoice('IDEM-1'), key);
  assert.is(again.status, 200);
  assert.is(await again.text(), firstBody, 'the first answer, byte for byte');
  const ledger = (await (await fetch(`${sb.url}/sandbox/ledger?organisationId=${HARBOURSIDE.id}&type=Invoice`)).json()) as { documents: Array<{ reference: string }> };
  assert.is(ledger.documents.filter((doc) => doc.reference === 'IDEM-1').length, 1);
  const other = await putInvoice(sb, token, invoice('IDEM-2'), key);
  assert.is(other.status, 400);
  assert.match(String(await detail(other)), /already used with a different request/);
  assert.is((await putInvoice(sb, token, invoice('IDEM-3'), 'b'.repeat(129))).status, 400, 'a key over 128 characters');
});

api('Idempotency-Key: keys are forgotten after the configured time', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id]))['access_token'] as string;
  const first = await putInvoice(sb, token, invoice('IDEM-OLD'), 'old-key');
  assert.is(first.status, 200);
  sb.sandbox.deps.clock.advance(301_000);
  const later = await putInvoice(sb, token, invoice('IDEM-OTHER'), 'old-key');
  assert.is(later.status, 200, 'after 5 minutes the key is free again');
});

api('a custom connection: client_credentials with Basic auth, no refresh token, no tenant header needed, one connection', async ({ sb }) => {
  const custom = await registerOAuth2App(sb, { type: 'custom_connection', tenant: RIVERBEND.id, scopes: ['accounting.settings.read', 'payroll.employees.read'] });
  const answer = await tokenRequest(sb, { grant_type: 'client_credentials' }, { id: custom.clientId, secret: custom.clientSecret! });
  assert.is(answer.status, 200, JSON.stringify(answer.body));
  assert.is(answer.body['refresh_token'], undefined);
  assert.is(answer.body['expires_in'], 1800);
  const token = answer.body['access_token'] as string;
  const org = await bearerFetch(sb, '/api.xro/2.0/Organisation', token);
  assert.is(org.status, 200);
  assert.is(((await org.json()) as { Organisations: Array<{ Name: string }> }).Organisations[0]!.Name, RIVERBEND.name);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE.id)).status, 403, 'another tenant is refused');
  const connections = (await (await bearerFetch(sb, '/connections', token)).json()) as Array<Record<string, unknown>>;
  assert.equal(connections.map((c) => c['tenantId']), [RIVERBEND.id]);
  const code = await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: 'x' }, { id: custom.clientId, secret: custom.clientSecret! });
  assert.is(code.body['error'], 'unauthorized_client');
});

api('connections: listed with Xero fields, one deleted (204) stops that tenant, an unknown id is 404', async ({ sb, web }) => {
  const token = (await linkWebApp(sb, web, [HARBOURSIDE.id, KAURI.id]))['access_token'] as string;
  const listed = (await (await bearerFetch(sb, '/connections', token)).json()) as Array<Record<string, unknown>>;
  assert.equal(listed.map((c) => c['tenantName']), [HARBOURSIDE.name, KAURI.name]);
  assert.equal(Object.keys(listed[0]!), ['id', 'authEventId', 'tenantId', 'tenantType', 'tenantName', 'createdDateUtc', 'updatedDateUtc']);
  assert.is(listed[0]!['tenantType'], 'ORGANISATION');
  assert.is(listed[0]!['authEventId'], listed[1]!['authEventId']);
  const kauri = listed.find((c) => c['tenantId'] === KAURI.id)!;
  assert.is((await bearerFetch(sb, `/connections/${kauri['id'] as string}`, token, undefined, { method: 'DELETE' })).status, 204);
  assert.is((await bearerFetch(sb, `/connections/${kauri['id'] as string}`, token, undefined, { method: 'DELETE' })).status, 404);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, KAURI.id)).status, 403);
  assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE.id)).status, 200);
  const left = (await (await bearerFetch(sb, '/connections', token)).json()) as Array<Record<string, unknown>>;
  assert.equal(left.map((c) => c['tenantId']), [HARBOURSIDE.id]);
});

api.run();
