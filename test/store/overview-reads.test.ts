import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase, type Db } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';

const reads = suite('store.overview-reads');

/** The plan SQLite chooses for `sql`, as one line per step. */
function plan(db: Db, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail).join('\n');
}

// The statements of src/store/overview-reads.ts and organisation-usage.ts the overview runs on every view.
reads('the overview reads jobs through indexes, never by scanning the whole table', () => {
  const db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const at = '2026-11-28T00:00:00.000Z';
  assert.match(plan(db, `SELECT substr(delivered_at, 1, 13) AS bucket, COUNT(*) FROM jobs WHERE delivered_at >= ? GROUP BY bucket`, at), 'INDEX jobs_by_delivered (delivered_at>?)');
  assert.match(plan(db, `SELECT substr(updated_at, 1, 13) AS bucket, COUNT(*) FROM jobs WHERE status IN ('failed', 'dead') AND updated_at >= ? GROUP BY bucket`, at), 'jobs_by_status_updated');
  assert.match(plan(db, 'SELECT MAX(delivered_at) FROM jobs WHERE organisation_id = ? AND delivered_at IS NOT NULL', 'org'), 'jobs_by_organisation_delivered');
  assert.match(plan(db, `SELECT MIN(created_at) FROM jobs WHERE organisation_id = ? AND status IN ('queued', 'sending', 'held')`, 'org'), 'jobs_by_organisation');
  assert.match(plan(db, `SELECT MIN(not_before) FROM jobs WHERE status = 'queued' AND organisation_id = ? AND not_before <= ?`, 'org', at), 'jobs_ready');
  assert.match(plan(db, `SELECT organisation_id, status, COUNT(*) FROM jobs WHERE status IN ('queued', 'sending', 'held', 'failed', 'dead') GROUP BY organisation_id, status`), /USING (COVERING )?INDEX/);
  assert.match(plan(db, 'SELECT hour, SUM(calls) FROM organisation_usage_hours WHERE hour >= ? GROUP BY hour', '2026-11-28T00'), 'SEARCH organisation_usage_hours USING PRIMARY KEY (hour>?)');
  for (const sql of [`SELECT organisation_id, COUNT(*) FROM jobs WHERE status IN ('failed', 'dead') OR (status IN ('queued', 'sending', 'held') AND cause IN ('lock_date')) GROUP BY organisation_id`]) {
    assert.not.match(plan(db, sql), /SCAN jobs/, sql);
  }
  db.close();
});

reads.run();
