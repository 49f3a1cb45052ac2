import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const storedHash = (dir: string) => {
  const db = openDatabase(join(dir, 'data', DATABASE_FILE), { migrations: MIGRATIONS });
  try {
    return db.prepare("SELECT value FROM settings WHERE name = 'admin.password_hash'").pluck().get() as string | undefined;
  } finally {
    db.close();
  }
};

admin('set-password --password-stdin stores an scrypt hash (N=2^17) and the password then signs in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xp-admin-'));
  assert.is((await runCli(['init'], { cwd: dir })).code, 0);
  const set = await runCli(['admin', 'set-password', '--password-stdin'], { cwd: dir, input: 'shop owner passphrase 42\n' });
  assert.is(set.code, 0, set.stderr);
  assert.is(set.stdout.trim(), 'The administrator password is set. Sign in at https://localhost:8080/login', 'the public URL of a new config, with HTTPS on');
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
  const dir = mkdtempSync(join(tmpdir(), 'xp-admin-'));
  await runCli(['init'], { cwd: dir });
  const short = await runCli(['admin', 'set-password', '--password-stdin'], { cwd: dir, input: 'too short' });
  assert.is(short.code, 2);
  assert.is(short.stderr.trim(), 'error: The password must be at least 12 characters long; a few unrelated words make a good one.');
  const noTerminal = await runCli(['admin', 'set-password'], { cwd: dir });
  assert.is(noTerminal.code, 2);
  assert.match(noTerminal.stderr, 'error: There is no terminal to ask for the password on.');
  assert.match(noTerminal.stderr, 'hint: In scripts, pipe it in: printf %s "$PASSWORD" | xero-proxy admin set-password --password-stdin');
  assert.is(storedHash(dir), undefined);
});

admin.run();
