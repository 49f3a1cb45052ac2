import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const session = suite<{ proxy: TestProxy; clock: ManualClock; browser: Browser }>('connect.session');

session.before.each(async (context) => {
  context.clock = new ManualClock('2026-03-02T09:00:00Z');
  context.proxy = await startTestProxy({ clock: context.clock, publicUrlIsSelf: true });
  await givenAdminPassword(context.proxy.running.proxy.deps);
  context.browser = new Browser(context.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
session.after.each(async ({ proxy }) => proxy.stop());

const minutes = (n: number) => n * 60_000;

session('a session unused for two hours ends; the next page asks to sign in again', async ({ clock, browser }) => {
  clock.advance(minutes(119));
  assert.is((await browser.get('/connect')).status, 200, 'still alive just before the idle limit');
  clock.advance(minutes(120));
  const page = await browser.get('/connect?code=BCDF-GHJK');
  assert.equal([page.status, page.location], [303, '/login?next=%2Fconnect%3Fcode%3DBCDF-GHJK']);
});

session('a session in use still ends twelve hours after signing in', async ({ clock, browser }) => {
  for (let hour = 1; hour < 12; hour++) {
    clock.advance(minutes(60));
    assert.is((await browser.get('/')).status, 200, `hour ${hour}`);
  }
  clock.advance(minutes(60));
  assert.is((await browser.get('/')).status, 303);
});

session('a form posted after the session ended returns to its page after signing in, and changes nothing', async ({ clock, browser }) => {
  const page = await browser.get('/connect');
  clock.advance(minutes(121));
  const late = await browser.post('/connect/deny', { csrf: field(page.text, 'csrf'), code: 'bcdf ghjk' });
  assert.equal([late.status, late.location], [303, '/login?next=%2Fconnect%3Fcode%3DBCDF-GHJK']);
});

session('signing out deletes the session, so a copy of the cookie is worthless', async ({ proxy, browser }) => {
  const page = await browser.get('/connect');
  const copy = new Browser(proxy.url);
  copy.cookies.set('xp_session', browser.cookies.get('xp_session')!);
  assert.is((await copy.get('/connect')).status, 200);

  const out = await browser.post('/logout', { csrf: field(page.text, 'csrf') });
  assert.equal([out.status, out.location], [303, '/login?signed_out=1']);
  assert.ok(out.setCookies.some((line) => /^xp_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/.test(line)), out.setCookies.join('\n'));
  assert.match(textOf((await browser.get('/login?signed_out=1')).text), 'You have signed out.');
  assert.is(proxy.running.proxy.deps.db.prepare('SELECT count(*) FROM sessions').pluck().get(), 0);
  assert.is((await copy.get('/connect')).status, 303);
});

session('signing out needs the CSRF token; without it the session stays', async ({ browser }) => {
  const refused = await browser.post('/logout', { csrf: 'forged' });
  assert.is(refused.status, 403);
  assert.match(textOf(refused.text), 'This sign-out form is out of date or did not come from this proxy, so you are still signed in.');
  assert.is((await browser.get('/connect')).status, 200);
});

session('setting a new password signs every browser out', async ({ proxy, browser }) => {
  await givenAdminPassword(proxy.running.proxy.deps, 'a brand new password');
  assert.is((await browser.get('/connect')).status, 303);
  assert.is((await browser.signIn()).status, 401, 'the old password no longer works');
  assert.is((await browser.signIn('a brand new password')).status, 303);
});

session.run();
