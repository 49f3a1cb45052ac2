import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isAppError } from '../../src/lib/errors';
import { acquireServerLock, SERVER_LOCK_DETAILS_FILE } from '../../src/store/server-lock';

const lock = suite('store.acquireServerLock');

const holder = { pid: 4242, startedAt: '2026-01-01T09:00:00.000Z', listen: '127.0.0.1:8080' };

lock('a second taker is refused with conflict, naming the holder; after release the lock can be taken again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-lock-'));
  const first = acquireServerLock(dir, holder);
  first.listening('http://127.0.0.1:8123');
  assert.is((statSync(join(dir, SERVER_LOCK_DETAILS_FILE)).mode & 0o777).toString(8), '600');
  try {
    acquireServerLock(dir, { ...holder, pid: 1 });
    assert.unreachable('the second taker got the lock');
  } catch (error) {
    assert.ok(isAppError(error, 'conflict'), String(error));
    assert.is(error.message, `Another xero-proxy server is already running on the data directory ${dir} (PID 4242, started 2026-01-01T09:00:00.000Z, listening on http://127.0.0.1:8123).`);
    assert.is(error.hint, 'Stop that server first (kill 4242), or give this one its own data directory (storage.data_dir).');
  }
  first.release();
  first.release();
  acquireServerLock(dir, holder).release();
});

lock('details left behind by a server that died do not keep the next one out; only the lock decides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-lock-'));
  writeFileSync(join(dir, SERVER_LOCK_DETAILS_FILE), JSON.stringify({ ...holder, pid: 99999 }));
  const taken = acquireServerLock(dir, holder);
  taken.release();
});

lock('a holder whose details file is unreadable is still refused, and the message says its details are missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-lock-'));
  const first = acquireServerLock(dir, holder);
  writeFileSync(join(dir, SERVER_LOCK_DETAILS_FILE), 'not json');
  try {
    assert.throws(() => acquireServerLock(dir, holder), (error: Error) => error.message === `Another xero-proxy server is already running on the data directory ${dir} (its details are missing from ${SERVER_LOCK_DETAILS_FILE}).`);
  } finally {
    first.release();
  }
});

lock.run();
