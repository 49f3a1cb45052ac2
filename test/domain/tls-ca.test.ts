import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ipBytes, normaliseIp } from '../../src/domain/tls/ip-address';
import { caPermitted, isCovered, splitByPermission, wantedNames, type HostFacts } from '../../src/domain/tls/lan-names';
import { createLocalCa, issueServerCertificate, renewalReason, sanNames, spkiSha256, type IssuedPair } from '../../src/domain/tls/local-ca';
import { ManualClock, systemClock } from '../../src/lib/clock';

const DAY = 86_400_000;
const HOST: HostFacts = { hostname: 'shop', addresses: ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1c2b:3aff:fe4d:5e6f', '203.0.113.7', 'fd12:3456:789a::20'] };
const PUBLIC_HOST = 'pos.harbourside.lan';
const permitted = caPermitted(HOST, PUBLIC_HOST);
// Real time: Node's TLS checks validity against the real clock.
const ca = createLocalCa(systemClock, HOST.hostname, permitted);
const caCertificate = new X509Certificate(ca.certificatePem);
const dir = mkdtempSync(join(tmpdir(), 'xp-tls-ca-'));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A server certificate from the CA naming anything at all: what someone holding the CA's key could make. */
function forged(names: { dnsNames: string[]; ipAddresses: string[] }): IssuedPair {
  return issueServerCertificate(systemClock, ca, names);
}

/** A real TLS handshake: a server presenting `pair` with the CA's certificate, a client trusting only the CA. */
async function handshake(pair: IssuedPair, servername: string, trusted = ca.certificatePem, chain = ca.certificatePem): Promise<string> {
  const server = createServer({ key: pair.privateKey.reveal(), cert: pair.certificatePem + chain, minVersion: 'TLSv1.2' }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername: /^[\d.]+$/.test(servername) ? undefined : servername, ca: trusted }, () => {
        socket.end();
        resolve('accepted');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'UNSPECIFIED' ? error.message : (error.code ?? error.message)));
    });
  } finally {
    server.close();
  }
}

const local = suite('tls.createLocalCa');

local('the CA is an ECDSA P-256 root for ten years that may sign servers only, with critical name constraints OpenSSL reads', () => {
  assert.ok(caCertificate.ca);
  assert.is(caCertificate.publicKey.asymmetricKeyType, 'ec');
  assert.is(caCertificate.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.is(Math.round((caCertificate.validToDate.getTime() - caCertificate.validFromDate.getTime()) / DAY), 3652);
  assert.ok(caCertificate.verify(caCertificate.publicKey), 'self-signed');
  writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
  const text = openssl('x509', '-in', join(dir, 'ca.pem'), '-noout', '-text');
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign/);
  assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  const constraints = /X509v3 Name Constraints: critical\n([\s\S]*?)\n\s+X509v3 Subject Key Identifier/.exec(text)?.[1];
  assert.ok(constraints, text);
  assert.equal(
    constraints!.split('\n').map((line) => line.trim()),
    [
      'Permitted:',
      'DNS:localhost',
      'DNS:local',
      'DNS:home.arpa',
      'DNS:internal',
      'DNS:lan',
      'DNS:shop',
      'IP:10.0.0.0/255.0.0.0',
      'IP:172.16.0.0/255.240.0.0',
      'IP:192.168.0.0/255.255.0.0',
      'IP:127.0.0.0/255.0.0.0',
      'IP:169.254.0.0/255.255.0.0',
      'IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
      'IP:FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0',
      'IP:FE80:0:0:0:0:0:0:0/FFC0:0:0:0:0:0:0:0',
      'Excluded:',
      'DNS:.shop',
    ],
    'the public URL pos.harbourside.lan is under "lan" already; the bare host name "shop" (also a public top-level domain) is permitted alone, not the names below it',
  );
});

local('the server certificate names the host and its LAN addresses, for serverAuth, for 397 days, signed by the CA', () => {
  const names = wantedNames(HOST, PUBLIC_HOST);
  assert.equal(names, { dnsNames: ['localhost', 'shop', 'shop.local', 'pos.harbourside.lan'], ipAddresses: ['127.0.0.1', '::1', '192.168.1.20', 'fd12:3456:789a::20'] }, 'no public address, no link-local IPv6');
  const server = issueServerCertificate(systemClock, ca, names);
  const certificate = new X509Certificate(server.certificatePem);
  assert.ok(certificate.checkIssued(caCertificate) && certificate.verify(caCertificate.publicKey));
  assert.not.ok(certificate.ca);
  assert.equal(sanNames(certificate), names);
  assert.is((certificate.validToDate.getTime() - certificate.validFromDate.getTime()) / DAY, 397);
  assert.ok(certificate.validFromDate.getTime() < Date.now() - 59 * 60_000, 'starts an hour back, for devices whose clock is a little behind');
  writeFileSync(join(dir, 'server.pem'), server.certificatePem);
  const text = openssl('x509', '-in', join(dir, 'server.pem'), '-noout', '-text');
  assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
  assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
  assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
  assert.is(openssl('verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'server.pem')).trim(), `${join(dir, 'server.pem')}: OK`);
});

local('its SPKI fingerprint is the base64 SHA-256 that openssl computes from the public key', () => {
  const fromOpenssl = execFileSync('sh', ['-c', `openssl x509 -in '${join(dir, 'ca.pem')}' -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`], { encoding: 'utf8' }).trim();
  assert.is(spkiSha256(caCertificate), fromOpenssl);
});

const enforced = suite('tls name constraints, as Node (OpenSSL) enforces them');

enforced('a client trusting only the CA accepts the server certificate by each of its names and addresses', async () => {
  const server = issueServerCertificate(systemClock, ca, wantedNames(HOST, PUBLIC_HOST));
  for (const name of ['localhost', 'shop', 'shop.local', 'pos.harbourside.lan']) assert.is(await handshake(server, name), 'accepted', name);
});

enforced('a certificate the CA signed for bank.example.com is refused: a leaked CA key cannot vouch for names outside the LAN', async () => {
  assert.is(await handshake(forged({ dnsNames: ['bank.example.com'], ipAddresses: [] }), 'bank.example.com'), 'permitted subtree violation');
});

enforced('nor for a public address, nor for a name below the bare host name, while the private suffixes cover any name below them', async () => {
  assert.is(await handshake(forged({ dnsNames: ['localhost'], ipAddresses: ['203.0.113.7'] }), 'localhost'), 'permitted subtree violation');
  assert.is(await handshake(forged({ dnsNames: ['harbourside.shop'], ipAddresses: [] }), 'harbourside.shop'), 'excluded subtree violation');
  assert.is(await handshake(forged({ dnsNames: ['till-2.harbourside.lan'], ipAddresses: ['10.1.2.3'] }), 'till-2.harbourside.lan'), 'accepted');
});

enforced("the domain's own reading of the constraints agrees with OpenSSL's, name by name", async () => {
  for (const name of ['shop', 'x.shop', 'shop.lan', 'a.b.local', 'local', 'localhost', 'evil-localhost', 'example.com', 'pos.harbourside.lan', 'harbourside.lan.example.com', 'home.arpa', 'printer.home.arpa', 'internal']) {
    const domain = isCovered(name, permitted) ? 'accepted' : 'refused';
    const tls = (await handshake(forged({ dnsNames: [name], ipAddresses: [] }), name)) === 'accepted' ? 'accepted' : 'refused';
    assert.is(domain, tls, name);
  }
});

enforced('a server certificate from another CA, even for the right name, is refused by a client trusting only this CA', async () => {
  const otherCa = createLocalCa(systemClock, HOST.hostname, permitted);
  const impostor = issueServerCertificate(systemClock, otherCa, wantedNames(HOST, PUBLIC_HOST));
  assert.is(await handshake(impostor, 'localhost', ca.certificatePem, otherCa.certificatePem), 'SELF_SIGNED_CERT_IN_CHAIN');
});

const names = suite('tls.names');

names('names the CA may not sign for are split off, never issued', () => {
  const renamed: HostFacts = { hostname: 'office-pc', addresses: ['192.168.1.20'] };
  const split = splitByPermission(wantedNames(renamed, 'office-pc'), permitted);
  assert.equal(split.allowed, { dnsNames: ['localhost', 'office-pc.local'], ipAddresses: ['192.168.1.20'] });
  assert.equal(split.refused, ['office-pc']);
});

names('addresses are read in every spelling and shown in the short one', () => {
  assert.equal([...ipBytes('::ffff:192.0.2.1')], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
  assert.equal([...ipBytes('fe80::1%eth0')].slice(0, 2), [0xfe, 0x80]);
  assert.is(normaliseIp('0:0:0:0:0:0:0:1'), '::1');
  assert.is(normaliseIp('FD12:3456:789A:0:0:0:0:20'), 'fd12:3456:789a::20');
  assert.is(normaliseIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.is(normaliseIp('192.168.001.020'.replace(/\b0+(\d)/g, '$1')), '192.168.1.20');
});

const renewal = suite('tls.renewalReason');

renewal('a server certificate is renewed when none exists, inside 30 days of its end, when the host gains an address, or when another CA signed it', () => {
  const clock = new ManualClock(Date.now());
  const wanted = splitByPermission(wantedNames(HOST, PUBLIC_HOST), permitted).allowed;
  const certificate = new X509Certificate(issueServerCertificate(clock, ca, wanted).certificatePem);
  assert.is(renewalReason(undefined, caCertificate, wanted, clock), 'there is no server certificate yet');
  assert.is(renewalReason(certificate, caCertificate, wanted, clock), undefined);
  assert.is(renewalReason(certificate, caCertificate, { ...wanted, ipAddresses: wanted.ipAddresses.slice(1) }, clock), undefined, 'an address the host no longer has does no harm');
  assert.is(renewalReason(certificate, caCertificate, { ...wanted, ipAddresses: [...wanted.ipAddresses, '10.0.0.9'] }, clock), 'the host is now also reached as 10.0.0.9');
  clock.advance(366 * DAY);
  assert.is(renewalReason(certificate, caCertificate, wanted, clock), undefined, '30 days and an hour are left');
  clock.advance(DAY);
  assert.is(renewalReason(certificate, caCertificate, wanted, clock), 'the server certificate has 30 days left');
  clock.advance(31 * DAY);
  assert.is(renewalReason(certificate, caCertificate, wanted, clock), 'the server certificate has expired');
  const otherCa = new X509Certificate(createLocalCa(clock, 'shop', permitted).certificatePem);
  assert.is(renewalReason(certificate, otherCa, wanted, new ManualClock(Date.now())), 'the server certificate was not signed by the current CA');
});

renewal('a certificate never outlives the CA that signed it', () => {
  const clock = new ManualClock(Date.now() + 3600 * DAY);
  const late = new X509Certificate(issueServerCertificate(clock, ca, { dnsNames: ['localhost'], ipAddresses: [] }).certificatePem);
  assert.is(late.validToDate.getTime(), caCertificate.validToDate.getTime());
});

const generated = suite('tls keys');

generated('each CA has its own key, and the private keys are PKCS#8 PEM that never serialise', () => {
  const again = createLocalCa(systemClock, 'shop', permitted);
  assert.is.not(spkiSha256(new X509Certificate(again.certificatePem)), spkiSha256(caCertificate));
  assert.match(ca.privateKey.reveal(), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.is(JSON.stringify(ca), `{"certificatePem":${JSON.stringify(ca.certificatePem)},"privateKey":"[redacted]"}`);
  assert.ok(generateKeyPairSync, 'Node makes the keys');
});

local.run();
enforced.run();
names.run();
renewal.run();
generated.run();
