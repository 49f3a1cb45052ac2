import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { generateKeyPair } from '../../src/domain/certificates';
import { ManualClock } from '../../src/lib/clock';
import { parseKeyring } from '../../src/lib/secret-box';
import { insertCertificate, loadActiveSigningKey } from '../../src/store/certificates';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { runCli } from '../helpers/cli';
import { oauthFetch } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';

const CONSUMER_KEY = 'XP-CERT-PRIVATE-APP';
const UPLOAD_FIRST = 'error: Xero rejected the new certificate: upload publickey.cer to the app in the Xero developer portal first.';

const cert = suite<{ sb: TestSandbox }>('cli.cert');
cert.before(async (context) => {
  context.sb = await startTestSandbox();
});
cert.after(async (context) => {
  await context.sb.stop();
});

/** A fresh `init`ed directory and the environment of a private app at the sandbox. */
async function setUp(sb: TestSandbox, appType = 'private') {
  const dir = mkdtempSync(join(tmpdir(), 'xp-cert-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const env = { XERO_PROXY_XERO_API_URL: sb.url, XERO_PROXY_XERO_APP_TYPE: appType, XERO_PROXY_XERO_CONSUMER_KEY: CONSUMER_KEY };
  const cli = (...args: string[]) => runCli(args, { cwd: dir, env });
  const json = async (...args: string[]) => {
    const result = await cli(...args, '--json');
    assert.is(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };
  return { dir, cli, json };
}

/** Opens the proxy's database beside a CLI that is not running, as a second process would. */
function openStore(dir: string) {
  const keyring = parseKeyring(readFileSync(join(dir, 'data', 'master.key'), 'utf8'), 'master.key');
  return { db: openDatabase(join(dir, 'data', DATABASE_FILE), { migrations: MIGRATIONS }), keyring };
}

/** GET Organisation signed RSA-SHA1 with the key the proxy signs with now (the test's own signer). */
async function signedWithActiveKey(sb: TestSandbox, dir: string, consumerKey: string): Promise<number> {
  const { db, keyring } = openStore(dir);
  const key = loadActiveSigningKey(db, keyring)!;
  db.close();
  const credentials = { consumerKey, consumerSecret: '', signatureMethod: 'RSA-SHA1' as const, privateKeyPem: key.reveal(), token: consumerKey };
  const response = await oauthFetch({ method: 'GET', url: `${sb.url}/api.xro/2.0/Organisation`, credentials, headers: { accept: 'application/json' } });
  await response.arrayBuffer();
  return response.status;
}

cert('create → rotate → activate: refused until Xero has the new certificate, then the old pair retires; the active key signs throughout', async ({ sb }) => {
  const { dir, cli, json } = await setUp(sb);
  const created = await json('cert', 'create', '--out', join(dir, 'v1'), '--org-name', 'Harbourside Café');
  assert.equal([created.state, created.subject, created.file, created.daysLeft], ['active', 'CN=Xero Comms Proxy, O=Harbourside Café', join(dir, 'v1', 'publickey.cer'), 1825]);
  const v1 = readFileSync(created.file, 'utf8');
  assert.is(v1, created.certificatePem);
  assert.is(new X509Certificate(v1).fingerprint, created.fingerprintSha1);
  assert.is(statSync(created.file).mode & 0o777, 0o644);

  const registered = await fetch(`${sb.url}/sandbox/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'private', consumerKey: CONSUMER_KEY, certificatePem: v1 }) });
  assert.is(registered.status, 201);
  assert.is(await signedWithActiveKey(sb, dir, CONSUMER_KEY), 200, 'the first pair signs');

  const rotated = await cli('cert', 'rotate', '--out', join(dir, 'v2'));
  assert.is(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /^Created certificate crt_\w+ \(pending\)\. It is pending: the active pair keeps signing until `xero-proxy cert activate`\.\n/);
  assert.match(rotated.stdout, 'Upload publickey.cer to the app in the Xero developer portal:\n\n-----BEGIN CERTIFICATE-----\n');
  const v2 = readFileSync(join(dir, 'v2', 'publickey.cer'), 'utf8');
  assert.is(await signedWithActiveKey(sb, dir, CONSUMER_KEY), 200, 'the active pair still signs after rotate');

  const early = await cli('cert', 'activate');
  assert.is(early.code, 1);
  const [error, hint, ...rest] = early.stderr.trim().split('\n');
  assert.is(error, UPLOAD_FIRST);
  // The hint opens with the Xero client's own account of the problem, then what it means here.
  assert.match(hint!, /^hint: .*"Failed to validate signature"\. Nothing was changed; the active certificate keeps signing\. Run `xero-proxy cert activate` again after the upload\.$/);
  assert.equal(rest, []);
  const listed = await json('cert', 'list');
  assert.equal(listed.certificates.map((c: { id: string; state: string }) => c.state), ['active', 'pending']);
  assert.is(listed.certificates[0].id, created.id);
  assert.is(await signedWithActiveKey(sb, dir, CONSUMER_KEY), 200, 'the active pair still signs after a refused activation');

  // The operator uploads the new certificate in Xero's portal (the sandbox's control API here).
  const uploaded = await fetch(`${sb.url}/sandbox/apps/${CONSUMER_KEY}/certificate`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ certificatePem: v2 }) });
  assert.is(uploaded.status, 200);

  const activated = await json('cert', 'activate');
  assert.is(activated.provedWith, 'GET Organisation answered 200 for "Harbourside Café" as the private app');
  assert.equal([activated.activated.state, activated.retired.id, activated.retired.state], ['active', created.id, 'retired']);
  assert.ok(activated.retired.retiredAt);
  assert.is(activated.activated.certificatePem, v2);
  assert.is(await signedWithActiveKey(sb, dir, CONSUMER_KEY), 200, 'the new pair signs');

  const table = await cli('cert', 'list');
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0]!, /^ID\s+STATE\s+SHA-1 FINGERPRINT\s+NOT AFTER\s+DAYS LEFT$/);
  assert.match(lines[1]!, new RegExp(`^${activated.activated.id}\\s+active\\s+${activated.activated.fingerprintSha1}\\s+\\d{4}-\\d\\d-\\d\\d\\s+1825$`));
  assert.match(lines[2]!, new RegExp(`^${created.id}\\s+retired\\s+${created.fingerprintSha1}\\s+\\d{4}-\\d\\d-\\d\\d$`));

  const doctor = await json('doctor');
  const check = doctor.checks.find((c: { check: string }) => c.check === 'certificate');
  assert.is(check.status, 'ok');
  assert.match(check.detail, `${activated.activated.id} (SHA-1 ${activated.activated.fingerprintSha1}) valid until`);

  const nothing = await cli('cert', 'activate');
  assert.is(nothing.code, 1);
  assert.equal(nothing.stderr.trim().split('\n'), ['error: There is no pending certificate to activate.', 'hint: Make one with `xero-proxy cert rotate`, upload its publickey.cer to Xero, then activate it.']);
});

cert('create refuses beside an active pair, and no new pair ever overwrites publickey.cer without --force', async ({ sb }) => {
  const { dir, cli, json } = await setUp(sb);
  const out = join(dir, 'keys');
  const first = await json('cert', 'create', '--out', out);
  const again = await cli('cert', 'create', '--out', join(dir, 'elsewhere'));
  assert.is(again.code, 1);
  assert.equal(again.stderr.trim().split('\n'), [
    `error: There is already an active certificate (${first.id}); creating another would stop Xero accepting the proxy's requests.`,
    'hint: Use `xero-proxy cert rotate` to add a new pair beside it, upload its publickey.cer, then `xero-proxy cert activate`.',
  ]);
  const clash = await cli('cert', 'rotate', '--out', out);
  assert.is(clash.code, 1);
  assert.equal(clash.stderr.trim().split('\n'), [
    `error: ${join(out, 'publickey.cer')} already exists; it may be the certificate Xero holds now.`,
    'hint: Choose another directory with --out, or replace the file with --force.',
  ]);
  assert.is(readFileSync(join(out, 'publickey.cer'), 'utf8'), first.certificatePem, 'the file is untouched');
  assert.equal((await json('cert', 'list')).certificates.length, 1, 'and no pair was made');

  const forced = await json('cert', 'rotate', '--out', out, '--force');
  assert.is(readFileSync(join(out, 'publickey.cer'), 'utf8'), forced.certificatePem);
  const twice = await cli('cert', 'rotate', '--out', join(dir, 'third'));
  assert.is(twice.code, 1);
  assert.equal(twice.stderr.trim().split('\n'), [
    `error: The certificate ${forced.id} is already pending; only one new pair can wait beside the active one.`,
    'hint: Upload its publickey.cer to Xero and run `xero-proxy cert activate`, or replace it with `xero-proxy cert rotate --replace-pending`.',
  ]);
  const replaced = await json('cert', 'rotate', '--replace-pending', '--out', join(dir, 'fourth'));
  const states = (await json('cert', 'list')).certificates.map((c: { id: string; state: string }) => `${c.id}:${c.state}`);
  assert.equal(states, [`${first.id}:active`, `${replaced.id}:pending`, `${forced.id}:retired`]);
});

cert('import stores a pair made elsewhere; a key that does not match its certificate is refused', async ({ sb }) => {
  const { dir, cli, json } = await setUp(sb);
  // A pair made by another tool: PKCS#1 key, DER certificate.
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const made = forge.pki.createCertificate();
  made.publicKey = keys.publicKey;
  made.serialNumber = '0a';
  made.validity.notBefore = new Date(Date.now() - 86_400_000);
  made.validity.notAfter = new Date(Date.now() + 400 * 86_400_000);
  made.setSubject([{ shortName: 'CN', value: 'Practice server' }]);
  made.setIssuer([{ shortName: 'CN', value: 'Practice server' }]);
  made.sign(keys.privateKey, forge.md.sha256.create());
  writeFileSync(join(dir, 'privatekey.pem'), forge.pki.privateKeyToPem(keys.privateKey));
  writeFileSync(join(dir, 'publickey.cer'), Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(made)).getBytes(), 'binary'));
  writeFileSync(join(dir, 'other.cer'), generateKeyPair(new ManualClock(Date.now())).info.certificatePem);

  const mismatched = await cli('cert', 'import', '--key', 'privatekey.pem', '--cert', 'other.cer');
  assert.is(mismatched.code, 2);
  assert.equal(mismatched.stderr.trim().split('\n'), [
    'error: privatekey.pem does not belong to other.cer: the certificate holds a different public key.',
    'hint: Pass the private key the certificate was made from, or make a new pair with `xero-proxy cert create`.',
  ]);
  const missing = await cli('cert', 'import', '--key', 'nope.pem', '--cert', 'publickey.cer');
  assert.is(missing.code, 2);
  assert.is(missing.stderr.trim(), 'error: --key nope.pem: cannot be read (ENOENT).');

  const imported = await json('cert', 'import', '--key', 'privatekey.pem', '--cert', 'publickey.cer');
  assert.equal([imported.state, imported.subject, imported.daysLeft, imported.warnings], ['active', 'CN=Practice server', 400, []]);
  const { db, keyring } = openStore(dir);
  const stored = loadActiveSigningKey(db, keyring)!.reveal();
  assert.ok(new X509Certificate(imported.certificatePem).checkPrivateKey(createPrivateKey(stored)));
  db.close();
  // Neither the key as imported (PKCS#1) nor as kept (PKCS#8) is readable in the database or its WAL.
  const lines = [...forge.pki.privateKeyToPem(keys.privateKey).split(/\r?\n/).slice(3, 8), ...stored.split('\n').slice(3, 8)];
  // The CLI's connection was the last one, so its WAL was checkpointed into the file and removed.
  for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`].filter((name) => existsSync(join(dir, 'data', name)))) {
    const bytes = readFileSync(join(dir, 'data', file));
    for (const line of lines) assert.not.ok(bytes.includes(Buffer.from(line)), `${file} holds the private key in plain text`);
  }
  assert.ok(readFileSync(join(dir, 'data', DATABASE_FILE)).includes(Buffer.from(imported.fingerprintSha1)), 'the scanned file does hold the row');
  const second = await json('cert', 'import', '--key', 'privatekey.pem', '--cert', 'publickey.cer').catch(() => undefined);
  assert.is(second, undefined, 'the same pair twice is refused');
  const text = await cli('cert', 'import', '--key', 'privatekey.pem', '--cert', 'publickey.cer');
  assert.match(text.stderr, `error: This certificate is already stored as ${imported.id} (active).`);
});

cert('list and doctor warn about an active certificate near expiry and fail an expired one', async ({ sb }) => {
  const { dir, cli, json } = await setUp(sb);
  // Made 1815 days ago: ten days left.
  const old = generateKeyPair(new ManualClock(Date.now() - 1815 * 86_400_000 - 3_600_000));
  const { db, keyring } = openStore(dir);
  const stored = insertCertificate(db, keyring, new ManualClock(Date.now()), 'active', old);
  db.close();
  const listed = await cli('cert', 'list');
  assert.match(listed.stdout, new RegExp(`${stored.id}\\s+active\\s+${stored.fingerprintSha1}\\s+\\S+\\s+10 \\(renew!\\)`));
  let check = (await json('doctor')).checks.find((c: { check: string }) => c.check === 'certificate');
  assert.is(check.status, 'warn');
  assert.match(check.detail, /expires on \d{4}-\d\d-\d\d \(10 days left\)\. Run `xero-proxy cert rotate` and upload the new publickey.cer before then\.$/);

  const expired = generateKeyPair(new ManualClock(Date.now() - 1900 * 86_400_000));
  const second = openStore(dir);
  second.db.prepare("UPDATE certificates SET state = 'retired'").run();
  insertCertificate(second.db, second.keyring, new ManualClock(Date.now()), 'active', expired);
  second.db.close();
  const doctor = await cli('doctor', '--json');
  assert.is(doctor.code, 1);
  check = JSON.parse(doctor.stdout).checks.find((c: { check: string }) => c.check === 'certificate');
  assert.is(check.status, 'fail');
  assert.match(check.detail, /expired on \d{4}-\d\d-\d\d; Xero refuses every request it signs\./);
  assert.is((await json('cert', 'list')).certificates[0].expiry, 'expired');
});

cert('activate explains a public app and a partner app without a linked organisation, changing nothing', async ({ sb }) => {
  for (const [appType, message] of [
    ['public', 'error: xero.app_type is "public": public apps sign with HMAC-SHA1 and the consumer secret, so there is no certificate to activate.'],
    ['partner', "error: A partner app proves a new certificate with a linked organisation's access token, and no linked organisation has a current one."],
  ] as const) {
    const { dir, cli, json } = await setUp(sb, appType);
    await json('cert', 'create', '--out', dir);
    await json('cert', 'rotate', '--out', join(dir, 'next'));
    const result = await cli('cert', 'activate');
    assert.is(result.code, appType === 'public' ? 2 : 1);
    assert.is(result.stderr.split('\n')[0], message);
    assert.equal((await json('cert', 'list')).certificates.map((c: { state: string }) => c.state), ['active', 'pending']);
  }
});

cert.run();
