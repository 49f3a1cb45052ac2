import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { openDatabase } from '../../src/store/db';
import { findDeviceByDeviceId, findDeviceByKeyPrefix, setDeviceRights } from '../../src/store/devices';
import { MIGRATIONS } from '../../src/store/migrations';

const devices = suite('store.devices');
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xp-devices-')), 'proxy.db');

devices('the rights migration keeps what each device could do, its key and every reference to it', () => {
  const path = fresh();
  const before = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.id <= 4) });
  // Rows as the version before rights wrote them: a till that may write through /xero, one that may only read.
  before.prepare("INSERT INTO organisations (id, xero_organisation_id, name, app_type, link_state, created_at, updated_at) VALUES ('org_1', 'X1', 'Café', 'private', 'linked', 'x', 'x')").run();
  const insert = before.prepare(
    "INSERT INTO devices (id, device_id, name, organisation_id, key_prefix, key_hash, can_write_passthrough, status, created_at, updated_at, last_seen_at) VALUES (?, ?, ?, 'org_1', ?, ?, ?, 'active', '2026-01-01T00:00:00.000Z', 'x', '2026-02-01T00:00:00.000Z')",
  );
  insert.run('dev_1', 'TILL-1', 'Front till', 'lookup0001', 'hash-1', 1);
  insert.run('dev_2', 'TILL-2', 'Back till', 'lookup0002', 'hash-2', 0);
  before.prepare("INSERT INTO submissions (id, device_id, request_hash, status_code, response, created_at) VALUES ('sub_1', 'dev_1', 'h', 202, '{}', 'x')").run();
  before
    .prepare("INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, status, not_before, created_at, updated_at) VALUES ('job_1', 'sub_1', 'org_1', 'dev_1', 'invoice', 'XP-1', '{}', 'queued', 'x', 'x', 'x')")
    .run();
  before.close();

  const after = openDatabase(path, { migrations: MIGRATIONS });
  assert.equal(after.pragma('foreign_key_check'), []);
  assert.is(Number(after.pragma('foreign_keys', { simple: true })), 1, 'foreign keys are on again after the rebuild');
  assert.equal(findDeviceByDeviceId(after, 'TILL-1')!.rights, ['reference', 'accounting.read', 'payroll.read', 'write']);
  assert.equal(findDeviceByDeviceId(after, 'TILL-2')!.rights, ['reference', 'accounting.read', 'payroll.read']);
  const { device, keyHash } = findDeviceByKeyPrefix(after, 'lookup0001')!;
  assert.equal([device.id, device.name, device.organisationId, device.status, device.createdAt, device.lastSeenAt, keyHash], ['dev_1', 'Front till', 'org_1', 'active', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'hash-1']);
  const columns = (after.prepare('PRAGMA table_info(devices)').all() as Array<{ name: string }>).map((c) => c.name);
  assert.ok(columns.includes('rights') && !columns.includes('can_write_passthrough'), columns.join(', '));
  assert.match(after.prepare("SELECT sql FROM sqlite_master WHERE name = 'devices'").pluck().get() as string, /\) STRICT$/);
  assert.throws(
    () => after.prepare("INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, status, not_before, created_at, updated_at) VALUES ('job_2', 'sub_1', 'org_1', 'dev_missing', 'invoice', 'XP-2', '{}', 'queued', 'x', 'x', 'x')").run(),
    /FOREIGN KEY/,
    'jobs still refer to devices',
  );
  assert.throws(() => after.prepare("UPDATE devices SET device_id = 'TILL-2' WHERE id = 'dev_1'").run(), /UNIQUE/);
  after.close();
});

devices('rights are stored as one spelling of a set of known rights; a row written without them gets reference', () => {
  const db = openDatabase(fresh(), { migrations: MIGRATIONS });
  const clock = new ManualClock(Date.parse('2026-11-28T00:00:00Z'));
  db.prepare("INSERT INTO devices (id, device_id, name, status, created_at, updated_at) VALUES ('dev_1', 'TILL-1', 'Till', 'active', 'x', 'x')").run();
  assert.equal(findDeviceByDeviceId(db, 'TILL-1')!.rights, ['reference']);
  const stored = () => db.prepare("SELECT rights FROM devices WHERE id = 'dev_1'").pluck().get();
  assert.equal(setDeviceRights(db, clock, 'TILL-1', ['write', 'payroll.read', 'reference']).rights, ['reference', 'payroll.read', 'write']);
  assert.is(stored(), 'payroll.read reference write');
  assert.equal(setDeviceRights(db, clock, 'TILL-1', []).rights, []);
  assert.is(stored(), '');
  for (const spelling of ['write reference', 'payroll', 'reference reference', ' reference']) {
    assert.throws(() => db.prepare("UPDATE devices SET rights = ? WHERE id = 'dev_1'").run(spelling), /CHECK/, spelling);
  }
  db.close();
});

devices.run();
