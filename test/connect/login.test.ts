import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { setAdminPassword } from '../../src/services/administrators';
import { asCli } from '../helpers/actor';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, givenAdminPassword, textOf } from '../helpers/web';

const login = suite<{ proxy: TestProxy; clock: ManualClock; browser: Browser }>('connect.login');

login.before.each(async (context) => {
  context.clock = new ManualClock('2026-03-02T09:00:00Z');
  context.proxy = await startTestProxy({ clock: context.clock, publicUrlIsSelf: true });
  context.browser = new Browser(context.proxy.url);
});
login.after.each(async ({ proxy }) => proxy.stop());

const deps = (proxy: TestProxy) => proxy.running.proxy.deps;

login('without an administrator the sign-in page explains how to add one', async ({ proxy, browser }) => {
  const page = await browser.get('/login');
  assert.is(page.status, 200);
  assert.match(textOf(page.text), 'Nobody can sign in yet, because this proxy has no administrator.');
  assert.match(textOf(page.text), 'xero-proxy admin add NAME');
  const connect = await browser.get('/connect?code=BCDF-GHJK');
  assert.equal([connect.status, connect.location], [303, '/login?next=%2Fconnect%3Fcode%3DBCDF-GHJK']);
  await givenAdminPassword(deps(proxy));
  assert.match(textOf((await browser.get('/login')).text), "Sign in as one of this proxy's administrators");
});

login('a wrong password shows a message and starts no session', async ({ proxy, browser }) => {
  await givenAdminPassword(deps(proxy));
  const page = await browser.signIn('not the password at all');
  assert.is(page.status, 401);
  assert.match(textOf(page.text), 'That name and password do not match an administrator. 4 more tries in the next 15 minutes.');
  assert.not.ok(browser.cookies.has('xp_session'));
  assert.is(deps(proxy).db.prepare('SELECT count(*) FROM sessions').pluck().get(), 0);
});

login('after five attempts from one address the next is refused with 429 before the password is checked', async ({ proxy, clock, browser }) => {
  await givenAdminPassword(deps(proxy));
  for (let i = 1; i <= 5; i++) assert.is((await browser.signIn(`wrong password ${i}`)).status, 401, `attempt ${i}`);
  // Even the right password is refused now: the limit comes before hashing.
  const refused = await browser.signIn();
  assert.is(refused.status, 429);
  assert.is(refused.headers.get('retry-after'), '900');
  assert.match(textOf(refused.text), 'There were too many sign-in attempts from this computer. Wait 15 minutes, then try again.');
  assert.not.ok(browser.cookies.has('xp_session'));
  clock.advance(15 * 60_000 - 1000);
  const stillRefused = await browser.signIn();
  assert.equal([stillRefused.status, stillRefused.headers.get('retry-after')], [429, '1'], 'the right password waits for the window like any other');
  assert.match(textOf(stillRefused.text), 'Wait 1 minute, then try again.');
  clock.advance(1000);
  const allowed = await browser.signIn();
  assert.equal([allowed.status, allowed.location], [303, '/']);
});

login('a correct password clears its address: the next wrong one has all its tries again', async ({ proxy, browser }) => {
  await givenAdminPassword(deps(proxy));
  for (let i = 1; i <= 4; i++) await browser.signIn(`wrong password ${i}`);
  assert.is((await browser.signIn()).status, 303);
  browser.cookies.clear();
  assert.match(textOf((await browser.signIn('wrong again')).text), 'That name and password do not match an administrator. 4 more tries in the next 15 minutes.');
});

login('attempts are kept in the database: a restart on the same data directory still refuses the address', async (context) => {
  await givenAdminPassword(deps(context.proxy));
  for (let i = 1; i <= 5; i++) assert.is((await context.browser.signIn(`wrong password ${i}`)).status, 401);
  const dataDir = context.proxy.dataDir;
  await context.proxy.stop();
  context.clock.advance(5 * 60_000);
  context.proxy = await startTestProxy({ clock: context.clock, publicUrlIsSelf: true, dataDir });
  const browser = new Browser(context.proxy.url);
  const refused = await browser.signIn();
  assert.equal([refused.status, refused.headers.get('retry-after')], [429, '600']);
  assert.match(textOf(refused.text), 'There were too many sign-in attempts from this computer. Wait 10 minutes, then try again.');
  const stored = deps(context.proxy).db.prepare('SELECT key, count(*) AS n FROM login_attempts GROUP BY key ORDER BY key').all();
  assert.equal(stored, [{ key: 'account:admin', n: 5 }, { key: 'address:127.0.0.1', n: 5 }]);
});

login('twenty attempts from ten addresses use up the account: two more addresses are refused even with the right password, until the window passes', async ({ proxy, clock }) => {
  await givenAdminPassword(deps(proxy));
  const from = (host: number) => new Browser(proxy.url, { localAddress: `127.0.0.${host}` });
  for (let host = 2; host <= 11; host++) {
    const browser = from(host);
    for (const guess of ['summer2026!', 'harbourside1']) assert.is((await browser.signIn(guess)).status, 401, `127.0.0.${host}`);
    clock.advance(30_000);
  }
  // 09:05: each address has 3 of its 5 tries left, but the account's 20 are used until 09:15.
  for (const host of [12, 13]) {
    const refused = await from(host).signIn();
    assert.equal([refused.status, refused.headers.get('retry-after')], [429, '600'], `127.0.0.${host}`);
    assert.match(textOf(refused.text), 'There were too many sign-in attempts at this administrator account from several computers, so signing in is paused for everyone, even with the right password. Wait 10 minutes, then try again.');
  }
  assert.is((await from(2).signIn()).status, 429, 'an address with tries left waits too');
  assert.is(deps(proxy).db.prepare("SELECT count(*) FROM login_attempts WHERE key = 'account:admin'").pluck().get(), 20, 'refused attempts are not counted');

  clock.set('2026-03-02T09:14:59Z');
  assert.is((await from(12).signIn()).status, 429);
  clock.set('2026-03-02T09:15:00Z');
  const allowed = await from(12).signIn();
  assert.equal([allowed.status, allowed.location], [303, '/'], "the first address's two attempts have left the window");
});

login('setting the password again ends an account-wide pause', async ({ proxy }) => {
  await givenAdminPassword(deps(proxy));
  for (let host = 2; host <= 5; host++) {
    const browser = new Browser(proxy.url, { localAddress: `127.0.0.${host}` });
    for (let i = 1; i <= 5; i++) await browser.signIn(`wrong password ${i}`);
  }
  const paused = new Browser(proxy.url, { localAddress: '127.0.0.6' });
  assert.is((await paused.signIn()).status, 429);
  await givenAdminPassword(deps(proxy), 'a brand new long password');
  assert.is((await paused.signIn('a brand new long password')).status, 303);
  assert.is((await new Browser(proxy.url, { localAddress: '127.0.0.2' }).signIn('a brand new long password')).status, 429, 'an address that guessed still waits');
});

login('the right password starts a session: HttpOnly, SameSite=Strict, and only its hash is stored', async ({ proxy, browser }) => {
  await givenAdminPassword(deps(proxy));
  const page = await browser.signIn(undefined, '/connect?code=BCDF-GHJK');
  assert.equal([page.status, page.location], [303, '/connect?code=BCDF-GHJK']);
  const session = page.setCookies.find((line) => line.startsWith('xp_session='))!;
  assert.match(session, /^xp_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
  assert.not.match(session, 'Secure', 'plain http cannot use Secure cookies');
  assert.ok(page.setCookies.some((line) => /^xp_login=; Max-Age=0/.test(line)), 'the pre-session token is cleared');
  const value = browser.cookies.get('xp_session')!;
  const stored = deps(proxy).db.prepare('SELECT id_hash FROM sessions').pluck().all();
  assert.equal(stored, [createHash('sha256').update(value).digest('hex')]);
  assert.is((await browser.get('/connect')).status, 200);
});

login('a next address outside the proxy is ignored', async ({ proxy, browser }) => {
  await givenAdminPassword(deps(proxy));
  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
    browser.cookies.clear();
    const page = await browser.signIn(undefined, next);
    assert.equal([page.status, page.location], [303, '/'], next);
  }
});

login('a password set with the production scrypt cost signs in', async ({ proxy, browser }) => {
  await setAdminPassword(asCli(deps(proxy)), 'a long production strength password');
  assert.match(deps(proxy).db.prepare("SELECT password_hash FROM administrators WHERE name = 'admin'").pluck().get() as string, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.is((await browser.signIn('a long production strength password')).status, 303);
});

login.run();

const https = suite<{ proxy: TestProxy; browser: Browser }>('connect.login over https');

https.before.each(async (context) => {
  context.proxy = await startTestProxy({ env: { XERO_PROXY_SERVER_PUBLIC_URL: 'https://proxy.shop.example' } });
  context.browser = new Browser(context.proxy.url, { origin: 'https://proxy.shop.example' });
  await givenAdminPassword(context.proxy.running.proxy.deps);
});
https.after.each(async ({ proxy }) => proxy.stop());

https('cookies get the __Host- prefix and Secure, and pages send HSTS for a year', async ({ browser }) => {
  const form = await browser.get('/login');
  assert.match(form.setCookies[0]!, /^__Host-xp_login=[A-Za-z0-9_-]{43}; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  assert.is(form.headers.get('strict-transport-security'), 'max-age=31536000');
  const page = await browser.signIn();
  assert.is(page.status, 303);
  assert.match(page.setCookies.find((line) => line.startsWith('__Host-xp_session='))!, /^__Host-xp_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  assert.is((await browser.get('/connect')).status, 200);
});

https.run();
