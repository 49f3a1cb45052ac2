import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import { addonDirectories } from '../../src/store/native-binding';

// Inside the executable the SQLite addon is written to disk once and loaded from there; hardened
// hosts mount the temp directory noexec, so it must never be chosen.

test('a systemd service uses the cache directory systemd made for it, then the data directory', () => {
  assert.equal(addonDirectories('/var/lib/xero-proxy', { CACHE_DIRECTORY: '/var/cache/xero-proxy' }, 'linux', ''), ['/var/cache/xero-proxy', '/var/lib/xero-proxy/.cache']);
});

test('on Linux a person gets XDG_CACHE_HOME or ~/.cache', () => {
  assert.equal(addonDirectories(undefined, { XDG_CACHE_HOME: '/home/ann/.c' }, 'linux', '/home/ann'), ['/home/ann/.c/xero-proxy']);
  assert.equal(addonDirectories('/srv/data', {}, 'linux', '/home/ann'), ['/home/ann/.cache/xero-proxy', '/srv/data/.cache']);
});

test('Windows uses LOCALAPPDATA, macOS ~/Library/Caches', () => {
  const windows = addonDirectories(undefined, { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\Users\\ann');
  assert.is(windows.length, 1);
  assert.match(windows[0]!, /Xero Comms Proxy/);
  assert.equal(addonDirectories(undefined, {}, 'darwin', '/Users/ann'), ['/Users/ann/Library/Caches/xero-proxy']);
});

test('no home and no data directory leaves nowhere, rather than the temp directory', () => {
  assert.equal(addonDirectories(undefined, { TMPDIR: '/tmp' }, 'linux', ''), []);
  for (const dir of addonDirectories('/data', { TMPDIR: tmpdir() }, 'linux', '')) assert.not.ok(dir.startsWith(tmpdir()), dir);
});

test.run();
