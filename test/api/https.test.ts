import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { caPermitted } from '../../src/domain/tls/lan-names';
import { createLocalCa, issueServerCertificate } from '../../src/domain/tls/local-ca';
import { systemClock } from '../../src/lib/clock';
import { startLink } from '../../src/services/linking';
import { pinnedRequest, spkiOf } from '../helpers/https';
import { asCli } from '../helpers/actor';
import { startWorld, type LinkedWorld } from '../helpers/linked';

interface Context {
  world: LinkedWorld;
  /** The proxy's HTTPS origin (https://127.0.0.1:port) and the same port in plain HTTP. */
  https: string;
  plain: string;
  dir: string;
}

const https = suite<Context>('api over HTTPS (server.tls = "auto")');

https.before(async (context) => {
  context.world = await startWorld('private', { publicUrlIsSelf: true, env: { XERO_PROXY_SERVER_TLS: 'auto' } });
  context.https = context.world.proxy.url;
  context.plain = context.https.replace(/^https:/, 'http:');
  context.dir = mkdtempSync(join(tmpdir(), 'xp-https-'));
});

https.after(async ({ world }) => {
  await world.stop();
});

const json = { 'content-type': 'application/json' };

/** A till pairs as the README says: first contact unverified, then everything pinned to the CA the answer names. */
async function pairTill(context: Context, deviceId: string): Promise<{ key: string; ca: string; pin: string; pairingId: string }> {
  const first = await pinnedRequest(`${context.https}/api/v1/pair`, { method: 'POST', headers: json, body: JSON.stringify({ deviceId }) });
  assert.is(first.status, 200, first.text);
  const started = JSON.parse(first.text) as { pairingId: string; userCode: string; tls: { caSpkiSha256: string; caCertificate: string } };
  const { caSpkiSha256: pin, caCertificate: ca } = started.tls;
  assert.is(spkiOf(ca), pin, 'the CA certificate in the answer is the one the fingerprint names');
  assert.is(spkiOf(first.chain.at(-1)!.raw), pin, 'and the one the server presented, whole chain, on first contact');
  const linked = await startLink(asCli(context.world.proxy.running.proxy.deps), { pairingUserCode: started.userCode });
  assert.is(linked.kind, 'linked');
  const token = await pinnedRequest(`${context.https}/api/v1/pair/token`, { method: 'POST', headers: json, body: JSON.stringify({ pairingId: started.pairingId }), ca, pinCaSpki: pin });
  assert.is(token.status, 200, token.text);
  return { key: (JSON.parse(token.text) as { apiKey: string }).apiKey, ca, pin, pairingId: started.pairingId };
}

function curl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)('curl', ['-sS', ...args], { timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** Another server on the LAN posing as the proxy: its own CA, a certificate for `names`. */
async function impostor(names: { dnsNames: string[]; ipAddresses: string[] }): Promise<{ server: Server; url: string; ca: string }> {
  const otherCa = createLocalCa(systemClock, 'impostor', caPermitted({ hostname: 'impostor', addresses: [] }, names.dnsNames[0]!));
  const leaf = issueServerCertificate(systemClock, otherCa, names);
  const server = createServer({ key: leaf.privateKey.reveal(), cert: leaf.certificatePem + otherCa.certificatePem }, (socket) => {
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://localhost:${(server.address() as { port: number }).port}`, ca: otherCa.certificatePem };
}

https("a till's key works over HTTPS with the CA pinned: a Node client checking the CA's SPKI from the pairing answer, and curl with only the CA as --cacert", async (context) => {
  const till = await pairTill(context, 'TILL-HTTPS-1');
  const status = await pinnedRequest(`${context.https}/api/v1/status`, { headers: { authorization: `Bearer ${till.key}` }, ca: till.ca, pinCaSpki: till.pin });
  assert.is(status.status, 200, status.text);
  assert.is((JSON.parse(status.text) as { device: { deviceId: string } }).device.deviceId, 'TILL-HTTPS-1');
  assert.is(status.chain.length, 2, 'the server presents its certificate and the CA');

  const download = await pinnedRequest(`${context.https}/ca.crt`, { ca: till.ca, pinCaSpki: till.pin });
  assert.is(download.status, 200);
  assert.is(download.headers['content-type'], 'application/x-x509-ca-cert');
  assert.is(spkiOf(download.text), till.pin, 'the downloadable CA certificate is the pinned one');
  const caFile = join(context.dir, 'ca.crt');
  writeFileSync(caFile, download.text);
  for (const origin of [context.https, context.https.replace('127.0.0.1', 'localhost')]) {
    const answer = await curl('--cacert', caFile, '-H', `Authorization: Bearer ${till.key}`, '-w', '\n%{http_code}', `${origin}/api/v1/status`);
    assert.is(answer.code, 0, answer.stderr);
    assert.match(answer.stdout, /"deviceId":"TILL-HTTPS-1"[\s\S]*\n200$/);
  }
  const unpinned = await curl('-H', `Authorization: Bearer ${till.key}`, `${context.https}/api/v1/status`);
  assert.is(unpinned.code, 60, 'curl with its usual CAs does not trust the proxy: the CA must be given');
});

https('a server with a certificate for another name from a different CA is refused by the pinned Node client and by curl', async (context) => {
  const till = await pairTill(context, 'TILL-HTTPS-2');
  const other = await impostor({ dnsNames: ['bank.example.com'], ipAddresses: [] });
  const lookalike = await impostor({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  try {
    const refused = await pinnedRequest(`${other.url}/api/v1/status`, { headers: { authorization: `Bearer ${till.key}` }, ca: till.ca, pinCaSpki: till.pin }).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    assert.is(refused, 'SELF_SIGNED_CERT_IN_CHAIN');
    const caFile = join(context.dir, 'ca-2.crt');
    writeFileSync(caFile, till.ca);
    const byCurl = await curl('--cacert', caFile, `${other.url}/api/v1/status`);
    assert.is(byCurl.code, 60, byCurl.stderr);
    // Even a client that also trusts the other CA, talking to a certificate for the right name, is saved by the pin.
    const pinned = await pinnedRequest(`${lookalike.url}/api/v1/status`, { ca: `${till.ca}${lookalike.ca}`, pinCaSpki: till.pin }).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    assert.is(pinned, 'ERR_PIN_MISMATCH');
  } finally {
    other.server.close();
    lookalike.server.close();
  }
});

https('plain HTTP on the same port never gets an API answer: every /api/v1 request is refused unread, and a pairing key waits for HTTPS', async (context) => {
  const till = await pairTill(context, 'TILL-HTTPS-3');
  const started = await pinnedRequest(`${context.https}/api/v1/pair`, { method: 'POST', headers: json, body: JSON.stringify({ deviceId: 'TILL-HTTPS-4' }), ca: till.ca, pinCaSpki: till.pin });
  const pairing = JSON.parse(started.text) as { pairingId: string; userCode: string };
  assert.is((await startLink(asCli(context.world.proxy.running.proxy.deps), { pairingUserCode: pairing.userCode })).kind, 'linked');

  const asks: Array<[string, RequestInit]> = [
    ['/api/v1/status', { headers: { authorization: `Bearer ${till.key}` } }],
    ['/api/v1/pair', { method: 'POST', headers: json, body: JSON.stringify({ deviceId: 'TILL-PLAIN' }) }],
    ['/api/v1/pair/token', { method: 'POST', headers: json, body: JSON.stringify({ pairingId: pairing.pairingId }) }],
    ['/api/v1/openapi.json', {}],
    ['/api/v1/invoices', { method: 'POST', headers: { ...json, authorization: `Bearer ${till.key}` }, body: '{"Invoices":[]}' }],
    ['/api/v1', {}],
  ];
  for (const [path, init] of asks) {
    const answer = await fetch(`${context.plain}${path}`, { ...init, redirect: 'manual' });
    const text = await answer.text();
    assert.is(answer.status, 403, `${path}: ${text}`);
    const error = (JSON.parse(text) as { error: { code: string; message: string; hint: string } }).error;
    assert.is(error.code, 'forbidden');
    assert.match(error.message, 'The device API answers only over HTTPS, and this request came in plain HTTP, so it was not read.');
    assert.is(error.hint, `Call ${context.https}/api/v1/… and pin the proxy's CA: its fingerprint is on the settings page and in the answer to POST /api/v1/pair.`);
    assert.is(/Its API key crossed the network unencrypted/.test(error.message), typeof (init.headers as Record<string, string> | undefined)?.['authorization'] === 'string', path);
    assert.not.match(text, 'xpk_');
  }
  const key = await pinnedRequest(`${context.https}/api/v1/pair/token`, { method: 'POST', headers: json, body: JSON.stringify({ pairingId: pairing.pairingId }), ca: till.ca, pinCaSpki: till.pin });
  assert.match(key.text, /"apiKey":"xpk_/, 'the key was kept for the HTTPS poll');
});

https('a person who types the http:// address is redirected to the same page over HTTPS; TLS below 1.2 is refused', async (context) => {
  for (const path of ['/settings', '/connect?code=WDJB-MJHT', '/healthz', '/']) {
    const answer = await fetch(`${context.plain}${path}`, { redirect: 'manual' });
    assert.is(answer.status, 301, path);
    assert.is(answer.headers.get('location'), `${context.https}${path}`);
  }
  const port = Number(new URL(context.https).port);
  const old = await new Promise<string>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', rejectUnauthorized: false }, () => resolve(`connected with ${socket.getProtocol()}`));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  assert.match(old, /ERR_SSL_(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE)/);
});

https('the private keys of the CA and the server certificate are sealed in the store, never on disk in plain text', async (context) => {
  const { dataDir } = context.world.proxy;
  const served = context.world.proxy.running.proxy.tls!.served;
  const secretLine = served.key.reveal().split('\n')[1]!;
  for (const file of readdirSync(dataDir)) {
    const bytes = readFileSync(join(dataDir, file));
    assert.not.ok(bytes.includes('PRIVATE KEY'), `${file} holds a PEM private key`);
    assert.not.ok(bytes.includes(secretLine), `${file} holds the server key in plain text`);
  }
  assert.ok(new X509Certificate(served.certificateChain).checkPrivateKey(await import('node:crypto').then((crypto) => crypto.createPrivateKey(served.key.reveal()))));
});

https.run();
