import { createHash, createPrivateKey, createSign, createVerify, generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { importKeyPair, type ImportInput } from '../../src/domain/certificate-import';
import { expiryStatus, generateKeyPair, VALIDITY_DAYS, type KeyPair } from '../../src/domain/certificates';
import { ManualClock } from '../../src/lib/clock';
import { AppError } from '../../src/lib/errors';

const DAY = 86_400_000;
const clock = () => new ManualClock('2026-03-01T10:20:30.456Z');
// One pair per size for the whole file: RSA key generation is the slow part.
const pair = generateKeyPair(clock(), { organisationName: 'Harbourside Café' });
const other = generateKeyPair(clock());

function throwsApp(work: () => unknown, code: string, message: string): AppError {
  try {
    work();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, code);
    assert.is((error as AppError).message, message);
    return error as AppError;
  }
  assert.unreachable(`expected AppError ${code}: ${message}`);
  throw new Error('unreachable');
}

const generate = suite('certificates.generateKeyPair');

generate('makes a self-signed 2048-bit RSA certificate valid for 1825 days from the clock, to the second', () => {
  const cert = new X509Certificate(pair.info.certificatePem);
  assert.is(pair.info.subject, 'CN=Xero Comms Proxy, O=Harbourside Café');
  assert.is(cert.issuer, cert.subject, 'self-signed: issuer is subject');
  assert.ok(cert.verify(cert.publicKey), 'signed by its own key');
  assert.is(pair.info.keyBits, 2048);
  assert.is(pair.info.notBefore, '2026-03-01T10:20:30.000Z');
  assert.is(Date.parse(pair.info.notAfter) - Date.parse(pair.info.notBefore), VALIDITY_DAYS * DAY);
  assert.is(pair.info.notAfter, '2031-02-28T10:20:30.000Z');
  assert.is(other.info.subject, 'CN=Xero Comms Proxy', 'O= only when an organisation is named');
});

generate('fingerprints are colon hex of the DER, as openssl and Xero show them', () => {
  const der = new X509Certificate(pair.info.certificatePem).raw;
  const colonHex = (algorithm: string) => createHash(algorithm).update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  assert.is(pair.info.fingerprintSha1, colonHex('sha1'));
  assert.is(pair.info.fingerprintSha256, colonHex('sha256'));
  assert.match(pair.info.fingerprintSha1, /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
});

generate('the private key is PKCS#8 PEM, signs RSA-SHA1 verifiably with the certificate, and never serialises', () => {
  const pem = pair.privateKey.reveal();
  assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.ok(new X509Certificate(pair.info.certificatePem).checkPrivateKey(createPrivateKey(pem)));
  const signature = createSign('RSA-SHA1').update('GET&base').sign(pem, 'base64');
  assert.ok(createVerify('RSA-SHA1').update('GET&base').verify(pair.info.certificatePem, signature, 'base64'));
  assert.is(JSON.stringify(pair), JSON.stringify({ info: pair.info, privateKey: '[redacted]' }));
  assert.is.not(pair.info.fingerprintSha256, other.info.fingerprintSha256, 'each call makes a new pair');
});

generate('refuses an organisation name X.509 cannot hold', () => {
  const message = 'organisation name: must be 1 to 64 printable characters (the X.509 limit for O=).';
  throwsApp(() => generateKeyPair(clock(), { organisationName: 'x'.repeat(65) }), 'invalid', message);
  throwsApp(() => generateKeyPair(clock(), { organisationName: 'a\nb' }), 'invalid', message);
});

const imports = suite('certificates.importKeyPair');
const files = (key: string | Buffer, cert: string | Buffer): ImportInput => ({
  key: { source: 'privatekey.pem', bytes: Buffer.from(key) },
  certificate: { source: 'publickey.cer', bytes: Buffer.from(cert) },
});
const pkcs1 = (p: KeyPair) => createPrivateKey(p.privateKey.reveal()).export({ type: 'pkcs1', format: 'pem' }) as string;

imports('accepts a PKCS#1 key with a PEM certificate and a PKCS#8 key with a DER certificate, as made elsewhere', () => {
  // A pair made by node-forge alone, as another tool would have made it.
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2029-12-31T00:00:00Z');
  cert.setSubject([{ shortName: 'CN', value: 'Old till server' }]);
  cert.setIssuer([{ shortName: 'CN', value: 'Old till server' }]);
  cert.sign(keys.privateKey, forge.md.sha1.create());
  const imported = importKeyPair(files(forge.pki.privateKeyToPem(keys.privateKey), forge.pki.certificateToPem(cert)), clock());
  assert.is(imported.info.subject, 'CN=Old till server');
  assert.is(imported.info.notAfter, '2029-12-31T00:00:00.000Z');
  assert.equal(imported.warnings, []);
  assert.match(imported.privateKey.reveal(), /^-----BEGIN PRIVATE KEY-----/, 'kept as PKCS#8 whatever came in');

  const der = new X509Certificate(pair.info.certificatePem).raw;
  const fromDer = importKeyPair(files(pair.privateKey.reveal(), der), clock());
  assert.is(fromDer.info.fingerprintSha1, pair.info.fingerprintSha1);
  assert.is(fromDer.info.certificatePem, pair.info.certificatePem);
});

imports('refuses a key that does not belong to the certificate, naming both files', () => {
  const error = throwsApp(() => importKeyPair(files(pkcs1(other), pair.info.certificatePem), clock()), 'invalid', 'privatekey.pem does not belong to publickey.cer: the certificate holds a different public key.');
  assert.is(error.hint, 'Pass the private key the certificate was made from, or make a new pair with `xero-proxy cert create`.');
});

imports('refuses an expired certificate and warns about one not valid yet', () => {
  const later = new ManualClock(Date.parse(pair.info.notAfter) + 1000);
  throwsApp(() => importKeyPair(files(pair.privateKey.reveal(), pair.info.certificatePem), later), 'invalid', 'publickey.cer: the certificate expired on 2031-02-28; Xero refuses signatures from an expired certificate.');
  const earlier = new ManualClock('2026-03-01T10:00:00Z');
  assert.equal(importKeyPair(files(pair.privateKey.reveal(), pair.info.certificatePem), earlier).warnings, [
    "publickey.cer: the certificate is not valid until 2026-03-01T10:20:30.000Z; check this machine's clock.",
  ]);
});

imports('accepts a 1024-bit key with a warning, refuses 512 bits and keys that are not RSA', () => {
  const weak = generateKeyPair(clock(), { keyBits: 1024 });
  assert.equal(importKeyPair(files(pkcs1(weak), weak.info.certificatePem), clock()).warnings, [
    "privatekey.pem: the RSA key has 1024 bits, as Xero's old recipe made; it is accepted, but replace it with a 2048-bit pair (`xero-proxy cert rotate`) when you can.",
  ]);
  const tiny = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  throwsApp(() => importKeyPair(files(tiny, pair.info.certificatePem), clock()), 'invalid', 'privatekey.pem: the RSA key has 512 bits; at least 1024 are needed (2048 recommended).');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  throwsApp(() => importKeyPair(files(ec, pair.info.certificatePem), clock()), 'invalid', 'privatekey.pem: the key is ec, but RSA-SHA1 signing needs an RSA key.');
});

imports('explains swapped, encrypted and unreadable files', () => {
  const key = pair.privateKey.reveal();
  const cer = pair.info.certificatePem;
  throwsApp(() => importKeyPair(files(cer, key), clock()), 'invalid', 'publickey.cer: is a private key, not a certificate; pass the private key with --key and the certificate (publickey.cer) with --cert.');
  throwsApp(() => importKeyPair(files(cer, cer), clock()), 'invalid', 'privatekey.pem: is a certificate, not a private key; pass the certificate with --cert and the private key (privatekey.pem) with --key.');
  const encrypted = createPrivateKey(key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
  const error = throwsApp(() => importKeyPair(files(encrypted, cer), clock()), 'invalid', 'privatekey.pem: the private key is protected by a passphrase; the proxy needs it unencrypted (it seals it with its own key).');
  assert.is(error.hint, 'Decrypt a copy first: openssl rsa -in privatekey.pem -out privatekey-plain.pem');
  throwsApp(() => importKeyPair(files(key, 'hello'), clock()), 'invalid', 'publickey.cer: is not an X.509 certificate (PEM "-----BEGIN CERTIFICATE-----" or DER).');
  throwsApp(() => importKeyPair(files('hello', cer), clock()), 'invalid', 'privatekey.pem: is not a PEM private key ("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----").');
  const damaged = key.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
  throwsApp(() => importKeyPair(files(damaged, cer), clock()), 'invalid', 'privatekey.pem: the PEM private key is damaged and cannot be read.');
});

const expiry = suite('certificates.expiryStatus');

expiry('is ok with 30 or more days left, warns inside 30 days, and is expired from notAfter on; days left round up', () => {
  const notAfter = '2030-06-30T00:00:00.000Z';
  const at = (iso: string) => expiryStatus(notAfter, new ManualClock(iso));
  assert.equal(at('2030-05-31T00:00:00Z'), { level: 'ok', daysLeft: 30, detail: 'valid until 2030-06-30 (30 days left)' });
  assert.equal(at('2030-05-31T00:00:01Z'), {
    level: 'warn',
    daysLeft: 30,
    detail: 'expires on 2030-06-30 (30 days left). Run `xero-proxy cert rotate` and upload the new publickey.cer before then.',
  });
  assert.is(at('2030-06-01T00:00:00Z').daysLeft, 29);
  assert.is(at('2030-06-29T23:00:00Z').daysLeft, 1, 'a part-day counts as a day');
  const expired = at('2030-06-30T00:00:00Z');
  assert.is(expired.level, 'expired');
  assert.is(expired.detail, 'expired on 2030-06-30; Xero refuses every request it signs. Run `xero-proxy cert rotate`, upload the new publickey.cer, then `xero-proxy cert activate`.');
  assert.is(at('2030-07-02T12:00:00Z').daysLeft, -3);
});

generate.run();
imports.run();
expiry.run();
