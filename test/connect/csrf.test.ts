import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/lib/clock';
import { findPairingByUserCode } from '../../src/store/pairings';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

interface Context {
  proxy: TestProxy;
  browser: Browser;
  orgId: string;
  code: string;
}

const csrf = suite<Context>('connect.csrf');

csrf.before.each(async (context) => {
  context.proxy = await startTestProxy({ clock: new ManualClock('2026-03-02T09:00:00Z'), publicUrlIsSelf: true });
  const deps = context.proxy.running.proxy.deps;
  await givenAdminPassword(deps);
  context.orgId = upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: 'xero-org-1', name: 'Harbourside Café', shortCode: '!Hb7Cf', countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null).id;
  const paired = await fetch(`${context.proxy.url}/api/v1/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'TILL-0042', name: 'Front counter till' }) });
  context.code = ((await paired.json()) as { userCode: string }).userCode;
  context.browser = new Browser(context.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
csrf.after.each(async ({ proxy }) => proxy.stop());

const stateOf = ({ proxy, code }: Context) => findPairingByUserCode(proxy.running.proxy.deps.db, code)!.state;

csrf('a POST without the CSRF token, or with a wrong one, is refused with 403 and changes nothing', async (context) => {
  const { browser, code, orgId } = context;
  const page = await browser.get(`/connect?code=${code}`);
  const token = field(page.text, 'csrf');
  const forms: Array<Record<string, string>> = [{ code, organisationId: orgId }, { code, organisationId: orgId, csrf: '' }, { code, organisationId: orgId, csrf: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') }];
  for (const form of forms) {
    const refused = await browser.post('/connect/approve', form);
    assert.is(refused.status, 403);
    assert.match(textOf(refused.text), 'This form is out of date or did not come from this proxy, so nothing was changed.');
    assert.is(stateOf(context), 'pending');
  }
  const denied = await browser.post('/connect/deny', { code });
  assert.is(denied.status, 403);
  assert.is(stateOf(context), 'pending');
  // The same form with its token goes through.
  assert.is((await browser.post('/connect/approve', { code, organisationId: orgId, csrf: token })).status, 200);
  assert.is(stateOf(context), 'approved');
});

csrf("a POST from another site, or with no Origin or Referer, is refused even with the right token", async (context) => {
  const { browser, code, orgId, proxy } = context;
  const token = field((await browser.get(`/connect?code=${code}`)).text, 'csrf');
  const form = { code, organisationId: orgId, csrf: token };
  const cases: Array<{ origin: string | null; headers?: Record<string, string>; from: string }> = [
    { origin: 'http://evil.example', from: 'http://evil.example' },
    { origin: 'null', from: 'null' },
    { origin: null, from: 'an unknown page' },
    { origin: null, headers: { referer: 'http://evil.example/page' }, from: 'http://evil.example' },
    { origin: proxy.url.replace('127.0.0.1', 'localhost'), from: proxy.url.replace('127.0.0.1', 'localhost') },
  ];
  for (const attempt of cases) {
    const refused = await browser.post('/connect/approve', form, { origin: attempt.origin, ...(attempt.headers ? { headers: attempt.headers } : {}) });
    assert.is(refused.status, 403, JSON.stringify(attempt));
    assert.match(textOf(refused.text), `This request did not come from this proxy's own pages (it came from ${attempt.from}), so nothing was changed.`);
    assert.match(textOf(refused.text), `Open the proxy at ${proxy.url} (its server.public_url) and try again from there.`);
  }
  const crossSite = await browser.post('/connect/approve', form, { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.is(crossSite.status, 403);
  assert.is(stateOf(context), 'pending');
  // A browser that sends only a same-origin Referer is accepted.
  const viaReferer = await browser.post('/connect/approve', form, { origin: null, headers: { referer: `${proxy.url}/connect?code=${code}`, 'sec-fetch-site': 'same-origin' } });
  assert.is(viaReferer.status, 200);
});

csrf('the sign-in form needs its own token and the same origin', async ({ proxy }) => {
  const stranger = new Browser(proxy.url);
  const noToken = await stranger.post('/login', { password: 'correct horse battery staple' });
  assert.is(noToken.status, 403);
  assert.match(textOf(noToken.text), 'The sign-in form had expired, so it was not accepted.');
  assert.not.ok(stranger.cookies.has('xp_session'));
  const form = await stranger.get('/login');
  const token = field(form.text, 'csrf');
  assert.is(stranger.cookies.get('xp_login'), token, 'the token is the double-submit cookie');
  const elsewhere = await stranger.post('/login', { password: 'correct horse battery staple', csrf: token }, { origin: 'http://evil.example' });
  assert.is(elsewhere.status, 403);
  assert.not.ok(stranger.cookies.has('xp_session'));
});

csrf('every page sends the security headers, and no page has an inline script or inline style', async ({ browser, proxy }) => {
  const expectedCsp = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https://api.xero.com";
  const anonymous = new Browser(proxy.url);
  for (const [who, path] of [[anonymous, '/login'], [anonymous, '/connect'], [browser, '/'], [browser, '/connect'], [browser, `/connect?code=${encodeURIComponent('NOPE-NOPE')}`], [browser, '/assets/app.css']] as const) {
    const page = await who.get(path);
    assert.is(page.headers.get('content-security-policy'), expectedCsp, path);
    assert.is(page.headers.get('x-content-type-options'), 'nosniff', path);
    assert.is(page.headers.get('referrer-policy'), 'same-origin', path);
    assert.is(page.headers.get('x-frame-options'), 'DENY', path);
    assert.is(page.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
    assert.is(page.headers.get('cache-control'), path.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store', path);
    // Scripts only as same-origin files (progressive: the CSP allows 'self'), never inline.
    assert.not.match(page.text, /<script(?![^>]*\ssrc="\/assets\/[a-z-]+\.js")|\sstyle=|<style/i, path);
  }
  const css = await browser.get('/assets/app.css');
  assert.is(css.headers.get('content-type'), 'text/css; charset=utf-8');
  // The device API keeps its own answers: the page middleware is bound to the page paths only.
  const api = await fetch(`${proxy.url}/api/v1/status`);
  assert.is(api.headers.get('content-security-policy'), null);
});

csrf('a form larger than 16 KiB is refused before it is read', async (context) => {
  const { browser, code } = context;
  const token = field((await browser.get(`/connect?code=${code}`)).text, 'csrf');
  const page = await browser.post('/connect/deny', { code, csrf: token, padding: 'x'.repeat(17 * 1024) });
  assert.is(page.status, 413);
  assert.match(textOf(page.text), 'The request body is larger than 16,384 bytes, the most this endpoint takes; no form of this proxy is that long, and nothing was changed.');
  assert.is(stateOf(context), 'pending');
});

csrf.run();
