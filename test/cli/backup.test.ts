import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { readBackupHeader, sealBackup } from '../../src/lib/backup-file';
import { parseKeyring } from '../../src/lib/secret-box';
import { acquireServerLock } from '../../src/store/server-lock';
import { NEWEST_SCHEMA } from '../../src/store/snapshot';
import { runCli } from '../helpers/cli';
import { readBack, sealedInstall } from '../helpers/sealed';

const backup = suite('cli.backup');
const PASSPHRASE = 'four unrelated words here';

const configOf = (dir: string) => loadConfig({ env: { XERO_PROXY_STORAGE_DATA_DIR: dir }, cwd: dir });
const newDir = () => join(mkdtempSync(join(tmpdir(), 'xp-restore-')), 'data');

backup('backup writes an owner-only file sealed with a key derived from the master key; restore --key-file brings every secret into a new directory', async () => {
  const install = await sealedInstall();
  const out = join(install.dir, 'first.backup');
  const made = await runCli(['backup', '--out', out], { cwd: install.dir });
  assert.is(made.code, 0, made.stderr);
  assert.match(made.stdout, `Backup written: ${out} (`);
  assert.match(made.stdout, `It is sealed with a key derived from the master key (${install.keyPath}): keep a copy of that file apart from the backups; without it this backup cannot be restored.`);
  assert.is(statSync(out).mode & 0o777, 0o600);
  const bytes = readFileSync(out);
  const { header } = readBackupHeader(bytes, 'first.backup');
  assert.equal({ mode: header.key.mode, keyId: 'keyId' in header.key ? header.key.keyId : '', schema: header.schema }, { mode: 'master-key', keyId: 'k1', schema: NEWEST_SCHEMA });
  assert.not.ok(bytes.includes(Buffer.from('CREATE TABLE')), 'the database inside is encrypted, its schema included');
  const status = await runCli(['status'], { cwd: install.dir });
  assert.match(status.stdout, `Last backup: ${header.createdAt.slice(0, 16).replace('T', ' ')} UTC, ${out} (scheduled "30 2 * * *").`);

  const target = newDir();
  const restored = await runCli(['restore', out, '--data-dir', target, '--key-file', install.keyPath, '--json'], { cwd: install.dir });
  assert.is(restored.code, 0, restored.stderr);
  const result = JSON.parse(restored.stdout);
  assert.equal(result, { database: join(target, DATABASE_FILE), backupCreatedAt: header.createdAt, schema: NEWEST_SCHEMA, keyWritten: join(target, 'master.key'), lookedUpFirst: 0, keyId: 'k1' });
  assert.is(statSync(join(target, 'master.key')).mode & 0o777, 0o600);
  assert.equal(readBack({ config: configOf(target) }).secrets, install.secrets, 'every secret reads as it did, from the new directory');
});

backup('a passphrase backup carries the master key: restored alone into a directory with a key of its own, every secret is sealed again with that key', async () => {
  const install = await sealedInstall();
  const out = join(install.dir, 'with-passphrase.backup');
  const made = await runCli(['backup', '--out', out, '--passphrase-stdin'], { cwd: install.dir, input: `${PASSPHRASE}\n` });
  assert.is(made.code, 0, made.stderr);
  assert.match(made.stdout, 'It is sealed with your passphrase and carries the master key: with the passphrase it restores everything on its own.');

  // A new machine after `init`: a data directory with a new key k1, which is not the old k1.
  const fresh = mkdtempSync(join(tmpdir(), 'xp-new-machine-'));
  assert.is((await runCli(['init'], { cwd: fresh })).code, 0);
  const wrong = await runCli(['restore', out, '--passphrase-stdin'], { cwd: fresh, input: 'not the passphrase at all' });
  assert.is(wrong.code, 2);
  assert.is(wrong.stderr.trim(), 'error: The passphrase is not the one with-passphrase.backup was made with.\nhint: Type the passphrase given to `xero-proxy backup --passphrase-stdin`.');
  assert.not.ok(existsSync(join(fresh, 'data', DATABASE_FILE)), 'nothing was restored');
  const noPassphrase = await runCli(['restore', out], { cwd: fresh });
  assert.is(noPassphrase.code, 2);
  assert.match(noPassphrase.stderr, 'error: with-passphrase.backup is sealed with a passphrase.');

  const restored = await runCli(['restore', out, '--passphrase-stdin'], { cwd: fresh, input: PASSPHRASE });
  assert.is(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, "Its secrets are sealed with this data directory's key k1.");
  const config = loadConfig({ path: join(fresh, 'xero-proxy.toml') });
  assert.equal(readBack({ config }).secrets, install.secrets);
  const newKey = parseKeyring(readFileSync(join(fresh, 'data', 'master.key'), 'utf8'), 'new');
  const oldKey = parseKeyring(readFileSync(install.keyPath, 'utf8'), 'old');
  assert.not.equal(newKey.active.key, oldKey.active.key, 'the new machine kept its own key');

  const empty = newDir();
  const alone = await runCli(['restore', out, '--data-dir', empty, '--passphrase-stdin'], { cwd: fresh, input: PASSPHRASE });
  assert.is(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, `The master key came from the backup: ${join(empty, 'master.key')}.`);
  assert.equal(readFileSync(join(empty, 'master.key'), 'utf8').match(/^k1 \S+$/m)?.[0], readFileSync(install.keyPath, 'utf8').match(/^k1 \S+$/m)?.[0]);
  assert.equal(readBack({ config: configOf(empty) }).secrets, install.secrets);
});

backup('a backup made before key rotate still restores: its key is kept retired, and the restored secrets are sealed with the new key', async () => {
  const install = await sealedInstall();
  const out = join(install.dir, 'before-rotation.backup');
  assert.is((await runCli(['backup', '--out', out], { cwd: install.dir })).code, 0);
  assert.is((await runCli(['key', 'rotate'], { cwd: install.dir })).code, 0);
  const actions = async () => {
    const listed = await runCli(['audit', 'list', '--json'], { cwd: install.dir });
    const { entries } = JSON.parse(listed.stdout) as { entries: Array<{ actor: string; action: string; subject: string }> };
    return entries.map((entry) => `${entry.actor} ${entry.action} ${entry.subject}`).reverse();
  };
  const me = `cli:${userInfo().username}`;
  assert.equal(await actions(), [`${me} backup.created ${out}`, `${me} key.rotated k2`], 'both audited as the OS user');
  const restored = await runCli(['restore', out, '--json'], { cwd: install.dir });
  assert.is(restored.code, 0, restored.stderr);
  const result = JSON.parse(restored.stdout) as { keyId: string; keptCopy: string };
  assert.is(result.keyId, 'k2');
  assert.is(result.keptCopy, join(install.dir, 'data', `${DATABASE_FILE}.before-restore.bak`), 'the database it replaced is kept beside it');
  assert.is(statSync(result.keptCopy).mode & 0o777, 0o600);
  const after = readBack(install);
  assert.equal(after.secrets, install.secrets);
  assert.equal(after.sealed, { values: { k2: 4 }, checks: ['k2'] }, 'the retired key seals nothing again');
  assert.match(readFileSync(install.keyPath, 'utf8'), /^k1 \S+ retired$/m);
  // The restored database has the log as it was when the backup was taken, and then the restore.
  assert.equal(await actions(), [`${me} backup.restored before-rotation.backup`]);
});

backup('restore refuses while a server holds the data directory, and changes nothing', async () => {
  const install = await sealedInstall();
  const out = join(install.dir, 'b.backup');
  assert.is((await runCli(['backup', '--out', out], { cwd: install.dir })).code, 0);
  const lock = acquireServerLock(join(install.dir, 'data'), { pid: 4242, startedAt: '2026-11-28T02:00:00.000Z', listen: 'http://127.0.0.1:8080' });
  try {
    const refused = await runCli(['restore', out], { cwd: install.dir });
    assert.is(refused.code, 1);
    assert.is(
      refused.stderr.trim(),
      `error: Another xero-proxy server is already running on the data directory ${join(install.dir, 'data')} (PID 4242, started 2026-11-28T02:00:00.000Z, listening on http://127.0.0.1:8080).\nhint: Stop that server first (kill 4242), or give this one its own data directory (storage.data_dir).`,
    );
  } finally {
    lock.release();
  }
  assert.equal(readdirSync(join(install.dir, 'data')).filter((name) => name.includes('restor')), []);
});

backup('a backup that is damaged, cut short, not a backup, or made with another key is refused before anything changes', async () => {
  const install = await sealedInstall();
  const out = join(install.dir, 'b.backup');
  assert.is((await runCli(['backup', '--out', out], { cwd: install.dir })).code, 0);
  const bytes = readFileSync(out);
  const damaged = Buffer.from(bytes);
  damaged[damaged.length - 100] = damaged[damaged.length - 100]! ^ 1;
  const cases: Array<[string, Buffer, string]> = [
    ['damaged.backup', damaged, 'error: damaged.backup is damaged or was altered: it fails its integrity check.'],
    ['short.backup', bytes.subarray(0, 40), 'error: short.backup is cut short or damaged: its header cannot be read.'],
    ['notes.backup', Buffer.from('just some text\n'), 'error: notes.backup is not a xero-proxy backup.'],
  ];
  for (const [name, content, message] of cases) {
    writeFileSync(join(install.dir, name), content);
    const refused = await runCli(['restore', name], { cwd: install.dir });
    assert.is(refused.code, 2, name);
    assert.is(refused.stderr.split('\n')[0], message);
  }
  const other = await sealedInstall();
  const foreign = await runCli(['restore', out], { cwd: other.dir });
  assert.is(foreign.code, 2);
  assert.is(foreign.stderr.trim(), 'error: b.backup was made with another master key k1 than this one.\nhint: Give the key file of the proxy that made it with --key-file, or restore a passphrase backup.');
  assert.equal(readBack(other).secrets, other.secrets, 'the other directory is untouched');
});

backup('a backup of a newer schema, or of a database that fails its integrity check, is refused', async () => {
  const install = await sealedInstall();
  const key = parseKeyring(readFileSync(install.keyPath, 'utf8'), 'k');
  const imageOf = (build: (db: Database.Database) => void) => {
    const path = join(mkdtempSync(join(tmpdir(), 'xp-image-')), 'x.db');
    const db = new Database(path);
    build(db);
    const image = db.serialize();
    db.close();
    return image;
  };
  const seal = (image: Buffer) => sealBackup({ createdAt: '2026-11-28T02:30:00.000Z', proxyVersion: '9.9.9', schema: 0 }, { image }, { mode: 'master-key', keyId: 'k1', key: key.active.key });
  const newer = imageOf((db) => db.exec(`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT, applied_at TEXT); INSERT INTO schema_migrations VALUES (${NEWEST_SCHEMA + 1}, 'future', 'x')`));
  writeFileSync(join(install.dir, 'newer.backup'), seal(newer));
  const refusedNewer = await runCli(['restore', 'newer.backup'], { cwd: install.dir });
  assert.is(refusedNewer.code, 2);
  assert.is(refusedNewer.stderr.split('\n')[0], `error: newer.backup holds a database of schema ${NEWEST_SCHEMA + 1}, newer than this version's ${NEWEST_SCHEMA}.`);

  const broken = imageOf((db) => {
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)');
    for (let i = 0; i < 2000; i++) db.prepare('INSERT INTO t VALUES (?)').run(`row ${i}`);
  });
  // The last page (part of the index) overwritten: the file opens, the check finds it.
  broken.fill(0x41, broken.length - 4096 + 100, broken.length - 100);
  writeFileSync(join(install.dir, 'broken.backup'), seal(broken));
  const refusedBroken = await runCli(['restore', 'broken.backup'], { cwd: install.dir });
  assert.is(refusedBroken.code, 2);
  assert.match(refusedBroken.stderr.split('\n')[0]!, "error: The database in broken.backup fails SQLite's integrity check: *** in database main *** Tree 2 page");
  assert.equal(readBack(install).secrets, install.secrets, 'the database is untouched');
});

backup.run();
