import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock, systemClock } from '../../src/lib/clock';
import { base32Decode, totpCode, totpStep } from '../../src/lib/totp';
import { beginEnrolment, confirmEnrolment } from '../../src/services/admin-mfa';
import { addAdministrator } from '../../src/services/administrators';
import { createLogger } from '../../src/lib/logger';
import { Secret } from '../../src/lib/secret';
import { newKeyLine, parseKeyring } from '../../src/lib/secret-box';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { findSecret, putSecret } from '../../src/store/secrets';

const atRest = suite('store.secrets');
const PLAINTEXT = 'CONSUMER-SECRET-4f9a1c7e-do-not-leak';

atRest('a stored secret appears neither in the database file nor in its WAL, and reads back', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'xp-secrets-')), 'proxy.db');
  const keyring = parseKeyring(newKeyLine('k1'), 'test');
  const db = openDatabase(path, { migrations: MIGRATIONS });
  putSecret(db, keyring, systemClock, 'xero.consumer_secret', new Secret(PLAINTEXT));
  assert.ok(existsSync(path + '-wal'), 'the write is still in the WAL, which must be scanned too');
  for (const file of [path, path + '-wal']) {
    const bytes = readFileSync(file);
    assert.not.ok(bytes.includes(Buffer.from(PLAINTEXT)), `${file} holds the secret in plain text`);
    assert.not.ok(bytes.includes(Buffer.from(PLAINTEXT, 'utf16le')), `${file} holds the secret as UTF-16`);
  }
  assert.is(findSecret(db, keyring, 'xero.consumer_secret')?.reveal(), PLAINTEXT);
  db.pragma('wal_checkpoint(TRUNCATE)');
  assert.not.ok(readFileSync(path).includes(Buffer.from(PLAINTEXT)));
  db.close();
});

atRest("an administrator's TOTP secret and recovery codes appear in neither the database file nor its WAL", async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'xp-secrets-')), 'proxy.db');
  const keyring = parseKeyring(newKeyLine('k1'), 'test');
  const db = openDatabase(path, { migrations: MIGRATIONS });
  const clock = new ManualClock('2026-03-02T09:00:15Z');
  const deps = { db, keyring, clock, actor: { name: 'cli:test', from: 'cli' } };
  const admin = await addAdministrator(deps, { name: 'alice', password: 'alice long passphrase' }, { N: 2 ** 14, r: 8, p: 1 });
  const offered = beginEnrolment(deps, admin.id).secret.replace(/ /g, '');
  const { recoveryCodes } = confirmEnrolment(deps, admin.id, totpCode(base32Decode(offered)!, totpStep(clock.now())));
  const plain = [offered, base32Decode(offered)!.toString('hex'), ...recoveryCodes, ...recoveryCodes.map((code) => code.replace(/-/g, ''))];
  for (const file of [path, path + '-wal']) {
    const bytes = readFileSync(file);
    for (const secret of plain) assert.not.ok(bytes.includes(Buffer.from(secret)), `${file} holds ${secret} in plain text`);
    assert.not.ok(bytes.includes(base32Decode(offered)!), `${file} holds the raw key`);
  }
  db.close();
});

const logs = suite('lib.logger');

logs('redacts secret-named fields and Secret values at any depth', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
  logger.info('signed request', {
    consumerSecret: 'cs-1',
    headers: { Authorization: 'OAuth oauth_signature="sig-1"' },
    nested: [{ oauth_token: 'tok-1', accessToken: 'tok-2', refresh_token: 'tok-3' }],
    apiKey: 'xpk_live_1',
    value: new Secret('wrapped-1'),
    organisation: 'Harbourside Café',
  });
  const line = lines.join('\n');
  for (const secret of ['cs-1', 'sig-1', 'tok-1', 'tok-2', 'tok-3', 'xpk_live_1', 'wrapped-1']) assert.not.match(line, secret);
  assert.match(line, 'Harbourside Café');
  assert.is(JSON.parse(lines[0]!).consumerSecret, '[redacted]');
});

logs('text format for a terminal, JSON lines otherwise, and the level filters', () => {
  const lines: string[] = [];
  const text = createLogger({ level: 'warn', format: 'text', write: (line) => lines.push(line), now: () => new Date('2026-01-02T03:04:05Z') });
  text.info('hidden');
  text.warn('shown', { org: 'x' });
  assert.equal(lines, ['03:04:05 WARN  shown  org="x"']);
});

atRest.run();
logs.run();
