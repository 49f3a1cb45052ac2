import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DATABASE_FILE } from '../../src/app';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { runCli } from '../helpers/cli';
import { startTestProxy } from '../helpers/proxy';
import { Browser } from '../helpers/web';

const admin = suite('cli.admin');

const readDb = <T,>(dir: string, read: (db: ReturnType<typeof openDatabase>) => T): T => {
  const db = openDatabase(join(dir, 'data', DATABASE_FILE), { migrations: MIGRATIONS });
  try {
    return read(db);
  } finally {
    db.close();
  }
};
const storedHash = (dir: string, name = 'admin') => readDb(dir, (db) => db.prepare('SELECT password_hash FROM administrators WHERE name = ?').pluck().get(name) as string | undefined);
const initialised = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-admin-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  return dir;
};

admin('set-password --password-stdin makes the administrator "admin" with an scrypt hash (N=2^17), and the password then signs in', async () => {
  const dir = await initialised();
  const set = await runCli(['admin', 'set-password', '--password-stdin'], { cwd: dir, input: 'shop owner passphrase 42\n' });
  assert.is(set.code, 0, set.stderr);
  assert.is(set.stdout.trim(), 'The password of the administrator "admin" is set. At the first sign-in they set up two-step sign-in with an authenticator app. Sign in at https://localhost:8080/login with the name admin.', 'the public URL of a new config, with HTTPS on');
  const hash = storedHash(dir)!;
  assert.match(hash, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.not.match(hash, 'passphrase');

  const proxy = await startTestProxy({ dataDir: join(dir, 'data'), publicUrlIsSelf: true });
  try {
    const browser = new Browser(proxy.url);
    assert.is((await browser.signIn('shop owner passphrase 42\n')).status, 401, 'the trailing line break was not part of the password');
    assert.is((await browser.signIn('shop owner passphrase 42')).status, 303);
  } finally {
    await proxy.stop();
  }
});

admin('a short password, or no terminal and no --password-stdin, is refused with a hint and changes nothing', async () => {
  const dir = await initialised();
  const short = await runCli(['admin', 'add', 'alice', '--password-stdin'], { cwd: dir, input: 'too short' });
  assert.is(short.code, 2);
  assert.is(short.stderr.trim(), 'error: The password must be at least 12 characters long; a few unrelated words make a good one.');
  const noTerminal = await runCli(['admin', 'reset-password', 'alice'], { cwd: dir });
  assert.is(noTerminal.code, 2);
  assert.match(noTerminal.stderr, 'error: There is no terminal to ask for the password on.');
  assert.match(noTerminal.stderr, 'hint: In scripts, pipe it in: printf %s "$PASSWORD" | xero-proxy admin reset-password NAME --password-stdin');
  const badName = await runCli(['admin', 'add', 'front desk', '--password-stdin'], { cwd: dir, input: 'a long enough password' });
  assert.is(badName.code, 2);
  assert.is(badName.stderr.trim(), 'error: name: must be 1 to 64 letters, digits or . _ @ - (such as "alice" or "front.desk"), starting with a letter or digit.');
  assert.is(readDb(dir, (db) => db.prepare('SELECT count(*) FROM administrators').pluck().get()), 0);
});

admin('add, list, reset-password and remove administrators by name; the last one cannot be removed; each change is audited as the OS user', async () => {
  const dir = await initialised();
  assert.is((await runCli(['admin', 'add', 'alice', '--password-stdin'], { cwd: dir, input: 'alice long passphrase' })).code, 0);
  const again = await runCli(['admin', 'add', 'ALICE', '--password-stdin'], { cwd: dir, input: 'another long passphrase' });
  assert.equal([again.code, again.stderr.trim()], [1, 'error: There is an administrator named "ALICE" already; choose another name.'], 'names compare without regard to case');
  assert.is((await runCli(['admin', 'add', 'front.desk', '--password-stdin'], { cwd: dir, input: 'front desk passphrase' })).code, 0);

  const listed = await runCli(['admin', 'list', '--json'], { cwd: dir });
  const { administrators } = JSON.parse(listed.stdout) as { administrators: Array<Record<string, unknown>> };
  assert.equal(
    administrators.map(({ name, mfaEnrolled, lastSignInAt, sessions }) => ({ name, mfaEnrolled, lastSignInAt, sessions })),
    [
      { name: 'alice', mfaEnrolled: false, lastSignInAt: null, sessions: 0 },
      { name: 'front.desk', mfaEnrolled: false, lastSignInAt: null, sessions: 0 },
    ],
  );
  assert.not.match(listed.stdout, 'scrypt', 'no hash is ever listed');
  assert.match((await runCli(['admin', 'list'], { cwd: dir })).stdout, /NAME\s+MFA\s+LASTSIGNIN\s+SESSIONS\nalice\s+no\s+never\s+0/);

  const before = storedHash(dir, 'alice');
  const reset = await runCli(['admin', 'reset-password', 'alice', '--password-stdin'], { cwd: dir, input: 'alice new passphrase' });
  assert.equal([reset.code, reset.stdout.trim()], [0, 'The password of alice is set.']);
  assert.is.not(storedHash(dir, 'alice'), before);
  const unknown = await runCli(['admin', 'reset-password', 'bob', '--password-stdin'], { cwd: dir, input: 'bob long passphrase' });
  assert.equal([unknown.code, unknown.stderr.trim()], [1, 'error: There is no administrator named "bob".\nhint: List them with `xero-proxy admin list`.']);

  assert.equal((await runCli(['admin', 'remove', 'front.desk'], { cwd: dir })).stdout.trim(), 'Removed the administrator front.desk.');
  const last = await runCli(['admin', 'remove', 'alice'], { cwd: dir });
  assert.is(last.code, 1);
  assert.is(last.stderr.trim(), 'error: alice is the only administrator, so they cannot be removed: nobody could sign in.\nhint: Add another administrator first (`xero-proxy admin add NAME`).');

  const audit = await runCli(['audit', 'list', '--json', '--action', 'admin.'], { cwd: dir });
  const { entries } = JSON.parse(audit.stdout) as { entries: Array<{ actor: string; source: string; action: string; subject: string; changes: Record<string, unknown> }> };
  const me = `cli:${userInfo().username}`;
  assert.equal(
    entries.map(({ actor, source, action, subject }) => ({ actor, source, action, subject })),
    [
      { actor: me, source: 'cli', action: 'admin.removed', subject: 'front.desk' },
      { actor: me, source: 'cli', action: 'admin.password_reset', subject: 'alice' },
      { actor: me, source: 'cli', action: 'admin.added', subject: 'front.desk' },
      { actor: me, source: 'cli', action: 'admin.added', subject: 'alice' },
    ],
  );
  assert.not.match(audit.stdout, 'passphrase', 'a password is never audited');
});

admin('signing in with a name that is not an administrator is refused like a wrong password', async () => {
  const dir = await initialised();
  await runCli(['admin', 'add', 'alice', '--password-stdin'], { cwd: dir, input: 'alice long passphrase' });
  const proxy = await startTestProxy({ dataDir: join(dir, 'data'), publicUrlIsSelf: true });
  try {
    const browser = new Browser(proxy.url);
    const unknown = await browser.signIn('alice long passphrase', undefined, 'mallory');
    const wrong = await browser.signIn('not her passphrase', undefined, 'alice');
    assert.equal([unknown.status, wrong.status], [401, 401]);
    assert.is((await browser.signIn('alice long passphrase', undefined, 'Alice')).status, 303, 'the name in any case');
  } finally {
    await proxy.stop();
  }
});

admin.run();
