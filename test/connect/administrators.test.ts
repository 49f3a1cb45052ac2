import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { auditEntries } from '../../src/services/audit';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const admins = suite<{ proxy: TestProxy; browser: Browser; csrf: string }>('connect.administrators');

admins.before.each(async (context) => {
  context.proxy = await startTestProxy({ clock: new ManualClock('2026-03-02T09:00:00Z'), publicUrlIsSelf: true });
  await givenAdminPassword(context.proxy.running.proxy.deps);
  context.browser = new Browser(context.proxy.url, { localAddress: '127.0.0.9' });
  assert.is((await context.browser.signIn()).status, 303);
  context.csrf = field((await context.browser.get('/settings')).text, 'csrf');
});
admins.after.each(async ({ proxy }) => proxy.stop());

admins('an administrator adds another on the settings page, who then signs in with their own name and password; resetting their password signs them out', async ({ proxy, browser, csrf }) => {
  const added = await browser.post('/settings/administrators/add', { csrf, name: 'front.desk', password: 'front desk passphrase' });
  assert.equal([added.status, added.location], [303, '/settings?done=added&name=front.desk#administrators']);
  const settings = textOf((await browser.get(added.location!)).text);
  assert.match(settings, 'Added the administrator front.desk.');
  assert.match(settings, /front\.desk not set up Never 0/);

  const desk = new Browser(proxy.url);
  assert.is((await desk.signIn('front desk passphrase', undefined, 'front.desk')).status, 303);
  assert.is((await desk.get('/settings')).status, 200);
  const reset = await browser.post('/settings/administrators/reset-password', { csrf, name: 'front.desk', password: 'a new desk passphrase' });
  assert.equal([reset.status, reset.location], [303, '/settings?done=reset&name=front.desk#administrators']);
  assert.is((await desk.get('/settings')).status, 303, 'their browser is signed out');

  const short = await browser.post('/settings/administrators/add', { csrf, name: 'bob', password: 'short' });
  assert.is(short.status, 400);
  assert.match(textOf(short.text), 'The password must be at least 12 characters long');
  const taken = await browser.post('/settings/administrators/add', { csrf, name: 'Front.Desk', password: 'another long passphrase' });
  assert.is(taken.status, 409);
  assert.match(textOf(taken.text), 'There is an administrator named "Front.Desk" already; choose another name.');

  const { entries } = auditEntries(proxy.running.proxy.deps, { action: 'admin.' });
  const changes = entries.filter((e) => e.actor === 'admin:admin').map(({ action, subject, source }) => ({ action, subject, source }));
  assert.equal(changes, [
    { action: 'admin.password_reset', subject: 'front.desk', source: '127.0.0.9' },
    { action: 'admin.added', subject: 'front.desk', source: '127.0.0.9' },
    { action: 'admin.signed_in', subject: 'admin', source: '127.0.0.9' },
  ]);
});

admins('the last administrator cannot be removed; another one can, and their sessions end with them', async ({ proxy, browser, csrf }) => {
  const last = await browser.post('/settings/administrators/remove', { csrf, name: 'admin' });
  assert.is(last.status, 409);
  assert.match(textOf(last.text), 'admin is the only administrator, so they cannot be removed: nobody could sign in.');
  await browser.post('/settings/administrators/add', { csrf, name: 'temp', password: 'temporary passphrase' });
  const temp = new Browser(proxy.url);
  await temp.signIn('temporary passphrase', undefined, 'temp');
  const removed = await browser.post('/settings/administrators/remove', { csrf, name: 'temp' });
  assert.equal([removed.status, removed.location], [303, '/settings?done=removed&name=temp#administrators']);
  assert.is((await temp.get('/settings')).status, 303);
  assert.is((await temp.signIn('temporary passphrase', undefined, 'temp')).status, 401);
});

admins.run();
