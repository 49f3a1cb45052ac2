import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { AppError } from '../../src/lib/errors';
import { Secret } from '../../src/lib/secret';
import { newKeyLine, parseKeyring, type Keyring } from '../../src/lib/secret-box';
import { openDatabase, type Db } from '../../src/store/db';
import { neededKeyIds, refuseWithoutKey, verifyKeyring } from '../../src/store/key-check';
import { createKeyFileIfMissing } from '../../src/store/keyring';
import { MIGRATIONS } from '../../src/store/migrations';
import { findSecret, putSecret } from '../../src/store/secrets';
import { insertTokenSet } from '../../src/store/token-sets';

const clock = new ManualClock('2026-04-01T00:00:00Z');
const places = { keySource: '/srv/data/master.key', database: '/srv/data/xero-proxy.db' };
const k1 = parseKeyring(newKeyLine('k1'), 'test');
const otherK1 = parseKeyring(newKeyLine('k1'), 'test');
const k2 = parseKeyring(newKeyLine('k2'), 'test');
const memory = () => openDatabase(':memory:', { migrations: MIGRATIONS });
const checkRows = (db: Db) => db.prepare("SELECT name FROM secrets WHERE name LIKE 'key-check:%' ORDER BY name").pluck().all();

function throwsApp(work: () => unknown, code: string, message: string, hint: string): void {
  try {
    work();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, code);
    assert.is((error as AppError).message, message);
    assert.is((error as AppError).hint, hint);
    return;
  }
  assert.unreachable(`expected AppError ${code}: ${message}`);
}

const WRONG_K1 = 'The key k1 in /srv/data/master.key is not the key this database was sealed with.';
const WRONG_HINT = 'Restore the key file that belongs to /srv/data/xero-proxy.db, or a backup of it; never run `xero-proxy init` to replace it, as a new key cannot open what is sealed.';

const verify = suite('store.verifyKeyring');

verify('a key id first used with a database gets a check, which the same key opens on every later open', () => {
  const db = memory();
  assert.equal(verifyKeyring(db, k1, clock, places), { verified: [], created: ['k1'] });
  assert.equal(checkRows(db), ['key-check:k1']);
  assert.match(db.prepare("SELECT sealed FROM secrets WHERE name = 'key-check:k1'").pluck().get() as string, /^v1\.k1\./);
  assert.equal(verifyKeyring(db, k1, clock, places), { verified: ['k1'], created: [] });
  assert.equal(checkRows(db), ['key-check:k1']);
});

verify('another key under the same id is refused by its check, even when nothing else is sealed yet', () => {
  const db = memory();
  verifyKeyring(db, k1, clock, places);
  throwsApp(() => verifyKeyring(db, otherK1, clock, places), 'invalid', WRONG_K1, WRONG_HINT);
});

verify('a key file holding only another id is refused, naming the key the database needs', () => {
  const db = memory();
  verifyKeyring(db, k1, clock, places);
  throwsApp(
    () => verifyKeyring(db, k2, clock, places),
    'invalid',
    'The database /srv/data/xero-proxy.db needs key k1, but /srv/data/master.key holds only k2.',
    'Restore the key file that belongs to this database, or a backup of it; a key of another id cannot open what key k1 sealed.',
  );
  assert.equal(checkRows(db), ['key-check:k1'], 'no check is written for the stranger');
});

verify('a rotated key file keeps its old check and gives the new key one', () => {
  const db = memory();
  verifyKeyring(db, k1, clock, places);
  putSecret(db, k1, clock, 'xero.consumer_secret', new Secret('cs-1'));
  const rotated = parseKeyring(`k1 ${k1.active.key.toString('base64')}\n` + newKeyLine('k2'), 'test');
  assert.equal(verifyKeyring(db, rotated, clock, places), { verified: ['k1'], created: ['k2'] });
  assert.equal(checkRows(db), ['key-check:k1', 'key-check:k2']);
  assert.equal(neededKeyIds(db), ['k1', 'k2']);
});

verify('a database sealed before key checks existed is proven on one of its sealed values, then gets its check', () => {
  const db = memory();
  putSecret(db, k1, clock, 'xero.consumer_secret', new Secret('cs-1'));
  insertTokenSet(db, k1, clock, { token: new Secret('T'), tokenSecret: new Secret('TS'), sessionHandle: undefined }, { expiresAt: null, authorizationExpiresAt: null });
  assert.equal(checkRows(db), []);
  assert.equal(verifyKeyring(db, k1, clock, places), { verified: [], created: ['k1'] });
  assert.equal(checkRows(db), ['key-check:k1']);
  assert.is(findSecret(db, k1, 'xero.consumer_secret')?.reveal(), 'cs-1', 'the stored values are untouched');
});

verify('a database sealed before key checks existed refuses a wrong key and writes no check for it', () => {
  const db = memory();
  putSecret(db, k1, clock, 'xero.consumer_secret', new Secret('cs-1'));
  throwsApp(() => verifyKeyring(db, otherK1, clock, places), 'invalid', WRONG_K1, WRONG_HINT);
  assert.equal(checkRows(db), []);
});

verify('the key ids a database needs come from every sealed column, not only the secrets table', () => {
  const db = memory();
  insertTokenSet(db, k2, clock, { token: new Secret('T'), tokenSecret: new Secret('TS'), sessionHandle: undefined }, { expiresAt: null, authorizationExpiresAt: null });
  assert.equal(neededKeyIds(db), ['k2']);
  throwsApp(
    () => verifyKeyring(db, k1, clock, places),
    'invalid',
    'The database /srv/data/xero-proxy.db needs key k2, but /srv/data/master.key holds only k1.',
    'Restore the key file that belongs to this database, or a backup of it; a key of another id cannot open what key k2 sealed.',
  );
  assert.equal(verifyKeyring(db, k2, clock, places), { verified: [], created: ['k2'] });
});

const refuse = suite('store.refuseWithoutKey');
const dataDir = () => mkdtempSync(join(tmpdir(), 'xp-key-check-'));

function sealedDatabase(keyring: Keyring): { dir: string; path: string } {
  const dir = dataDir();
  const path = join(dir, 'xero-proxy.db');
  const db = openDatabase(path, { migrations: MIGRATIONS });
  verifyKeyring(db, keyring, clock, places);
  putSecret(db, keyring, clock, 'xero.consumer_secret', new Secret('cs-1'));
  db.close();
  return { dir, path };
}

refuse('a missing key file beside a sealed database is refused, naming the key ids it needs', () => {
  const { dir, path } = sealedDatabase(k1);
  const keyPath = join(dir, 'master.key');
  throwsApp(
    () => refuseWithoutKey(path, keyPath),
    'invalid',
    `The key file ${keyPath} is missing, and the database ${path} holds values sealed with key k1.`,
    'Restore the key file that belongs to this database, or a backup of it; `xero-proxy init` will not make a new key here.',
  );
  assert.not.ok(existsSync(keyPath));
});

refuse('nothing is refused without a database file, and none is created by looking', () => {
  const dir = dataDir();
  refuseWithoutKey(join(dir, 'xero-proxy.db'), join(dir, 'master.key'));
  assert.not.ok(existsSync(join(dir, 'xero-proxy.db')));
});

refuse('a database with nothing sealed and no checks needs no key', () => {
  const dir = dataDir();
  const path = join(dir, 'xero-proxy.db');
  openDatabase(path, { migrations: MIGRATIONS }).close();
  refuseWithoutKey(path, join(dir, 'master.key'));
});

refuse('a key file is made beside a database that needs none, and never beside one that does', () => {
  const { dir, path } = sealedDatabase(k1);
  const keyPath = join(dir, 'master.key');
  assert.throws(() => createKeyFileIfMissing(keyPath, path), (error: AppError) => error.code === 'invalid' && error.message.startsWith(`The key file ${keyPath} is missing`));
  assert.not.ok(existsSync(keyPath));
  const empty = dataDir();
  assert.ok(createKeyFileIfMissing(join(empty, 'master.key'), join(empty, 'xero-proxy.db')));
  assert.ok(existsSync(join(empty, 'master.key')));
});

verify.run();
refuse.run();
