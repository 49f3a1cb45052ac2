import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { Secret } from '../../src/lib/secret';
import { newKeyLine, parseKeyring } from '../../src/lib/secret-box';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { findOrganisation, organisationsOfTokenSet, upsertLinkedOrganisation } from '../../src/store/organisations';
import { sealCredentials } from '../../src/store/token-set-credentials';
import { getTokenSet, insertTokenSet, saveRenewedTokenSet, takeRenewalLease } from '../../src/store/token-sets';

const grants = suite('store.grants');
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xp-grants-')), 'proxy.db');
const keyring = parseKeyring(newKeyLine('k1'), 'test');
const REFRESH = 'REFRESH-TOKEN-7d1e-do-not-leak';

grants('the OAuth 2.0 migration keeps every OAuth 1.0a row and the references to it', () => {
  const path = fresh();
  const before = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.id <= 3) });
  const clock = new ManualClock(Date.parse('2026-11-28T00:00:00Z'));
  // Rows written as the version before OAuth 2.0 wrote them.
  const tokenSetId = 'tok_1';
  const sealed = sealCredentials(keyring, tokenSetId, { token: new Secret('T'), tokenSecret: new Secret('TS'), sessionHandle: new Secret('SH') });
  before.prepare("INSERT INTO token_sets (id, kind, sealed, version, created_at, updated_at) VALUES (?, 'oauth1', ?, 3, 'x', 'x')").run(tokenSetId, sealed);
  before
    .prepare("INSERT INTO organisations (id, xero_organisation_id, name, short_code, app_type, token_set_id, link_state, created_at, updated_at) VALUES ('org_1', 'X1', 'Café', '!a', 'partner', ?, 'linked', ?, ?)")
    .run(tokenSetId, clock.now().toISOString(), clock.now().toISOString());
  const organisation = { id: 'org_1', xeroOrganisationId: 'X1', name: 'Café', shortCode: '!a', countryCode: null, baseCurrency: null, appType: 'partner', tokenSetId, linkState: 'linked', relinkReason: null };
  before.prepare("INSERT INTO devices (id, device_id, name, organisation_id, status, created_at, updated_at) VALUES ('dev_1', 'TILL-1', 'Till', ?, 'active', 'x', 'x')").run(organisation.id);
  before.close();

  const after = openDatabase(path, { migrations: MIGRATIONS });
  assert.equal(after.pragma('foreign_key_check'), []);
  assert.is(Number(after.pragma('foreign_keys', { simple: true })), 1, 'foreign keys are on again after the rebuild');
  const { createdAt: _c, updatedAt: _u, ...kept } = findOrganisation(after, organisation.id)!;
  assert.equal(kept, { ...organisation, tenantId: null, connectionId: null, planClass: null, edition: null, periodLockDate: null, endOfYearLockDate: null, factsReadAt: null });
  const tokens = getTokenSet(after, keyring, tokenSetId);
  assert.ok(tokens.kind === 'oauth1' && tokens.credentials.sessionHandle?.reveal() === 'SH' && tokens.version === 3);
  assert.throws(() => after.prepare("UPDATE devices SET organisation_id = 'org_missing' WHERE id = 'dev_1'").run(), /FOREIGN KEY/);
  assert.throws(() => after.prepare("INSERT INTO token_sets (id, kind, sealed, created_at, updated_at) VALUES ('t', 'oauth3', 'x', 'x', 'x')").run(), /CHECK/);
  after.close();
});

grants('one grant is one sealed token set shared by every organisation it covers', () => {
  const path = fresh();
  const db = openDatabase(path, { migrations: MIGRATIONS });
  const clock = new ManualClock(Date.parse('2026-11-28T00:00:00Z'));
  const id = insertTokenSet(db, keyring, clock, { accessToken: new Secret('AT-1'), refreshToken: new Secret(REFRESH), previousRefreshToken: undefined }, { expiresAt: '2026-11-28T00:30:00.000Z', authorizationExpiresAt: null });
  for (const [tenant, name] of [['t-1', 'Café'], ['t-2', 'Bakery']] as const) {
    upsertLinkedOrganisation(db, clock, { xeroOrganisationId: tenant, name, shortCode: null, countryCode: null, baseCurrency: null, appType: 'oauth2', tenantId: tenant, connectionId: `c-${tenant}` }, id);
  }
  assert.equal(organisationsOfTokenSet(db, id).map((org) => [org.name, org.tenantId, org.connectionId, org.appType]), [
    ['Café', 't-1', 'c-t-1', 'oauth2'],
    ['Bakery', 't-2', 'c-t-2', 'oauth2'],
  ]);
  const stored = getTokenSet(db, keyring, id);
  assert.ok(stored.kind === 'oauth2');
  assert.is(stored.credentials.refreshToken!.reveal(), REFRESH);
  for (const file of [path, path + '-wal']) assert.not.ok(readFileSync(file).includes(Buffer.from(REFRESH)), `${file} holds the refresh token in plain text`);
  db.close();
});

grants('a refresh saves the new refresh token with the one it replaced and its grace deadline, by compare-and-swap', () => {
  const db = openDatabase(fresh(), { migrations: MIGRATIONS });
  const clock = new ManualClock(Date.parse('2026-11-28T00:00:00Z'));
  const id = insertTokenSet(db, keyring, clock, { accessToken: new Secret('AT-1'), refreshToken: new Secret('RT-1'), previousRefreshToken: undefined }, { expiresAt: null, authorizationExpiresAt: null });
  assert.ok(takeRenewalLease(db, clock, id, 1, 'me', 60_000));
  assert.not.ok(takeRenewalLease(db, clock, id, 1, 'other', 60_000), 'one renewal at a time');
  const renewed = { accessToken: new Secret('AT-2'), refreshToken: new Secret('RT-2'), previousRefreshToken: new Secret('RT-1') };
  const times = { expiresAt: '2026-11-28T00:30:00.000Z', authorizationExpiresAt: '2027-01-27T00:00:00.000Z', graceUntil: '2026-11-28T00:30:00.000Z' };
  assert.not.ok(saveRenewedTokenSet(db, keyring, clock, id, { version: 1, owner: 'other' }, renewed, times), 'only the lease holder saves');
  assert.ok(saveRenewedTokenSet(db, keyring, clock, id, { version: 1, owner: 'me' }, renewed, times));
  assert.not.ok(saveRenewedTokenSet(db, keyring, clock, id, { version: 1, owner: 'me' }, renewed, times), 'a second save of the same version loses');
  const after = getTokenSet(db, keyring, id);
  assert.ok(after.kind === 'oauth2');
  assert.equal([after.version, after.credentials.refreshToken?.reveal(), after.credentials.previousRefreshToken?.reveal(), after.graceUntil, after.leaseOwner], [2, 'RT-2', 'RT-1', times.graceUntil, null]);
  db.close();
});

grants.run();
