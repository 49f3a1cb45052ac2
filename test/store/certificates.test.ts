import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPair } from '../../src/domain/certificates';
import { ManualClock } from '../../src/lib/clock';
import { AppError } from '../../src/lib/errors';
import { newKeyLine, parseKeyring } from '../../src/lib/secret-box';
import { certificateCheck, certificateWarnings } from '../../src/services/certificate-warnings';
import {
  activatePendingCertificate,
  findActiveCertificate,
  findPendingCertificate,
  insertCertificate,
  listCertificates,
  loadActiveSigningKey,
  loadSigningKey,
} from '../../src/store/certificates';
import { openDatabase, type Db } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';

const START = '2026-03-01T00:00:00.000Z';
const keyring = parseKeyring(newKeyLine('k1'), 'test');
// Pairs are made once: key generation is the slow part, and the rows differ only by state.
const first = generateKeyPair(new ManualClock(START));
const second = generateKeyPair(new ManualClock(START));
const third = generateKeyPair(new ManualClock(START));

const fresh = () => ({ db: openDatabase(':memory:', { migrations: MIGRATIONS }), clock: new ManualClock(START) });

function throwsApp(work: () => unknown, code: string, message: string): void {
  try {
    work();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, code);
    assert.is((error as AppError).message, message);
    return;
  }
  assert.unreachable(`expected AppError ${code}: ${message}`);
}

const repo = suite('store.certificates');

repo('stores an active pair with its public facts and opens its key; a second active pair is refused', () => {
  const { db, clock } = fresh();
  assert.is(findActiveCertificate(db), undefined);
  assert.is(loadActiveSigningKey(db, keyring), undefined);
  const stored = insertCertificate(db, keyring, clock, 'active', first);
  assert.match(stored.id, /^crt_[0-9a-z]{16}$/);
  assert.equal(
    { state: stored.state, sha1: stored.fingerprintSha1, notAfter: stored.notAfter, pem: stored.certificatePem, activatedAt: stored.activatedAt },
    { state: 'active', sha1: first.info.fingerprintSha1, notAfter: first.info.notAfter, pem: first.info.certificatePem, activatedAt: START },
  );
  assert.not.ok('sealedPrivateKey' in stored, 'the record never carries the key');
  assert.is(loadActiveSigningKey(db, keyring)?.reveal(), first.privateKey.reveal());
  throwsApp(() => insertCertificate(db, keyring, clock, 'active', second), 'conflict', `There is already an active certificate (${stored.id}).`);
  throwsApp(() => insertCertificate(db, keyring, clock, 'pending', first), 'conflict', `This certificate is already stored as ${stored.id} (active).`);
});

repo('activation swaps pending → active and active → retired in one step; the old key stays readable', () => {
  const { db, clock } = fresh();
  const old = insertCertificate(db, keyring, clock, 'active', first);
  const pending = insertCertificate(db, keyring, clock, 'pending', second);
  throwsApp(() => insertCertificate(db, keyring, clock, 'pending', third), 'conflict', `There is already a pending certificate (${pending.id}).`);
  assert.is(findPendingCertificate(db)?.id, pending.id);
  assert.is(loadActiveSigningKey(db, keyring)?.reveal(), first.privateKey.reveal(), 'the old pair signs until activation');

  clock.advance(60_000);
  const { activated, retired } = activatePendingCertificate(db, clock, pending.id);
  assert.equal([activated.id, activated.state, activated.activatedAt], [pending.id, 'active', '2026-03-01T00:01:00.000Z']);
  assert.equal([retired?.id, retired?.state, retired?.retiredAt], [old.id, 'retired', '2026-03-01T00:01:00.000Z']);
  assert.is(findPendingCertificate(db), undefined);
  assert.is(loadActiveSigningKey(db, keyring)?.reveal(), second.privateKey.reveal());
  assert.is(loadSigningKey(db, keyring, old.id).reveal(), first.privateKey.reveal());
  assert.equal(listCertificates(db).map((c) => c.state), ['active', 'retired']);
});

repo('activation refuses a pair that is no longer the pending one and changes nothing', () => {
  const { db, clock } = fresh();
  const old = insertCertificate(db, keyring, clock, 'active', first);
  throwsApp(() => activatePendingCertificate(db, clock, 'crt_gone'), 'conflict', 'The certificate crt_gone is no longer the pending one; nothing was changed.');
  assert.is(findActiveCertificate(db)?.id, old.id);
});

repo('a sealed key is bound to its row: copied into another row it does not open', () => {
  const { db, clock } = fresh();
  const a = insertCertificate(db, keyring, clock, 'active', first);
  const b = insertCertificate(db, keyring, clock, 'pending', second);
  db.prepare('UPDATE certificates SET sealed_private_key = (SELECT sealed_private_key FROM certificates WHERE id = ?) WHERE id = ?').run(a.id, b.id);
  throwsApp(() => loadSigningKey(db, keyring, b.id), 'internal', 'A stored secret failed its integrity check (wrong key, or the row was altered).');
});

repo('the private key appears in plain text neither in the database file nor in its WAL', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'xp-certs-')), 'proxy.db');
  const db = openDatabase(path, { migrations: MIGRATIONS });
  insertCertificate(db, keyring, new ManualClock(START), 'active', first);
  assert.ok(existsSync(path + '-wal'), 'the write is still in the WAL, which must be scanned too');
  const pem = first.privateKey.reveal();
  // The whole PEM, and any one base64 line of it (a line is 48 bytes of the DER key).
  const needles = [pem, ...pem.split('\n').slice(5, 10)].flatMap((text) => [Buffer.from(text), Buffer.from(text, 'utf16le')]);
  const der = Buffer.from(pem.split('\n').filter((line) => !line.startsWith('-----')).join(''), 'base64');
  needles.push(der.subarray(100, 164));
  const scan = () => {
    for (const file of [path, path + '-wal']) {
      const bytes = readFileSync(file);
      for (const needle of needles) assert.not.ok(bytes.includes(needle), `${file} holds the private key in plain text`);
    }
  };
  scan();
  assert.ok(readFileSync(path + '-wal').includes(Buffer.from(first.info.fingerprintSha1)), 'the scan looks at the bytes the row was written to');
  db.pragma('wal_checkpoint(TRUNCATE)');
  scan();
  assert.is(loadActiveSigningKey(db, keyring)?.reveal(), pem);
  db.close();
});

const warnings = suite('services.certificateWarnings');

function withActive(db: Db, clock: ManualClock) {
  return insertCertificate(db, keyring, clock, 'active', first);
}

warnings('says nothing while the active pair has 30 days or more', () => {
  const { db, clock } = fresh();
  withActive(db, clock);
  clock.set(Date.parse(first.info.notAfter) - 30 * 86_400_000);
  assert.equal(certificateWarnings(db, clock), []);
  assert.is(certificateCheck(db, clock, 'private').status, 'ok');
});

warnings('warns inside 30 days and fails once the active certificate has expired', () => {
  const { db, clock } = fresh();
  const active = withActive(db, clock);
  clock.set(Date.parse(first.info.notAfter) - 10 * 86_400_000 + 1);
  assert.equal(certificateWarnings(db, clock), [
    { level: 'warn', certificateId: active.id, message: `The active signing certificate ${active.id} expires on 2031-02-28 (10 days left). Run \`xero-proxy cert rotate\` and upload the new publickey.cer before then.` },
  ]);
  clock.set(first.info.notAfter);
  const [expired] = certificateWarnings(db, clock);
  assert.equal([expired?.level, expired?.message], ['fail', `The active signing certificate ${active.id} expired on 2031-02-28; Xero refuses every request it signs. Run \`xero-proxy cert rotate\`, upload the new publickey.cer, then \`xero-proxy cert activate\`.`]);
  assert.is(certificateCheck(db, clock, 'partner').status, 'fail');
});

warnings('names a missing pair only when the app type needs one', () => {
  const { db, clock } = fresh();
  assert.equal(certificateWarnings(db, clock), []);
  assert.equal(certificateWarnings(db, clock, { appType: 'public' }), []);
  const message = 'No active signing certificate: private apps sign every request with RSA-SHA1. Run `xero-proxy cert create` (or `cert import`) and upload publickey.cer to the app in the Xero developer portal.';
  assert.equal(certificateWarnings(db, clock, { appType: 'private' }), [{ level: 'fail', certificateId: undefined, message }]);
  assert.equal(certificateCheck(db, clock, 'private'), { status: 'fail', detail: message });
  assert.equal(certificateCheck(undefined, clock, 'public'), { status: 'ok', detail: 'not needed: public apps sign with HMAC-SHA1 and the consumer secret' });
});

repo.run();
warnings.run();
