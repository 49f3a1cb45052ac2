import { createHmac, createSign, verify } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeForm, encodeForm } from '../../src/domain/oauth1/form-encoding';
import { normalizeRequestUrl } from '../../src/domain/oauth1/request-url';
import { signRequest, type SigningCredentials } from '../../src/domain/oauth1/sign-request';
import { signatureBaseString } from '../../src/domain/oauth1/signature-base-string';
import { AppError } from '../../src/lib/errors';
import { Secret } from '../../src/lib/secret';
import { TEST_CERTIFICATE, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';

// RFC 5849 §3.4.1.1: the worked example, and the base string it gives.
const RFC_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
const RFC_BODY = 'c2&a3=2+q';
const RFC_OAUTH: Array<[string, string]> = [
  ['oauth_consumer_key', '9djdj82h48djs9d2'],
  ['oauth_token', 'kkk9d7dh3k39sjv7'],
  ['oauth_signature_method', 'HMAC-SHA1'],
  ['oauth_timestamp', '137131201'],
  ['oauth_nonce', '7d8f3e4a'],
];
const RFC_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';

// Every other case signs as consumer "ck" with token "tk", nonce "n1", at 1700000000.
const HMAC: SigningCredentials = { consumerKey: 'ck', consumerSecret: new Secret('cs'), token: 'tk', tokenSecret: new Secret('ts'), signatureMethod: 'HMAC-SHA1' };
const NOW = new Date(1_700_000_000_000);
const OAUTH_TAIL = 'oauth_consumer_key%3Dck%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk%26oauth_version%3D1.0';

/** The Authorization header's parameters, decoded. */
function headerParams(authorization: string): Record<string, string> {
  assert.ok(authorization.startsWith('OAuth '), authorization);
  return Object.fromEntries(
    authorization
      .slice(6)
      .split(', ')
      .map((part) => {
        const match = /^([^=]+)="([^"]*)"$/.exec(part);
        assert.ok(match, `header part ${part}`);
        return [decodeURIComponent(match![1]!), decodeURIComponent(match![2]!)];
      }),
  );
}

/** Signs with the wrapper and checks its signature is HMAC-SHA1 of `expectedBase`, computed here with node:crypto. */
function expectSignedBase(input: { method: string; url: string; form?: string }, expectedBase: string): void {
  const { authorization } = signRequest({ ...input, credentials: HMAC, now: NOW, nonce: 'n1' });
  const expected = createHmac('sha1', 'cs&ts').update(expectedBase).digest('base64');
  assert.is(headerParams(authorization)['oauth_signature'], expected, `signature for base string ${expectedBase}`);
}

/** The base string the wrapper computes for a URL, optional form body and the fixed oauth parameters. */
function wrapperBase(method: string, url: string, form?: string): string {
  const { baseUri, query } = normalizeRequestUrl(url);
  const oauth: Array<[string, string]> = [
    ['oauth_consumer_key', 'ck'],
    ['oauth_nonce', 'n1'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_token', 'tk'],
    ['oauth_version', '1.0'],
  ];
  return signatureBaseString(method, baseUri, [...query, ...(form ? decodeForm(form) : []), ...oauth]);
}

/** The raw package, used the way its README shows, to prove each input really triggers the defect. */
const rawPackage = () => new OAuth({ consumer: { key: 'ck', secret: 'cs' }, signature_method: 'HMAC-SHA1', hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64') });
const rawParams = (url: string, data?: Record<string, string>) => rawPackage().getParameterString({ method: 'GET', url, ...(data ? { data } : {}) }, {} as OAuth.Data);

function expectAppError(run: () => unknown, code: string, message: string | RegExp): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, code);
    if (typeof message === 'string') assert.is((error as AppError).message, message);
    else assert.match((error as AppError).message, message);
    return;
  }
  assert.unreachable('expected an AppError');
}

const rfc = suite('oauth1.signRequest RFC 5849');

rfc("reproduces RFC 5849 §3.4.1.1's worked example base string byte for byte", () => {
  const { baseUri, query } = normalizeRequestUrl(RFC_URL);
  assert.is(signatureBaseString('POST', baseUri, [...query, ...decodeForm(RFC_BODY), ...RFC_OAUTH]), RFC_BASE_STRING);
});

rfc('signs the worked example with HMAC-SHA1 over exactly that base string (plus oauth_version)', () => {
  const { authorization } = signRequest({
    method: 'POST',
    url: RFC_URL,
    form: RFC_BODY,
    credentials: { consumerKey: '9djdj82h48djs9d2', consumerSecret: new Secret('j49sk3j29djd'), token: 'kkk9d7dh3k39sjv7', tokenSecret: new Secret('dh893hdasih9'), signatureMethod: 'HMAC-SHA1' },
    now: new Date(137_131_201_000),
    nonce: '7d8f3e4a',
  });
  const base = RFC_BASE_STRING + '%26oauth_version%3D1.0';
  assert.is(headerParams(authorization)['oauth_signature'], createHmac('sha1', 'j49sk3j29djd&dh893hdasih9').update(base).digest('base64'));
});

rfc('the raw package fails the worked example (double-encoded c%40, and the body a3 lost to the query a3)', () => {
  const raw = rawPackage().getBaseString({ method: 'POST', url: RFC_URL, data: { c2: '', a3: '2 q' } }, Object.fromEntries(RFC_OAUTH) as unknown as OAuth.Data);
  assert.is.not(raw, RFC_BASE_STRING);
  assert.ok(raw.includes('c%252540%3D'), raw);
  assert.not.ok(raw.includes('a3%3D2%2520q'), raw);
});

rfc('puts exactly the protocol parameters in the header, sorted and RFC 3986-encoded', () => {
  const { authorization } = signRequest({ method: 'POST', url: 'https://api.xero.com/oauth/RequestToken', credentials: HMAC, extraOAuth: { oauth_callback: 'http://localhost:9999/cb?x=1 2' }, now: NOW, nonce: 'n1' });
  assert.ok(authorization.includes('oauth_callback="http%3A%2F%2Flocalhost%3A9999%2Fcb%3Fx%3D1%202"'), authorization);
  assert.equal(Object.keys(headerParams(authorization)), ['oauth_callback', 'oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_token', 'oauth_version']);
});

rfc.run();

const queries = suite('oauth1.signRequest queries');

queries('signs a Xero where filter with "=", quotes, spaces and "+" (a space), and an order with a space', () => {
  const url = 'https://api.xero.com/api.xro/2.0/Invoices?where=Reference=="A+B c=d"&order=Date DESC';
  const expected = `GET&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FInvoices&${OAUTH_TAIL}%26order%3DDate%2520DESC%26where%3DReference%253D%253D%2522A%2520B%2520c%253Dd%2522`;
  assert.is(wrapperBase('GET', url), expected);
  expectSignedBase({ method: 'GET', url }, expected);
});

queries('the raw package truncates a value at its first "=" and keeps "+" as a plus', () => {
  assert.is(rawParams('https://x/p?where=Reference=="A"'), 'where=Reference');
  assert.is(rawParams('https://x/p?order=Date+DESC'), 'order=Date%2BDESC');
});

queries('a literal plus sent as %2B stays a plus', () => {
  const url = 'https://api.xero.com/api.xro/2.0/Invoices?where=Reference%3D%3D%22A%2BB%22';
  const expected = `GET&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FInvoices&${OAUTH_TAIL}%26where%3DReference%253D%253D%2522A%252BB%2522`;
  expectSignedBase({ method: 'GET', url }, expected);
});

queries('signs unicode as UTF-8 percent-encoding', () => {
  const url = 'https://api.xero.com/api.xro/2.0/Contacts?where=Name=="Café ☕"';
  const expected = `GET&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FContacts&${OAUTH_TAIL}%26where%3DName%253D%253D%2522Caf%25C3%25A9%2520%25E2%2598%2595%2522`;
  expectSignedBase({ method: 'GET', url }, expected);
});

queries('keeps repeated names, an empty first value included, sorted by value', () => {
  const url = 'https://api.xero.com/api.xro/2.0/Invoices?a=&a=2&a=1';
  expectSignedBase({ method: 'GET', url }, `GET&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FInvoices&a%3D%26a%3D1%26a%3D2%26${OAUTH_TAIL}`);
  assert.is(rawParams(url), 'a=1&a=2', 'the raw package drops the repeat whose first value is empty');
});

queries('keeps a name repeated across the query and the form body', () => {
  const expected = `POST&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FInvoices&a%3D1%26a%3D2%26${OAUTH_TAIL}`;
  expectSignedBase({ method: 'POST', url: 'https://api.xero.com/api.xro/2.0/Invoices?a=2', form: 'a=1' }, expected);
  assert.is(rawParams('https://x/p?a=2', { a: '1' }), 'a=2', 'the raw package lets the query value overwrite the body value');
});

queries('decodes percent-encoded names once (no double encoding)', () => {
  expectSignedBase({ method: 'GET', url: 'https://api.xero.com/p?c%40=1' }, `GET&https%3A%2F%2Fapi.xero.com%2Fp&c%2540%3D1%26${OAUTH_TAIL}`);
  assert.is(rawParams('https://x/p?c%40=1'), 'c%2540=1', 'the raw package encodes the still-encoded name again');
});

queries('decodes "+" in a form body as a space and signs an xml= field', () => {
  const form = encodeForm([['xml', '<Invoices><Invoice><Reference>A+B</Reference></Invoice></Invoices>']]) + '&note=a+b';
  const expected = `POST&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FInvoices&note%3Da%2520b%26${OAUTH_TAIL}%26xml%3D%253CInvoices%253E%253CInvoice%253E%253CReference%253EA%252BB%253C%252FReference%253E%253C%252FInvoice%253E%253C%252FInvoices%253E`;
  expectSignedBase({ method: 'POST', url: 'https://api.xero.com/api.xro/2.0/Invoices', form }, expected);
});

queries('lower-cases scheme and host, drops default ports, keeps other ports and the path as it is', () => {
  assert.is(normalizeRequestUrl('HTTPS://API.Xero.COM:443/api.xro/2.0/Organisation').baseUri, 'https://api.xero.com/api.xro/2.0/Organisation');
  assert.is(normalizeRequestUrl('http://Sandbox.LOCAL:80/Api').baseUri, 'http://sandbox.local/Api');
  assert.is(normalizeRequestUrl('http://127.0.0.1:9090/oauth/RequestToken').baseUri, 'http://127.0.0.1:9090/oauth/RequestToken');
  assert.is(normalizeRequestUrl('https://[::1]:8443/x').baseUri, 'https://[::1]:8443/x');
  expectSignedBase({ method: 'get', url: 'HTTP://Example.COM:80/Path?x=1#frag' }, `GET&http%3A%2F%2Fexample.com%2FPath&${OAUTH_TAIL}%26x%3D1`);
  const raw = rawPackage().getBaseString({ method: 'GET', url: 'HTTP://Example.COM:80/Path?x=1#frag' }, {} as OAuth.Data);
  assert.ok(raw.startsWith('GET&HTTP%3A%2F%2FExample.COM%3A80%2FPath&'), raw);
  assert.ok(raw.includes('%2523frag'), 'the raw package signs the fragment as part of the value');
});

queries('signs an oauth_-named query parameter but never copies it into the header', () => {
  const url = 'https://api.xero.com/p?oauth_x=evil';
  const { authorization } = signRequest({ method: 'GET', url, credentials: HMAC, now: NOW, nonce: 'n1' });
  assert.not.ok('oauth_x' in headerParams(authorization));
  expectSignedBase({ method: 'GET', url }, `GET&https%3A%2F%2Fapi.xero.com%2Fp&${OAUTH_TAIL.replace('oauth_version%3D1.0', 'oauth_version%3D1.0%26oauth_x%3Devil')}`);
  const raw = rawPackage();
  const data = { oauth_consumer_key: 'ck' } as OAuth.Data;
  raw.getSignature({ method: 'GET', url }, '', data);
  assert.ok(raw.toHeader({ ...data, oauth_signature: 's' }).Authorization.includes('oauth_x="evil"'), 'the raw package leaks query parameters into the header');
});

queries.run();

const safety = suite('oauth1.signRequest safety');

safety('always names HMAC-SHA1 or RSA-SHA1 and refuses anything else, PLAINTEXT included', () => {
  assert.is(headerParams(signRequest({ method: 'GET', url: 'https://x.test/', credentials: HMAC, now: NOW }).authorization)['oauth_signature_method'], 'HMAC-SHA1');
  expectAppError(
    () => signRequest({ method: 'GET', url: 'https://x.test/', credentials: { ...HMAC, signatureMethod: 'PLAINTEXT' as never }, now: NOW }),
    'invalid',
    'The signature method must be HMAC-SHA1 or RSA-SHA1, not "PLAINTEXT".',
  );
  const raw = new OAuth({ consumer: { key: 'ck', secret: 'cs' } });
  assert.is(raw.authorize({ method: 'GET', url: 'https://x.test/' }, { key: 'tk', secret: 'ts' }).oauth_signature, 'cs&ts', 'the raw default sends the secrets as the signature');
});

safety('nonces are unique over 10,000 calls even when Math.random is constant', () => {
  const original = Math.random;
  Math.random = () => 0.5;
  try {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(headerParams(signRequest({ method: 'GET', url: 'https://x.test/', credentials: HMAC, now: NOW }).authorization)['oauth_nonce']!);
    assert.is(nonces.size, 10_000);
    for (const nonce of [...nonces].slice(0, 50)) assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.is(rawPackage().getNonce(), rawPackage().getNonce(), "the raw package's nonce comes from Math.random");
  } finally {
    Math.random = original;
  }
});

safety('two RSA-SHA1 signatures in a row both verify against the certificate', () => {
  const credentials: SigningCredentials = { consumerKey: 'ck', privateKeyPem: new Secret(TEST_PRIVATE_KEY), token: 'ck', signatureMethod: 'RSA-SHA1' };
  for (const nonce of ['first', 'second']) {
    const params = headerParams(signRequest({ method: 'GET', url: 'https://api.xero.com/api.xro/2.0/Organisation', credentials, now: NOW, nonce }).authorization);
    const base = `GET&https%3A%2F%2Fapi.xero.com%2Fapi.xro%2F2.0%2FOrganisation&oauth_consumer_key%3Dck%26oauth_nonce%3D${nonce}%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dck%26oauth_version%3D1.0`;
    assert.ok(verify('RSA-SHA1', Buffer.from(base), TEST_CERTIFICATE, Buffer.from(params['oauth_signature']!, 'base64')), `${nonce} signature verifies`);
  }
  const shared = createSign('RSA-SHA1');
  const raw = new OAuth({ consumer: { key: 'ck', secret: '' }, signature_method: 'RSA-SHA1', hash_function: (base) => shared.update(base).sign(TEST_PRIVATE_KEY, 'base64') });
  raw.authorize({ method: 'GET', url: 'https://x.test/' });
  assert.throws(() => raw.authorize({ method: 'GET', url: 'https://x.test/' }), /Not initialised/, 'a reused Sign object throws on the second call');
});

safety('refuses inputs it cannot sign faithfully, with a sentence saying why', () => {
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/?a=%E0%A4%A', credentials: HMAC, now: NOW }), 'invalid', 'The parameter text "%E0%A4%A" has a malformed percent-escape; encode "%" as %25.');
  expectAppError(() => signRequest({ method: 'POST', url: 'https://x.test/', form: [['a', '\uD800']], credentials: HMAC, now: NOW }), 'invalid', /lone surrogate/);
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/?__proto__=x', credentials: HMAC, now: NOW }), 'invalid', 'A request parameter may not be named "__proto__".');
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/', credentials: HMAC, extraOAuth: { scope: 'payroll' }, now: NOW }), 'invalid', '"scope" cannot be passed as an extra OAuth parameter.');
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/', credentials: HMAC, extraOAuth: { oauth_nonce: 'x' }, now: NOW }), 'invalid', '"oauth_nonce" cannot be passed as an extra OAuth parameter.');
  expectAppError(() => signRequest({ method: 'GET', url: 'ftp://x.test/', credentials: HMAC, now: NOW }), 'invalid', 'The request URL must use http or https, not ftp.');
  expectAppError(() => signRequest({ method: 'GET', url: '/relative', credentials: HMAC, now: NOW }), 'invalid', 'The request URL "/relative" is not an absolute URL.');
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/', credentials: { consumerKey: 'ck', signatureMethod: 'HMAC-SHA1' }, now: NOW }), 'invalid', 'HMAC-SHA1 signing needs the consumer secret.');
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/', credentials: { consumerKey: 'ck', privateKeyPem: new Secret('not a key'), signatureMethod: 'RSA-SHA1' }, now: NOW }), 'invalid', 'The private key could not be read; it must be a PEM-encoded RSA private key.');
  expectAppError(() => signRequest({ method: 'GET', url: 'https://x.test/', credentials: HMAC, now: new Date(Number.NaN) }), 'invalid', 'The signing time must be a valid date.');
});

safety('keeps secrets out of the header and treats names like "constructor" as ordinary parameters', () => {
  const { authorization } = signRequest({ method: 'GET', url: 'https://x.test/p?constructor=1&toString=2', credentials: HMAC, now: NOW, nonce: 'n1' });
  assert.not.ok(Object.values(headerParams(authorization)).some((value) => value === 'cs' || value === 'ts' || value.includes('cs&ts')), authorization);
  expectSignedBase({ method: 'GET', url: 'https://x.test/p?constructor=1&toString=2' }, `GET&https%3A%2F%2Fx.test%2Fp&constructor%3D1%26${OAUTH_TAIL}%26toString%3D2`);
});

safety.run();
