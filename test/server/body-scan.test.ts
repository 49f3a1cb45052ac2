import { request } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { control, ledger, runUntilSettled, startDeliveryWorld, statusCounts, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink } from '../helpers/linked';
import { rawRequest } from '../helpers/raw-http';

/**
 * The scan of JSON and XML bodies as they arrive, over real sockets: hostile bodies to the
 * device API and to the sandbox get their 400 (or 413) naming the problem and store nothing,
 * a body is refused while its client is still sending it, and the largest real batch still
 * goes all the way to the sandbox.
 */
const scan = suite<{ world: DeliveryWorld; key: string }>('server.limitBodies scan');

scan.before(async (context) => {
  context.world = await startDeliveryWorld();
  const { pairingId } = await pairAndLink(context.world, 'TILL-SCAN');
  context.key = await collectKey(context.world, pairingId);
});
scan.after(async ({ world }) => world.stop());

const KB = 1024;
const line = { Description: 'Flat white, large', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' };
const invoice = (n: number) => ({ Type: 'ACCREC', Contact: { Name: 'Cash Customer' }, Date: '2026-11-28', DueDate: '2026-12-12', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', Reference: `Batch ${n}`, LineItems: Array.from({ length: 100 }, () => line) });
const xmlLine = '<LineItem><Description>Flat white, large</Description><Quantity>1</Quantity><UnitAmount>4.5</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem>';
const xmlInvoice = (n: number) =>
  `<Invoice><Type>ACCREC</Type><Contact><Name>Cash Customer</Name></Contact><Date>2026-11-28</Date><DueDate>2026-12-12</DueDate><LineAmountTypes>Inclusive</LineAmountTypes><Status>AUTHORISED</Status><Reference>Batch ${n}</Reference><LineItems>${xmlLine.repeat(100)}</LineItems></Invoice>`;

/** Hostile bodies of about 1 MB (under the 1,000,000-byte limit) and what the answer says of each. */
const HOSTILE: ReadonlyArray<{ name: string; type: string; body: string; message: string }> = [
  { name: 'XML nested 150,000 deep', type: 'application/xml', body: '<a>\n'.repeat(150_000), message: 'The request body nests elements more than 32 deep (XML line 33).' },
  { name: 'XML of 240,000 elements', type: 'application/xml', body: '<Invoices>' + '<x/>'.repeat(240_000), message: 'The request body is not acceptable XML: more than 40,000 elements and attributes are more than any request needs (XML line 1).' },
  { name: 'XML with a DOCTYPE of entities', type: 'text/xml', body: `<?xml version="1.0"?>\n<!DOCTYPE x [${'<!ENTITY a "b">'.repeat(60_000)}]><Invoices/>`, message: 'The request body is not acceptable XML: a DOCTYPE is not allowed (XML line 2).' },
  { name: 'XML with an ENTITY inside', type: 'application/xml', body: '<Invoices><!-- <!ENTITY in a comment is fine --><Invoice>\n<!ENTITY e "x"></Invoice></Invoices>', message: 'The request body is not acceptable XML: an ENTITY declaration is not allowed (XML line 2).' },
  { name: 'XML with a text of 990 KB', type: 'application/xml', body: `<Invoices>\n<Invoice><Reference>${'x'.repeat(990_000)}</Reference></Invoice></Invoices>`, message: 'The request body is not acceptable XML: a text longer than 65,536 bytes is more than any field takes (XML line 2).' },
  { name: 'JSON nested 500,000 deep', type: 'application/json', body: '['.repeat(500_000), message: 'The request body nests JSON arrays and objects more than 32 deep.' },
  { name: 'JSON with a string of 990 KB', type: 'application/json', body: JSON.stringify({ Invoices: [{ Reference: '\u00e9'.repeat(495_000) }] }), message: 'The request body holds a string longer than 65,536 bytes, more than any field takes.' },
  { name: 'JSON of 300,000 values', type: 'application/json', body: '{"Invoices":[' + '0,'.repeat(300_000) + '0]}', message: 'The request body holds more than 40,000 JSON values, more than any request needs.' },
];

scan('hostile JSON and XML bodies to the device API get a 400 naming the problem, and nothing is stored', async ({ world, key }) => {
  const jobs = () => world.deps.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get() as number;
  const before = jobs();
  for (const { name, type, body, message } of HOSTILE) {
    assert.ok(Buffer.byteLength(body) <= 1_000_000, name);
    const answer = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': type, accept: 'application/json' }, body });
    assert.is(answer.status, 400, `${name}: ${answer.text.slice(0, 200)}`);
    const error = JSON.parse(answer.text).error;
    assert.equal([error.code, error.message, error.field], ['invalid', message, 'body'], name);
  }
  // Pairing takes no key, and is scanned the same way.
  const pairing = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/pair', headers: { 'content-type': 'application/json' }, body: '{"deviceId":' + '['.repeat(40) });
  assert.is(pairing.status, 400);
  assert.is(JSON.parse(pairing.text).error.message, 'The request body nests JSON arrays and objects more than 32 deep.');
  // Size is still the byte limit's, with its 413.
  const big = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ Invoices: [{ Reference: 'x'.repeat(1_000_000) }] }) });
  assert.is(big.status, 413);
  assert.is(JSON.parse(big.text).error.code, 'too_large');
  assert.is(jobs(), before);
});

scan('an attachment form of 100,000 tiny parts is refused by its count before the form is read, and nothing is stored', async ({ world, key }) => {
  const jobs = () => world.deps.db.prepare("SELECT COUNT(*) FROM jobs WHERE kind = 'attachment'").pluck().get() as number;
  const before = jobs();
  const body = Array.from({ length: 100_000 }, (_, i) => `--zz\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${i}\r\n`).join('') + '--zz--\r\n';
  const answer = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/attachments', headers: { authorization: `Bearer ${key}`, 'content-type': 'multipart/form-data; boundary=zz' }, body });
  assert.is(answer.status, 400, answer.text.slice(0, 200));
  assert.equal(JSON.parse(answer.text).error, { code: 'invalid', message: 'The request body is a form of more than 32 parts, more than any request needs.', field: 'body', details: [{ field: 'body', message: 'is a form of more than 32 parts, more than any request needs' }] });
  assert.is(jobs(), before);
});

scan('a hostile body is refused while its client is still sending it', async ({ world, key }) => {
  const url = new URL(world.proxy.url);
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    // Chunked, and never ended: only a refusal made on what has arrived can answer it.
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.write('<Invoices>' + '<Invoice><Reference>r</Reference></Invoice>'.repeat(1_000));
    req.write('<a>'.repeat(40));
  });
  assert.is(answer.status, 400);
  assert.match(answer.text, '<message>The request body nests elements more than 32 deep (XML line 1).</message>');
});

scan('a 50-invoice batch of 100 lines each passes as JSON and as XML, and goes through the sandbox\'s own scan to Xero', async ({ world, key }) => {
  const json = JSON.stringify({ Invoices: Array.from({ length: 50 }, (_, n) => invoice(n)) });
  const xml = `<Invoices>${Array.from({ length: 50 }, (_, n) => xmlInvoice(50 + n)).join('')}</Invoices>`;
  assert.ok(xml.length > 800 * KB && xml.length < 1_000_000, `${xml.length} bytes of XML`);
  for (const [type, body] of [['application/json', json], ['application/xml', xml]] as const) {
    const answer = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': type, accept: 'application/json' }, body });
    assert.is(answer.status, 202, `${type}: ${answer.text.slice(0, 300)}`);
    assert.is(JSON.parse(answer.text).jobs.length, 50);
  }
  await runUntilSettled(world);
  assert.equal(statusCounts(world), { delivered: 100 });
  const stored = await ledger(world, 'Invoice');
  const batch = stored.filter((entry) => /^Batch \d+ \[XP-/.test(entry.reference ?? ''));
  assert.is(batch.length, 100);
  assert.ok(batch.every((entry) => (entry.body['LineItems'] as unknown[]).length === 100));
});

scan('the sandbox refuses hostile JSON and XML bodies with 400 before it authenticates or logs them', async ({ world }) => {
  const logged = async () => ((await control(world, 'GET', 'requests?limit=5000')) as { requests: Array<{ path: string }> }).requests.filter((entry) => entry.path === '/api.xro/2.0/Invoices').length;
  const before = await logged();
  const bodies: Array<[string, string, RegExp]> = [
    ['application/xml', '<Invoices>' + '<a>'.repeat(200_000), /^The request body nests elements more than 32 deep \(XML line 1\)\.$/],
    ['', `<!DOCTYPE x [<!ENTITY a "${'b'.repeat(500 * KB)}">]><Invoices/>`, /^The request body is not acceptable XML: a DOCTYPE is not allowed \(XML line 1\)\.$/],
    ['text/xml', '<Invoices>' + '<x a="1"/>'.repeat(150_000), /^The request body is not acceptable XML: more than 200,000 elements and attributes are more than any request needs \(XML line 1\)\.$/],
    ['application/json', '{"Invoices":' + '[{"a":'.repeat(100_000), /^The request body nests JSON arrays and objects more than 32 deep\.$/],
    ['application/json', '[' + '"]",'.repeat(300_000) + '1]', /^The request body holds more than 200,000 JSON values, more than any request needs\.$/],
  ];
  for (const [type, body, message] of bodies) {
    const answer = await rawRequest(world.sandbox.url, { method: 'PUT', path: '/api.xro/2.0/Invoices', headers: type ? { 'content-type': type } : {}, body });
    assert.is(answer.status, 400, `${type}: ${answer.text.slice(0, 200)}`);
    assert.match(answer.text, message);
  }
  assert.is(await logged(), before);
});

scan.run();
