import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AppError } from '../../src/lib/errors';
import { openDatabase } from '../../src/store/db';
import { findSchemaWriter } from '../../src/store/migrate';
import { MIGRATIONS } from '../../src/store/migrations';
import { VERSION } from '../../src/version';

const upgrade = suite('store.migrate upgrades');
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xp-upgrade-')), 'xero-proxy.db');
const newestId = MIGRATIONS[MIGRATIONS.length - 1]!.id;
const older = MIGRATIONS.slice(0, -2);
const olderId = older[older.length - 1]!.id;
const schemaOf = (db: Database.Database) => db.prepare('SELECT max(id) FROM schema_migrations').pluck().get() as number;
const backups = (path: string) => readdirSync(join(path, '..')).filter((name) => name.endsWith('.bak')).sort();

upgrade('a database at an older schema is copied, at its old schema, before it is upgraded', () => {
  const path = fresh();
  const old = openDatabase(path, { migrations: older, version: '0.0.9' });
  old.prepare("INSERT INTO secrets (name, sealed, updated_at) VALUES ('kept', 'sealed', '2024-01-01T00:00:00.000Z')").run();
  old.close();

  const upgraded = openDatabase(path, { migrations: MIGRATIONS });
  assert.is(schemaOf(upgraded), newestId);
  assert.equal(findSchemaWriter(upgraded), { version: VERSION, schemaId: newestId });
  assert.is(upgraded.prepare("SELECT sealed FROM secrets WHERE name = 'kept'").pluck().get(), 'sealed');
  upgraded.prepare("INSERT INTO secrets (name, sealed, updated_at) VALUES ('after', 'x', '2024-01-02T00:00:00.000Z')").run();
  upgraded.close();

  const copyPath = `${path}.before-schema-${olderId}.bak`;
  assert.equal(backups(path), [`xero-proxy.db.before-schema-${olderId}.bak`]);
  assert.is(statSync(copyPath).mode & 0o777, 0o600);
  const copy = new Database(copyPath, { readonly: true, fileMustExist: true });
  assert.is(schemaOf(copy), olderId);
  assert.equal(findSchemaWriter(copy), { version: '0.0.9', schemaId: olderId });
  assert.equal(copy.prepare('SELECT name FROM secrets ORDER BY name').pluck().all(), ['kept']);
  copy.close();
});

upgrade('a new database, and one already at this schema, get no copy', () => {
  const path = fresh();
  openDatabase(path, { migrations: MIGRATIONS }).close();
  openDatabase(path, { migrations: MIGRATIONS }).close();
  assert.equal(backups(path), []);
});

upgrade('an existing copy of the same name is kept and the next name is taken', () => {
  const path = fresh();
  openDatabase(path, { migrations: older }).close();
  writeFileSync(`${path}.before-schema-${olderId}.bak`, 'an earlier copy');
  openDatabase(path, { migrations: MIGRATIONS }).close();
  assert.equal(backups(path), [`xero-proxy.db.before-schema-${olderId}.2.bak`, `xero-proxy.db.before-schema-${olderId}.bak`]);
  assert.is(statSync(`${path}.before-schema-${olderId}.bak`).size, 'an earlier copy'.length);
  const copy = new Database(`${path}.before-schema-${olderId}.2.bak`, { readonly: true });
  assert.is(schemaOf(copy), olderId);
  copy.close();
});

upgrade('a database written by a newer version is refused, naming that version, and left as it was', () => {
  const path = fresh();
  openDatabase(path, { migrations: MIGRATIONS, version: '0.3.0' }).close();
  try {
    openDatabase(path, { migrations: older, version: '0.2.0' });
    assert.unreachable('the newer database opened');
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'unavailable');
    assert.is(
      (error as AppError).message,
      `The database was written by xero-proxy 0.3.0 (schema ${newestId}); this is 0.2.0, which knows schema ${olderId}. Run the newer version, or restore the copy made before it upgraded.`,
    );
  }
  assert.equal(backups(path), []);
  const again = openDatabase(path, { migrations: MIGRATIONS, version: '0.3.0' });
  assert.equal(findSchemaWriter(again), { version: '0.3.0', schemaId: newestId });
  again.close();
});

upgrade('the rebuild that adds credit notes, allocations, attachments and payers keeps every job, mapping and index', () => {
  const path = fresh();
  const before = MIGRATIONS.filter((migration) => migration.id < 17);
  const old = openDatabase(path, { migrations: before });
  const at = '2026-12-01T00:00:00.000Z';
  old.prepare(`INSERT INTO organisations (id, xero_organisation_id, name, app_type, link_state, created_at, updated_at)
    VALUES ('org-1', 'xero-1', 'Harbourside Café', 'oauth2', 'linked', ?, ?)`).run(at, at);
  old.prepare(`INSERT INTO devices (id, device_id, name, organisation_id, status, created_at, updated_at)
    VALUES ('dev-1', 'TILL-1', 'Till 1', 'org-1', 'active', ?, ?)`).run(at, at);
  old.prepare(`INSERT INTO submissions (id, device_id, request_hash, status_code, response, created_at)
    VALUES ('sub-1', 'dev-1', 'hash', 202, '{}', ?)`).run(at);
  const insertJob = old.prepare(`INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, depends_on, status, not_before, created_at, updated_at, document_id, content_erased_at)
    VALUES (?, 'sub-1', 'org-1', 'dev-1', ?, ?, '{}', ?, 'queued', ?, ?, ?, 'DOC-1', ?)`);
  insertJob.run('job-1', 'invoice', 'KEY-1', null, at, at, at, null);
  insertJob.run('job-2', 'payment', 'KEY-2', 'job-1', at, at, at, at);
  old.prepare(`INSERT INTO mappings (organisation_id, kind, source, target, updated_at) VALUES ('org-1', 'category', 'Coffee', '200', ?)`).run(at);
  const indexes = (db: Database.Database) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('jobs', 'mappings') ORDER BY name").all();
  const indexesBefore = indexes(old);
  const jobsBefore = old.prepare('SELECT * FROM jobs ORDER BY id').all();
  old.close();

  // Up to the rebuild itself: later migrations add indexes of their own.
  const upgraded = openDatabase(path, { migrations: MIGRATIONS.filter((migration) => migration.id <= 17) });
  assert.equal(upgraded.prepare('SELECT * FROM jobs ORDER BY id').all(), jobsBefore);
  // Later migrations add indexes of their own; the rebuild itself keeps every one it found.
  const later = new Set(MIGRATIONS.filter((migration) => migration.id > 17).flatMap((migration) => [...migration.sql.matchAll(/CREATE INDEX (\w+)/g)].map((match) => match[1])));
  assert.equal(indexes(upgraded).filter((index) => !later.has((index as { name: string }).name)), indexesBefore);
  assert.equal(upgraded.prepare('SELECT kind, source, target FROM mappings').all(), [{ kind: 'category', source: 'Coffee', target: '200' }]);
  for (const [id, kind] of [['job-3', 'credit_note'], ['job-4', 'allocation'], ['job-5', 'attachment']] as const) {
    upgraded.prepare(`INSERT INTO jobs (id, submission_id, organisation_id, device_id, kind, document_key, payload, status, not_before, created_at, updated_at)
      VALUES (?, 'sub-1', 'org-1', 'dev-1', ?, ?, '{}', 'queued', ?, ?, ?)`).run(id, kind, `KEY-${id}`, at, at, at);
  }
  upgraded.prepare(`INSERT INTO mappings (organisation_id, kind, source, target, updated_at) VALUES ('org-1', 'payer', 'Medicare', '610', ?)`).run(at);
  assert.throws(() => upgraded.prepare(`INSERT INTO mappings (organisation_id, kind, source, target, updated_at) VALUES ('org-1', 'nonsense', 'x', 'y', ?)`).run(at));
  assert.equal(upgraded.pragma('foreign_key_check'), []);
  upgraded.close();
});

upgrade.run();
