import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { hashPassword } from '../../src/lib/password';
import { openDatabase } from '../../src/store/db';
import { MIGRATIONS } from '../../src/store/migrations';
import { Authenticator } from '../helpers/authenticator';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { ADMIN_PASSWORD, Browser, field, givenAdminPassword, TEST_SCRYPT_COST, textOf, type Page } from '../helpers/web';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

interface Context {
  proxy: TestProxy;
  clock: ManualClock;
  browser: Browser;
}

const twoStep = suite<Context>('connect.two-step sign-in');
const REQUIRED = { XERO_PROXY_ADMIN_REQUIRE_MFA: 'true' };

twoStep.before.each(async (context) => {
  // Mid-step, so a code of the next step is not due for another 15 seconds.
  context.clock = new ManualClock('2026-03-02T09:00:15Z');
  context.proxy = await startTestProxy({ clock: context.clock, publicUrlIsSelf: true, env: REQUIRED });
  await givenAdminPassword(context.proxy.running.proxy.deps);
  context.browser = new Browser(context.proxy.url);
});
twoStep.after.each(async ({ proxy }) => proxy.stop());

const db = (proxy: TestProxy) => proxy.running.proxy.deps.db;
const secretOn = (page: Page) => /id="totp-secret">([A-Z2-7 ]+)</.exec(page.text)![1]!;
const codesOn = (page: Page) => [...page.text.matchAll(/<li>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/li>/g)].map((m) => m[1]!);

/** Signs in with the password and sets up two-step sign-in from the key the page shows, as a person would. */
async function enrol(context: Context, browser = context.browser): Promise<{ phone: Authenticator; recoveryCodes: string[] }> {
  const signedIn = await browser.signIn();
  assert.equal([signedIn.status, signedIn.location], [303, '/login/enrol']);
  const page = await browser.get('/login/enrol');
  const phone = new Authenticator(secretOn(page));
  const confirmed = await browser.post('/login/enrol', { csrf: field(page.text, 'csrf'), next: '/', code: phone.codeAt(context.clock.now()) });
  assert.equal([confirmed.status, confirmed.location], [303, '/login/recovery-codes']);
  return { phone, recoveryCodes: codesOn(await browser.get('/login/recovery-codes')) };
}

async function typeCode(browser: Browser, code: string, next = '/'): Promise<Page> {
  const form = await browser.get(`/login/code${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`);
  return browser.post('/login/code', { csrf: field(form.text, 'csrf'), next: field(form.text, 'next'), code });
}

twoStep('when it is required, the first sign-in leads to setting it up before any page opens', async (context) => {
  const { browser, proxy } = context;
  const signedIn = await browser.signIn(ADMIN_PASSWORD, '/devices');
  assert.equal([signedIn.status, signedIn.location], [303, '/login/enrol?next=%2Fdevices']);
  const elsewhere = await browser.get('/documents');
  assert.equal([elsewhere.status, elsewhere.location], [303, '/login/enrol?next=%2Fdocuments'], 'no console page before enrolment');

  const page = await browser.get('/login/enrol?next=%2Fdevices');
  assert.is(page.status, 200);
  assert.match(textOf(page.text), 'This proxy asks every administrator for a code from an authenticator app after the password. Set it up for admin now');
  assert.match(page.text, /<svg class="qr-code"[^>]*role="img"[^>]*><title id="qr-title">QR code for Xero Comms Proxy, admin<\/title><rect[^>]*><\/rect><path d="M\d/);
  const secret = secretOn(page);
  assert.match(secret, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, '20 random bytes as 32 characters of base32');
  assert.is(secretOn(await browser.get('/login/enrol')), secret, 'reloading shows the same key the phone may have read');
  const sealed = db(proxy).prepare("SELECT enrolment_sealed FROM administrators WHERE name = 'admin'").pluck().get() as string;
  assert.match(sealed, /^v1\.k1\./);
  assert.not.match(sealed, secret.replace(/ /g, ''), 'the key is sealed, never plain in the database');

  const wrong = await browser.post('/login/enrol', { csrf: field(page.text, 'csrf'), next: '/devices', code: '000000' });
  assert.is(wrong.status, 400);
  assert.match(textOf(wrong.text), 'That is not the code the app shows now.');

  const phone = new Authenticator(secret);
  const confirmed = await browser.post('/login/enrol', { csrf: field(page.text, 'csrf'), next: '/devices', code: phone.codeAt(context.clock.now()) });
  assert.equal([confirmed.status, confirmed.location], [303, '/login/recovery-codes?next=%2Fdevices']);
  const shown = await browser.get('/login/recovery-codes?next=%2Fdevices');
  const codes = codesOn(shown);
  assert.is(codes.length, 10);
  assert.is(new Set(codes).size, 10);
  assert.match(textOf(shown.text), 'They are shown only now.');
  assert.is(codesOn(await browser.get('/login/recovery-codes')).length, 0, 'shown once');
  const stored = db(proxy).prepare('SELECT code_hash FROM recovery_codes').pluck().all() as string[];
  assert.is(stored.length, 10);
  for (const code of codes) assert.not.ok(stored.some((hash) => hash.includes(code.replace(/-/g, ''))), 'only hashes are stored');
  assert.is((await browser.get('/devices')).status, 200, 'signed in now');
});

twoStep('a signed-in administrator signs in with the password and a code of now; the same code cannot be used again', async (context) => {
  const { phone } = await enrol(context);
  const second = new Browser(context.proxy.url);
  assert.equal((await second.signIn(ADMIN_PASSWORD, '/settings')).location, '/login/code?next=%2Fsettings');
  const halfway = await second.get('/connect');
  assert.equal([halfway.status, halfway.location], [303, '/login/code?next=%2Fconnect'], 'the password alone opens nothing');
  const codePage = await second.get('/login/code');
  assert.match(textOf(codePage.text), 'The password of admin is right. Now type the six-digit code your authenticator app shows for Xero Comms Proxy.');

  // The code that confirmed enrolment was of this step: it is spent.
  const replayed = await typeCode(second, phone.codeAt(context.clock.now()), '/settings');
  assert.is(replayed.status, 401, textOf(replayed.text));
  assert.match(textOf(replayed.text), 'That code was used already; each code signs in once. Wait for the app to show the next one. 3 more tries in the next 15 minutes.');
  context.clock.advance(30_000);
  const next = await typeCode(second, phone.codeAt(context.clock.now()), '/settings');
  assert.equal([next.status, next.location], [303, '/settings']);
  assert.is((await second.get('/settings')).status, 200);
  const third = new Browser(context.proxy.url);
  await third.signIn();
  assert.is((await typeCode(third, phone.codeAt(context.clock.now()))).status, 401, 'nor in another browser');
});

twoStep('a recovery code signs in once, and the settings page says how many are left', async (context) => {
  const { recoveryCodes } = await enrol(context);
  const lost = new Browser(context.proxy.url);
  await lost.signIn();
  const used = await typeCode(lost, recoveryCodes[3]!.toUpperCase());
  assert.equal([used.status, used.location], [303, '/settings?done=recovery&left=9#two-step']);
  const settings = textOf((await lost.get('/settings?done=recovery&left=9')).text);
  assert.match(settings, 'You signed in with a recovery code; it will not work again. 9 codes are left.');
  assert.match(settings, '9 of 10 recovery codes left.');

  const again = new Browser(context.proxy.url);
  await again.signIn();
  const refused = await typeCode(again, recoveryCodes[3]!);
  assert.is(refused.status, 401);
  assert.match(textOf(refused.text), 'That code is not right: it is not the code of now, nor an unused recovery code.');
  assert.equal([(await typeCode(again, recoveryCodes[4]!.replace(/-/g, ' '))).status], [303], 'another code, typed with spaces');
});

twoStep('wrong codes count against the same limits as passwords: the fifth from an address pauses it, even for the right code', async (context) => {
  const { phone } = await enrol(context);
  const guesser = new Browser(context.proxy.url, { localAddress: '127.0.0.2' });
  assert.is((await guesser.signIn()).status, 303);
  for (let i = 1; i <= 4; i++) assert.is((await typeCode(guesser, String(100000 + i))).status, 401, `guess ${i}`);
  context.clock.advance(30_000);
  const paused = await typeCode(guesser, phone.codeAt(context.clock.now()));
  assert.is(paused.status, 429);
  assert.match(textOf(paused.text), 'There were too many sign-in attempts from this computer.');
  assert.equal(db(context.proxy).prepare("SELECT count(*) FROM login_attempts WHERE key = 'address:127.0.0.2'").pluck().get(), 5, 'the password and four codes');
});

twoStep('changing the password signs the other browsers out; a session is listed and can be ended from the settings page', async (context) => {
  const { phone } = await enrol(context);
  const laptop = new Browser(context.proxy.url, { localAddress: '127.0.0.3' });
  const tablet = new Browser(context.proxy.url, { localAddress: '127.0.0.4' });
  for (const browser of [laptop, tablet]) {
    context.clock.advance(30_000);
    await browser.signIn();
    assert.is((await typeCode(browser, phone.codeAt(context.clock.now()))).status, 303);
  }
  const settings = await context.browser.get('/settings');
  const sessions = textOf(settings.text);
  assert.match(sessions, 'Where you are signed in');
  for (const address of ['127.0.0.3', '127.0.0.4']) assert.match(sessions, address);
  assert.match(sessions, 'this browser');

  const laptopSession = /name="session" value="([0-9a-f]{64})"/.exec(settings.text.slice(settings.text.indexOf('127.0.0.3')))![1]!;
  const ended = await context.browser.post('/settings/account/sessions/end', { csrf: field(settings.text, 'csrf'), session: laptopSession });
  assert.equal([ended.status, ended.location?.split('?')[0]], [303, '/settings']);
  assert.is((await laptop.get('/settings')).status, 303, 'the laptop is signed out');
  assert.is((await tablet.get('/settings')).status, 200);

  const changed = await context.browser.post('/settings/account/password', { csrf: field(settings.text, 'csrf'), current: ADMIN_PASSWORD, password: 'a brand new long passphrase' });
  assert.equal([changed.status, changed.location], [303, '/settings?done=password&signedOut=1#account']);
  assert.match(textOf((await context.browser.get(changed.location!)).text), 'Your password is changed. 1 other browser was signed out.');
  assert.is((await tablet.get('/settings')).status, 303, 'the tablet is signed out');
  const wrongCurrent = await context.browser.post('/settings/account/password', { csrf: field(settings.text, 'csrf'), current: 'not my password', password: 'yet another long passphrase' });
  assert.is(wrongCurrent.status, 400);
  assert.match(textOf(wrongCurrent.text), 'Current password: that is not your current password, so nothing was changed.');
});

twoStep.run();

const upgrade = suite('connect.two-step an upgraded installation');

upgrade("the shared password of an earlier version becomes the administrator \"admin\": it signs in and goes straight to setting up two-step sign-in", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xp-upgrade-admin-'));
  const index = MIGRATIONS.findIndex((m) => m.name.startsWith('named administrators'));
  const old = openDatabase(join(dataDir, 'xero-proxy.db'), { migrations: MIGRATIONS.slice(0, index) });
  const hash = await hashPassword('the old shared password', TEST_SCRYPT_COST);
  old.prepare("INSERT INTO settings (name, value, updated_at) VALUES ('admin.password_hash', ?, '2026-01-01T00:00:00.000Z')").run(hash);
  old.prepare("INSERT INTO sessions (id_hash, csrf_token, created_at, expires_at) VALUES ('old', 'token', '2026-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z')").run();
  old.close();

  const proxy = await startTestProxy({ dataDir, publicUrlIsSelf: true, env: REQUIRED });
  try {
    const { db } = proxy.running.proxy.deps;
    assert.equal(db.prepare('SELECT name, password_hash AS hash FROM administrators').all(), [{ name: 'admin', hash }]);
    assert.is(db.prepare("SELECT count(*) FROM settings WHERE name = 'admin.password_hash'").pluck().get(), 0);
    assert.is(db.prepare('SELECT count(*) FROM sessions').pluck().get(), 0, 'sessions of the shared password end');
    const signedIn = await new Browser(proxy.url).signIn('the old shared password');
    assert.equal([signedIn.status, signedIn.location], [303, '/login/enrol']);
  } finally {
    await proxy.stop();
  }
});

upgrade.run();
