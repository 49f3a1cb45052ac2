import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE, openStore } from '../../src/app';
import { loadConfig } from '../../src/config/load';
import { systemClock } from '../../src/lib/clock';
import { Secret } from '../../src/lib/secret';
import { newKeyLine, parseKeyring } from '../../src/lib/secret-box';
import { openDatabase } from '../../src/store/db';
import { verifyKeyring } from '../../src/store/key-check';
import { MIGRATIONS } from '../../src/store/migrations';
import { putSecret } from '../../src/store/secrets';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli';
import { trustProxyCa } from '../helpers/https';
import { freePort } from '../helpers/proxy';

const masterKey = suite('cli.master-key');
// doctor also calls Xero; nothing listens on port 1, so that check fails at once and stays offline.
const NO_XERO = { XERO_PROXY_XERO_API_URL: 'http://127.0.0.1:1' };

interface Install {
  dir: string;
  keyPath: string;
  dbPath: string;
}

/** `init`, then a consumer secret sealed through the same door every command uses. */
async function sealedInstall(): Promise<Install> {
  const dir = mkdtempSync(join(tmpdir(), 'xp-master-key-'));
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 0, init.stderr);
  const { db, keyring } = openStore(loadConfig({ path: join(dir, 'xero-proxy.toml') }), systemClock);
  putSecret(db, keyring, systemClock, 'xero.consumer_secret', new Secret('cs-1'));
  db.close();
  return { dir, keyPath: join(dir, 'data', 'master.key'), dbPath: join(dir, 'data', DATABASE_FILE) };
}

const checkRows = (dbPath: string) => {
  const db = openDatabase(dbPath, { migrations: MIGRATIONS });
  try {
    return db.prepare("SELECT name FROM secrets WHERE name LIKE 'key-check:%' ORDER BY name").pluck().all();
  } finally {
    db.close();
  }
};

/** Runs `serve` on a port of its own and expects it to refuse; then nothing answers on that port. */
async function serveRefuses(dir: string): Promise<string[]> {
  const port = await freePort();
  const result = await runCli(['serve'], { cwd: dir, env: { XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${port}` } });
  assert.is(result.code, 2, result.stderr);
  assert.not.match(result.stderr, 'proxy listening');
  const accepted = await fetch(`http://127.0.0.1:${port}/api/v1/invoices`, { method: 'POST', body: '{}' }).then(
    (r) => r.status,
    () => 'refused',
  );
  assert.is(accepted, 'refused', 'no document can be handed to a proxy that refused to start');
  return result.stderr.trim().split('\n');
}

/** Starts `serve`, waits until it answers, stops it with SIGTERM and returns its exit code. */
async function serveOnce(dir: string): Promise<number | null> {
  const child = spawnCli(['serve'], { cwd: dir, env: { XERO_PROXY_SERVER_LISTEN: '127.0.0.1:0' } });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const line = await waitForOutput(child, /^\{.*"msg":"proxy listening".*$/m);
    // The config init wrote has HTTPS on: the CA the first start made (and sealed) is trusted here.
    trustProxyCa(join(dir, 'data'));
    // An answer proves the start-up finished, signal handlers included.
    assert.is((await fetch(`${JSON.parse(line).url as string}/healthz`)).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  return exited;
}

masterKey('the key init made keeps working: serve starts, gets its key check, and starts again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-master-key-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  assert.is(await serveOnce(dir), 0);
  assert.equal(checkRows(join(dir, 'data', DATABASE_FILE)), ['key-check:k1']);
  assert.is(await serveOnce(dir), 0);
  const doctor = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: dir, env: NO_XERO });
  const key = (JSON.parse(doctor.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'encryption key');
  assert.equal(key, { check: 'encryption key', status: 'ok', detail: `${join(dir, 'data', 'master.key')} (active key k1)` });
});

masterKey('another key under the same id is refused by serve, doctor and org list, each naming the key and the fix', async () => {
  const { dir, keyPath, dbPath } = await sealedInstall();
  writeFileSync(keyPath, newKeyLine('k1'), { mode: 0o600 });
  const message = `The key k1 in ${keyPath} is not the key this database was sealed with.`;
  const hint = `Restore the key file that belongs to ${dbPath}, or a backup of it; never run \`xero-proxy init\` to replace it, as a new key cannot open what is sealed.`;
  assert.equal(await serveRefuses(dir), [`error: ${message}`, `hint: ${hint}`]);

  const doctor = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: dir, env: NO_XERO });
  assert.is(doctor.code, 1);
  const key = (JSON.parse(doctor.stdout).checks as Array<{ check: string; status: string; detail: string }>).find((c) => c.check === 'encryption key');
  assert.equal(key, { check: 'encryption key', status: 'fail', detail: `${message} ${hint}` });

  const orgList = await runCli(['org', 'list'], { cwd: dir });
  assert.is(orgList.code, 2);
  assert.equal(orgList.stderr.trim().split('\n'), [`error: ${message}`, `hint: ${hint}`]);
});

masterKey('a missing key file beside a sealed database is refused by serve, and init will not make a new one', async () => {
  const { dir, keyPath, dbPath } = await sealedInstall();
  rmSync(keyPath);
  const config = readFileSync(join(dir, 'xero-proxy.toml'), 'utf8');
  const lines = [
    `error: The key file ${keyPath} is missing, and the database ${dbPath} holds values sealed with key k1.`,
    'hint: Restore the key file that belongs to this database, or a backup of it; `xero-proxy init` will not make a new key here.',
  ];
  assert.equal(await serveRefuses(dir), lines);
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 2);
  assert.equal(init.stderr.trim().split('\n'), lines);
  assert.is(init.stdout, '');
  assert.not.ok(existsSync(keyPath), 'init wrote no key');
  assert.is(readFileSync(join(dir, 'xero-proxy.toml'), 'utf8'), config);
});

masterKey('a key file of another id is refused by serve, naming the key id the database needs', async () => {
  const { dir, keyPath, dbPath } = await sealedInstall();
  writeFileSync(keyPath, newKeyLine('k2'), { mode: 0o600 });
  assert.equal(await serveRefuses(dir), [
    `error: The database ${dbPath} needs key k1, but ${keyPath} holds only k2.`,
    'hint: Restore the key file that belongs to this database, or a backup of it; a key of another id cannot open what key k1 sealed.',
  ]);
});

masterKey('init without a config file refuses before writing anything when the data directory holds a sealed database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-master-key-'));
  const dbPath = join(dir, 'data', DATABASE_FILE);
  mkdirSync(join(dir, 'data'), { mode: 0o700 });
  const db = openDatabase(dbPath, { migrations: MIGRATIONS });
  const lost = parseKeyring(newKeyLine('k1'), 'lost');
  verifyKeyring(db, lost, systemClock, { keySource: 'lost', database: dbPath });
  db.close();
  const init = await runCli(['init'], { cwd: dir });
  assert.is(init.code, 2);
  assert.match(init.stderr, `error: The key file ${join(dir, 'data', 'master.key')} is missing, and the database ${dbPath} holds values sealed with key k1.`);
  assert.not.ok(existsSync(join(dir, 'xero-proxy.toml')), 'no config was written half-way');
  assert.not.ok(existsSync(join(dir, 'data', 'master.key')));
});

masterKey('a database sealed before key checks existed is proven at start and gets its check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-master-key-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const dbPath = join(dir, 'data', DATABASE_FILE);
  // Written as a version without key checks wrote it: sealed values, no check.
  const keyring = parseKeyring(readFileSync(join(dir, 'data', 'master.key'), 'utf8'), 'master.key');
  const db = openDatabase(dbPath, { migrations: MIGRATIONS });
  putSecret(db, keyring, systemClock, 'xero.consumer_secret', new Secret('cs-1'));
  db.close();
  assert.equal(checkRows(dbPath), []);
  assert.is(await serveOnce(dir), 0);
  assert.equal(checkRows(dbPath), ['key-check:k1']);
});

masterKey.run();
