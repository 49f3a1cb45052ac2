import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase, readPragmas } from '../../src/store/db';
import { migrate, type Migration } from '../../src/store/migrate';
import { MIGRATIONS } from '../../src/store/migrations';

const db = suite('store.openDatabase');
const fresh = () => join(mkdtempSync(join(tmpdir(), 'xp-db-')), 'data', 'proxy.db');

db('a fresh connection has WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
  const handle = openDatabase(fresh(), { migrations: MIGRATIONS });
  assert.equal(readPragmas(handle), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
  handle.close();
});

db('a reopened connection and a second concurrent one get the same pragmas', () => {
  const path = fresh();
  openDatabase(path, { migrations: MIGRATIONS }).close();
  const first = openDatabase(path, { migrations: MIGRATIONS });
  const second = openDatabase(path, { migrations: MIGRATIONS });
  // better-sqlite3 defaults WAL connections to synchronous=NORMAL; each connection must set FULL itself.
  assert.equal(readPragmas(first), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
  assert.equal(readPragmas(second), { journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 5000 });
  first.close();
  second.close();
});

db('the database file and its WAL are created owner-only', () => {
  const path = fresh();
  const handle = openDatabase(path, { migrations: MIGRATIONS });
  handle.prepare("INSERT INTO secrets (name, sealed, updated_at) VALUES ('x', 'y', 'z')").run();
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(statSync(path + '-wal').mode & 0o777, 0o600);
  assert.is(statSync(join(path, '..')).mode & 0o777, 0o700);
  handle.close();
});

const migrations = suite('store.migrate');

migrations('applies each migration once, in order, and records it', () => {
  const handle = openDatabase(':memory:', { migrations: MIGRATIONS });
  const steps: Migration[] = [
    { id: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
    { id: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER) STRICT;' },
  ];
  const other = openDatabase(':memory:', { migrations: [] });
  assert.equal(migrate(other, steps), [1, 2]);
  assert.equal(migrate(other, steps), []);
  assert.equal(other.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all(), [{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
  handle.close();
  other.close();
});

migrations('a failing migration leaves nothing of itself behind', () => {
  const handle = openDatabase(':memory:', { migrations: [] });
  const steps: Migration[] = [
    { id: 1, name: 'good', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
    { id: 2, name: 'bad', sql: 'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' },
  ];
  assert.throws(() => migrate(handle, steps));
  assert.equal(handle.prepare('SELECT id FROM schema_migrations').pluck().all(), [1]);
  assert.is(handle.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get(), 0);
  handle.close();
});

db.run();
migrations.run();

