import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { baseStringUri, formDecode, normalizeParameters, percentEncode, signatureBaseString } from '../../src/sandbox/oauth1/base-string';
import { NonceLedger } from '../../src/sandbox/oauth1/nonces';
import { parseSignedRequest } from '../../src/sandbox/oauth1/signed-request';
import { SANDBOX_MIGRATIONS } from '../../src/sandbox/store/migrations';
import { openDatabase } from '../../src/store/db';
import { parseAuthorizationHeader, verifyHmacSha1, verifyRsaSha1 } from '../../src/sandbox/oauth1/verify';
import { signRequest, TEST_CERTIFICATE, TEST_PRIVATE_KEY } from '../helpers/oauth1-client';

// RFC 5849 §3.4.1.1: the worked example request.
const RFC_REQUEST = {
  method: 'POST',
  origin: 'http://example.com',
  target: '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  authorization:
    'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"',
  formBody: 'c2&a3=2+q',
};
const RFC_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';
const RFC_NORMALIZED =
  'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7';

const rfc = suite('oauth1.baseString');

rfc('reproduces the RFC 5849 §3.4.1.1 base string byte for byte from the raw request', () => {
  const request = parseSignedRequest(RFC_REQUEST);
  assert.is(signatureBaseString(request.method, request.uri, request.parameters), RFC_BASE_STRING);
});

rfc('reproduces the RFC 5849 §3.4.1.3.2 normalized parameter string', () => {
  const request = parseSignedRequest(RFC_REQUEST);
  assert.is(normalizeParameters(request.parameters), RFC_NORMALIZED);
});

rfc('leaves realm and oauth_signature out of the signed parameters but keeps the signature as a protocol parameter', () => {
  const request = parseSignedRequest(RFC_REQUEST);
  assert.not.ok(request.parameters.some(([name]) => name === 'realm' || name === 'oauth_signature'));
  assert.is(request.protocol.get('oauth_signature'), 'djosJKDKJSD8743243/jdk33klY=');
});

rfc('builds the RFC 5849 §3.4.1.2 base string URIs', () => {
  assert.is(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123'), 'http://example.com/r%20v/X');
  assert.is(baseStringUri('https://www.example.net:8080/?q=1'), 'https://www.example.net:8080/');
  assert.is(baseStringUri('HTTPS://Api.Example.com:443'), 'https://api.example.com/');
  assert.is(baseStringUri('http://example.com:443/a'), 'http://example.com:443/a');
  assert.is(baseStringUri('http://127.0.0.1:41234/api.xro/2.0/Invoices'), 'http://127.0.0.1:41234/api.xro/2.0/Invoices');
});

rfc('percent-encodes per RFC 3986 with uppercase hex, including the characters encodeURIComponent spares', () => {
  assert.is(percentEncode("AZaz09-._~ !'()*+/=&%"), "AZaz09-._~%20%21%27%28%29%2A%2B%2F%3D%26%25");
  assert.is(percentEncode('Café ☕'), 'Caf%C3%A9%20%E2%98%95');
});

rfc('form-decodes "+" as a space and keeps repeated names and empty values', () => {
  assert.equal(formDecode('a=1&a=2&b&c=x+y%2Bz&&d='), [['a', '1'], ['a', '2'], ['b', ''], ['c', 'x y+z'], ['d', '']]);
});

rfc('sorts by encoded name then encoded value, so repeated names keep every value', () => {
  assert.is(normalizeParameters([['b', '2'], ['a', 'z'], ['a', 'b'], ['A', 'c']]), 'A=c&a=b&a=z&b=2');
});

const header = suite('oauth1.parseAuthorizationHeader');

header('percent-decodes names and values, keeping "+" literal', () => {
  assert.equal(parseAuthorizationHeader('OAuth realm="x", oauth_nonce="a%20b+c", oauth_token=""'), {
    kind: 'oauth',
    parameters: [['realm', 'x'], ['oauth_nonce', 'a b+c'], ['oauth_token', '']],
  });
});

header('accepts any case of the scheme, no spaces after commas, and a bare "OAuth"', () => {
  assert.equal(parseAuthorizationHeader('oauth a="1",b="2"'), { kind: 'oauth', parameters: [['a', '1'], ['b', '2']] });
  assert.equal(parseAuthorizationHeader('OAuth'), { kind: 'oauth', parameters: [] });
});

header('treats another scheme or no header as none, and garbage as malformed', () => {
  assert.equal(parseAuthorizationHeader('Bearer abc'), { kind: 'none' });
  assert.equal(parseAuthorizationHeader(undefined), { kind: 'none' });
  assert.equal(parseAuthorizationHeader('OAuth oauth_nonce="unterminated'), { kind: 'malformed' });
});

const signatures = suite('oauth1.verifySignatures');

signatures('accepts the HMAC-SHA1 signature Twitter documents for its worked example', () => {
  const request = parseSignedRequest({
    method: 'POST',
    origin: 'https://api.twitter.com',
    target: '/1/statuses/update.json?include_entities=true',
    authorization:
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    formBody: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
  });
  const base = signatureBaseString(request.method, request.uri, request.parameters);
  const signature = request.protocol.get('oauth_signature')!;
  assert.ok(verifyHmacSha1(base, 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE', signature));
  assert.not.ok(verifyHmacSha1(base, 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', 'wrong-token-secret', signature));
  assert.not.ok(verifyHmacSha1(base + 'x', 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE', signature));
});

signatures('rejects signatures that are not padded base64 of the right length', () => {
  assert.not.ok(verifyHmacSha1('base', 's', 't', ''));
  assert.not.ok(verifyHmacSha1('base', 's', 't', 'not base64!'));
  assert.not.ok(verifyHmacSha1('base', 's', 't', 'AAAA'));
});

signatures('verifies an RSA-SHA1 signature from the independent test signer against the certificate', () => {
  const signed = signRequest({
    method: 'GET',
    url: 'http://127.0.0.1:8080/api.xro/2.0/Invoices?where=Status%3D%3D%22PAID%22',
    credentials: { consumerKey: 'KEY', consumerSecret: '', signatureMethod: 'RSA-SHA1', privateKeyPem: TEST_PRIVATE_KEY, token: 'KEY' },
  });
  const request = parseSignedRequest({ method: 'GET', origin: 'http://127.0.0.1:8080', target: '/api.xro/2.0/Invoices?where=Status%3D%3D%22PAID%22', authorization: signed.authorization, formBody: undefined });
  const base = signatureBaseString(request.method, request.uri, request.parameters);
  assert.is(base, signed.baseString);
  assert.ok(verifyRsaSha1(base, TEST_CERTIFICATE, request.protocol.get('oauth_signature')!));
  assert.not.ok(verifyRsaSha1(base.replace('PAID', 'VOID'), TEST_CERTIFICATE, request.protocol.get('oauth_signature')!));
  assert.not.ok(verifyRsaSha1(base, 'not a certificate', request.protocol.get('oauth_signature')!));
});

signatures('agrees with the test signer on awkward query strings: "=", quotes, "+", spaces, unicode, repeated names', () => {
  const target = '/api.xro/2.0/Invoices?where=Reference%3D%3D%22A%2BB+c%22&name=Caf%C3%A9%20%E2%98%95&a=2&a=1&empty=&flag';
  const signed = signRequest({ method: 'GET', url: `http://localhost:3000${target}`, credentials: { consumerKey: 'k', consumerSecret: 's', signatureMethod: 'HMAC-SHA1', token: 't', tokenSecret: 'ts' } });
  const request = parseSignedRequest({ method: 'GET', origin: 'http://localhost:3000', target, authorization: signed.authorization, formBody: undefined });
  assert.ok(request.parameters.some(([name, value]) => name === 'where' && value === 'Reference=="A+B c"'));
  assert.ok(request.parameters.some(([name, value]) => name === 'name' && value === 'Café ☕'));
  assert.is(signatureBaseString(request.method, request.uri, request.parameters), signed.baseString);
  assert.ok(verifyHmacSha1(signed.baseString, 's', 'ts', request.protocol.get('oauth_signature')!));
});

signatures('collects protocol parameters from the query and form body too, and reports duplicates', () => {
  const request = parseSignedRequest({
    method: 'POST',
    origin: 'http://h',
    target: '/oauth/AccessToken?oauth_session_handle=H1',
    authorization: 'OAuth oauth_token="T", oauth_session_handle="H2"',
    formBody: 'oauth_nonce=n',
  });
  assert.is(request.protocol.get('oauth_session_handle'), 'H1');
  assert.is(request.protocol.get('oauth_nonce'), 'n');
  assert.equal(request.duplicates, ['oauth_session_handle']);
});

const nonces = suite('oauth1.NonceLedger');

nonces('refuses a nonce seen with the same consumer, token and timestamp, and forgets it once out of the window', () => {
  const db = openDatabase(':memory:', { migrations: SANDBOX_MIGRATIONS });
  const ledger = new NonceLedger(db);
  const use = { consumerKey: 'C', token: 'T', timestamp: 1000, nonce: 'n' };
  assert.ok(ledger.record(use, 1000, 300));
  assert.not.ok(ledger.record(use, 1000, 300));
  assert.ok(ledger.record({ ...use, token: 'other' }, 1000, 300));
  assert.ok(ledger.record({ ...use, timestamp: 1001 }, 1001, 300));
  assert.ok(ledger.record({ ...use, consumerKey: 'D' }, 1001, 300));
  assert.is(ledger.prune(1300, 300), 0);
  assert.is(ledger.prune(1301, 300), 3);
  assert.is(ledger.prune(1302, 300), 1);
  db.close();
});

const independence = suite('oauth1.independence');

const importsOf = (path: string) => [...readFileSync(path, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

independence('the sandbox verifier and the test signer share no code, so each checks the other', () => {
  for (const target of importsOf('test/helpers/oauth1-client.ts')) assert.not.match(target, /src\//, `the test signer imports ${target}`);
  for (const name of readdirSync('src/sandbox/oauth1')) {
    for (const target of importsOf(`src/sandbox/oauth1/${name}`)) {
      assert.not.match(target, /domain\/|test\//, `src/sandbox/oauth1/${name} imports ${target}, where client signing lives`);
    }
  }
});

rfc.run();
independence.run();
header.run();
signatures.run();
nonces.run();
