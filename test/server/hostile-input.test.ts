import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRandom } from '../helpers/delivery';
import { spawnCli, REPO_ROOT } from '../helpers/cli';
import { collectKey, pairAndLink, startWorld, type LinkedWorld } from '../helpers/linked';
import { freePort } from '../helpers/proxy';
import { rawRequest, type RawAnswer } from '../helpers/raw-http';
import { Browser, givenAdminPassword } from '../helpers/web';

/**
 * Hostile input against the real server: every route it has, with and without a device key and
 * an admin session, gets generated bodies (JSON, XML and forms; deep, wide, huge, malformed,
 * prototype names, random mutations of real documents). Nothing may answer 5xx. Then the server
 * as its own process: 4 bodies of 250 MB at once are refused while its memory stays bounded, and
 * it keeps answering /healthz while 8 hostile 1 MB XML bodies arrive.
 */
const hostile = suite<{ world: LinkedWorld; key: string; browser: Browser }>('server hostile input');

const SEED = Number(process.env.HOSTILE_SEED ?? 20261204);
const MB = 1024 * 1024;

hostile.before(async (context) => {
  context.world = await startWorld('private');
  const { pairingId } = await pairAndLink(context.world, 'TILL-1');
  context.key = await collectKey(context.world, pairingId);
  await givenAdminPassword(context.world.proxy.running.proxy.deps);
  context.browser = new Browser(context.world.proxy.url, { origin: 'http://proxy.test' });
  assert.is((await context.browser.signIn()).status, 303);
});
hostile.after(async ({ world }) => world.stop());

const VALID_INVOICE = JSON.stringify({
  Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Walk-in' }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', LineItems: [{ Description: 'Flat white', Quantity: 1, UnitAmount: 4.5, AccountCode: '200', TaxType: 'OUTPUT' }] }],
});
const VALID_XML = '<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Walk-in</Name></Contact><Date>2026-11-28</Date><LineItems><LineItem><Description>Tea</Description><Quantity>1</Quantity><UnitAmount>4</UnitAmount><AccountCode>200</AccountCode></LineItem></LineItems></Invoice></Invoices>';

type Body = { name: string; type: string; body: string | Buffer };

/** Bodies no route should take, each small enough to be read, plus a few at or past the limits. */
function hostileBodies(random: () => number): Body[] {
  const wideJson = '{' + Array.from({ length: 40_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}';
  const bodies: Body[] = [
    { name: 'malformed JSON', type: 'application/json', body: '{"deviceId": "T1", "name": ' },
    { name: 'JSON nested 100,000 deep', type: 'application/json', body: '['.repeat(100_000) + ']'.repeat(100_000) },
    { name: 'JSON with 40,000 keys', type: 'application/json', body: wideJson },
    { name: 'JSON prototype keys', type: 'application/json', body: '{"__proto__":{"deviceId":"P1","admin":true},"constructor":{"prototype":{"polluted":1}}}' },
    { name: 'JSON that is not an object', type: 'application/json', body: '[null, 1, "x"]' },
    { name: 'JSON null', type: 'application/json', body: 'null' },
    { name: 'JSON with lone surrogates', type: 'application/json', body: '{"deviceId":"\\ud800\\udfff\\ud800","name":"\\u0000"}' },
    { name: 'XML nested 5,000 deep', type: 'application/xml', body: '<a>'.repeat(5_000) + '</a>'.repeat(5_000) },
    { name: 'XML with 250,000 elements', type: 'application/xml', body: '<Pair>' + '<x/>'.repeat(250_000) + '</Pair>' },
    { name: 'XML prototype names', type: 'application/xml', body: '<Pair><__proto__><deviceId>P1</deviceId></__proto__><constructor/></Pair>' },
    { name: 'XML billion laughs', type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Pair><deviceId>&b;</deviceId></Pair>' },
    { name: 'XML external entity', type: 'text/xml', body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Pair><deviceId>&e;</deviceId></Pair>' },
    { name: 'XML badly nested', type: 'application/xml', body: '<Invoices><Invoice><Type>ACCREC</Invoice></Type></Invoices>' },
    { name: 'XML with 30,000 attributes', type: 'application/xml', body: '<Pair ' + Array.from({ length: 30_000 }, (_, i) => `a${i}="1"`).join(' ') + '/>' },
    { name: 'XML unterminated comment and CDATA', type: 'application/xml', body: '<Pair><!-- never closed <![CDATA[ x' },
    { name: 'invalid UTF-8', type: 'application/json', body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]) },
    { name: 'form with 20,000 fields', type: 'application/x-www-form-urlencoded', body: Array.from({ length: 20_000 }, (_, i) => `f${i}=${i}`).join('&') },
    { name: 'form with bad escapes and prototype names', type: 'application/x-www-form-urlencoded', body: '__proto__=x&constructor[prototype]=1&csrf=%zz&code=%E0%A4%A&password=%' },
    { name: 'multipart with no boundary', type: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--' },
    { name: 'multipart that never ends', type: 'multipart/form-data; boundary=zz', body: '--zz\r\nContent-Disposition: form-data; name="csrf"; filename="../../etc/passwd"\r\n\r\n' + 'A'.repeat(10_000) },
    { name: 'unknown content type', type: 'application/x-unknown', body: 'hello' },
    { name: 'no content type', type: '', body: '{"deviceId":"T9"}' },
    { name: 'a string of 2 MB', type: 'application/json', body: JSON.stringify({ deviceId: 'x'.repeat(2 * MB) }) },
  ];
  // Mutations of real documents: characters changed, cut short, repeated.
  for (let n = 0; n < 12; n++) {
    const base = n % 2 === 0 ? VALID_INVOICE : VALID_XML;
    const chars = [...base];
    const edits = 1 + Math.floor(random() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * chars.length);
      const pick = random();
      if (pick < 0.4) chars[at] = String.fromCharCode(Math.floor(random() * 128));
      else if (pick < 0.7) chars.splice(at, Math.floor(random() * 20));
      else chars.splice(at, 0, ...chars.slice(at, at + Math.floor(random() * 40)));
    }
    bodies.push({ name: `mutated ${n % 2 === 0 ? 'JSON' : 'XML'} invoice #${n}`, type: n % 2 === 0 ? 'application/json' : 'application/xml', body: chars.join('') });
  }
  return bodies;
}

/** Every route of the app, with parameters filled in, as method and path. */
function everyRoute(world: LinkedWorld): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const route of world.proxy.running.proxy.app.routes) {
    const path = route.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, 'x').replace(/\*$/, 'api.xro/2.0/Invoices').replace(/\/\*\//g, '/x/');
    const methods = route.method === 'ALL' ? ['POST', 'PUT', 'DELETE', 'GET'] : [route.method];
    for (const method of methods) {
      const id = `${method} ${path}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ method, path });
    }
  }
  return out;
}

const HOSTILE_QUERIES = ['?wait=0x10&limit=-1&status=__proto__&since=%zz', '?code=' + 'A'.repeat(5000), '?state=%00%ff&code=x&error=access_denied&next=//evil.example', '?where=Name%3D%3D%22x%22)%20OR%20(1%3D%3D1'];

hostile('no route answers 5xx to generated hostile bodies, with or without a key or a session', async ({ world, key, browser }) => {
  const random = seededRandom(SEED);
  const bodies = hostileBodies(random);
  const routes = everyRoute(world);
  assert.ok(routes.length >= 30, `routes found: ${routes.length}`);
  const session = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const identities: Array<[string, Record<string, string>]> = [
    ['nobody', {}],
    ['a device key', { authorization: `Bearer ${key}` }],
    ['an admin session', { cookie: session, origin: 'http://proxy.test' }],
  ];
  const serverErrors: string[] = [];
  let requests = 0;
  const check = async (label: string, sending: Promise<RawAnswer>) => {
    requests++;
    const answer = await sending.catch((error: Error) => ({ status: 599, text: `no answer: ${error.message}` }));
    if (answer.status >= 500) serverErrors.push(`${label} → ${answer.status} ${answer.text.slice(0, 200)}`);
  };
  for (const { method, path } of routes) {
    for (const [who, headers] of identities) {
      if (method === 'GET' || method === 'HEAD') {
        for (const query of HOSTILE_QUERIES) await check(`${who} ${method} ${path}${query.slice(0, 30)}`, rawRequest(world.proxy.url, { method, path: path + query, headers: { ...headers, accept: 'application/xml', 'if-modified-since': 'yesterday' } }));
        continue;
      }
      for (const body of bodies) {
        const typed: Record<string, string> = body.type ? { 'content-type': body.type } : {};
        await check(`${who} ${method} ${path} (${body.name})`, rawRequest(world.proxy.url, { method, path, headers: { ...headers, ...typed }, body: body.body }));
      }
    }
  }
  assert.equal(serverErrors, [], `${serverErrors.length} of ${requests} requests answered 5xx`);
  assert.ok(requests > 2000, `requests sent: ${requests}`);
  assert.is((await fetch(`${world.proxy.url}/healthz`)).status, 200);
});

hostile('prototype names in a pairing body supply nothing: the pairing is refused for its missing deviceId', async ({ world }) => {
  const answer = await rawRequest(world.proxy.url, { method: 'POST', path: '/api/v1/pair', headers: { 'content-type': 'application/xml' }, body: '<Pair><__proto__><deviceId>SPOOF-1</deviceId></__proto__></Pair>' });
  assert.is(answer.status, 400);
  assert.match(answer.text, '<message>The request body is not acceptable XML: the element name &lt;__proto__&gt; is not allowed (XML line 1).</message>');
  const pairings = world.proxy.running.proxy.db.prepare("SELECT count(*) FROM pairings WHERE device_id = 'SPOOF-1'").pluck().get();
  assert.is(pairings, 0);
});

hostile('an XML body nested thousands deep gets a 400 naming the nesting, not a 500', async ({ world, key }) => {
  // 2,000 levels fit the pairing limit (16 KiB); 5,000 (35 KB) are refused by size first.
  for (const [path, headers, depth] of [['/api/v1/pair', {}, 2_000], ['/api/v1/invoices', { authorization: `Bearer ${key}` }, 5_000]] as const) {
    const answer = await rawRequest(world.proxy.url, { method: 'POST', path, headers: { ...headers, 'content-type': 'application/xml' }, body: '<a>'.repeat(depth) + '</a>'.repeat(depth) });
    assert.is(answer.status, 400, path);
    assert.match(answer.text, /nest(s)? (elements )?more than 32 deep/);
    assert.not.match(answer.text, /stack/i);
  }
});

/** The proxy as its own process on the world's data directory, so its memory can be read. */
async function serveAlone(world: LinkedWorld): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawnCli(['serve'], {
    cwd: REPO_ROOT,
    env: {
      XERO_PROXY_STORAGE_DATA_DIR: world.proxy.dataDir,
      XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}`,
      XERO_PROXY_SERVER_PUBLIC_URL: `http://127.0.0.1:${port}`,
      XERO_PROXY_SERVER_LOG_LEVEL: 'error',
      XERO_PROXY_XERO_APP_TYPE: 'private',
      XERO_PROXY_XERO_API_URL: world.sandbox.url,
      XERO_PROXY_XERO_CONSUMER_KEY: world.app.consumerKey,
      XERO_PROXY_XERO_CONSUMER_SECRET: world.app.consumerSecret,
    },
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 600; tries++) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('serve did not start');
}

/** Resident memory of a process, now and at its peak, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

hostile('as its own process: 4 bodies of 250 MB at once are refused with a readable 413 while memory stays under 300 MB', async ({ world, key }) => {
  await world.proxy.stop();
  const { child, base } = await serveAlone(world);
  try {
    const chunk = Buffer.alloc(MB, 0x61);
    const huge = (path: string, chunked: boolean, headers: Record<string, string> = {}) =>
      rawRequest(base, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, repeat: { chunk, times: 250 }, chunked });
    const answers = await Promise.all([
      huge('/api/v1/pair', false),
      huge('/api/v1/pair', true),
      huge('/api/v1/pair/token', true),
      huge('/api/v1/invoices', true, { authorization: `Bearer ${key}` }),
    ]);
    for (const answer of answers) {
      assert.is(answer.status, 413, answer.text);
      assert.match(JSON.parse(answer.text).error.message, /^The request body is larger than [\d,]+ bytes, the most this endpoint takes; /);
      assert.is(JSON.parse(answer.text).error.code, 'too_large');
    }
    const memory = memoryOf(child.pid!);
    assert.ok(memory.peak < 300, `peak resident memory ${memory.peak.toFixed(0)} MB`);

    // Eight hostile 1 MB XML bodies from a keyed device at once, and /healthz asked meanwhile.
    const oneMb = (inner: string, times: number) => `<Invoices>${inner.repeat(times)}</Invoices>`;
    const xmlBodies = [
      oneMb('<x/>', 250_000),
      '<a>'.repeat(170_000) + '</a>'.repeat(170_000),
      `<Invoices><Invoice ${Array.from({ length: 60_000 }, (_, i) => `a${i}="1"`).join(' ')}/></Invoices>`,
      oneMb('<Invoice><Type>ACCREC</Type></Invoice>', 25_000),
      `<!DOCTYPE x [${'<!ENTITY a "b">'.repeat(60_000)}]><Invoices/>`,
      oneMb('<Invoice><Reference>r</Reference></Invoice>', 23_000),
      `<Invoices><Invoice><Reference>${'x'.repeat(990_000)}</Reference></Invoice></Invoices>`,
      oneMb('<!-- c --><x></x>', 55_000),
    ];
    const sent = xmlBodies.map((body) => rawRequest(base, { method: 'POST', path: '/api/v1/invoices', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' }, body }));
    const health = await fetch(`${base}/healthz`);
    const refused = await Promise.all(sent);
    assert.is(health.status, 200);
    for (const answer of refused) assert.ok(answer.status === 400 || answer.status === 413, `${answer.status} ${answer.text.slice(0, 200)}`);
    // How fast /healthz answers meanwhile is the bench's to measure (`npm run bench -- hostile`), not a test's.
    console.log(`  peak memory ${memoryOf(child.pid!).peak.toFixed(0)} MB while 8 hostile 1 MB XML bodies arrived`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

hostile.run();
