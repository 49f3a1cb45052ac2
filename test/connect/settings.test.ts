import { createHmac } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';
import { readMail, startSmtpSink, startWebhookSink, type SmtpSink, type WebhookSink } from '../helpers/alert-sinks';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const HOOK_SECRET = 'a-webhook-secret-never-shown';

interface Context {
  sandbox: TestSandbox;
  smtp: SmtpSink;
  hooks: WebhookSink;
  proxy: TestProxy;
  browser: Browser;
}

const settings = suite<Context>('connect.settings');

settings.before(async (context) => {
  context.sandbox = await startTestSandbox();
  context.smtp = await startSmtpSink();
  context.hooks = await startWebhookSink();
  context.proxy = await startTestProxy({
    publicUrlIsSelf: true,
    env: {
      XERO_PROXY_XERO_APP_TYPE: 'public',
      XERO_PROXY_XERO_API_URL: context.sandbox.url,
      XERO_PROXY_ALERTS_EMAIL_TO: 'owner@harbourside.test',
      XERO_PROXY_ALERTS_SMTP_HOST: '127.0.0.1',
      XERO_PROXY_ALERTS_SMTP_PORT: String(context.smtp.port),
      XERO_PROXY_ALERTS_WEBHOOK_URL: `${context.hooks.url}?token=query-token-never-shown`,
      XERO_PROXY_ALERTS_WEBHOOK_SECRET: HOOK_SECRET,
    },
  });
  await givenAdminPassword(context.proxy.running.proxy.deps);
  context.browser = new Browser(context.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});

settings.after(async ({ proxy, sandbox, smtp, hooks }) => {
  await proxy.stop();
  await sandbox.stop();
  await smtp.stop();
  await hooks.stop();
});

/** The table row of a setting, as text. */
const rowOf = (html: string, key: string) => textOf(new RegExp(`<tr><th scope="row" class="mono">${key.replace(/\./g, '\\.')}</th>.*?</tr>`).exec(html)?.[0] ?? '');

settings('the settings page shows every setting with where it came from, and secrets only as set or not set', async ({ browser }) => {
  const page = await browser.get('/settings');
  assert.is(page.status, 200);
  assert.not.match(page.text, HOOK_SECRET);
  assert.not.match(page.text, 'query-token-never-shown');
  // Services keep their secret in the path too (Slack, Discord): only the origin is shown.
  assert.not.match(page.text, '/hooks/xero-proxy');
  assert.match(rowOf(page.text, 'alerts.webhook_secret'), /^alerts\.webhook_secret Set environment variable Signs each webhook body/);
  assert.match(rowOf(page.text, 'alerts.smtp_password'), /^alerts\.smtp_password Not set default /);
  assert.match(rowOf(page.text, 'storage.encryption_key'), /^storage\.encryption_key Not set default /);
  assert.match(rowOf(page.text, 'alerts.repeat_hours'), /^alerts\.repeat_hours 24 default /);
  assert.match(rowOf(page.text, 'alerts.smtp_host'), /^alerts\.smtp_host 127\.0\.0\.1 environment variable /);
  assert.match(textOf(page.text), 'E-mail to owner@harbourside.test through 127.0.0.1:');
  assert.match(textOf(page.text), /Webhook POST to http:\/\/127\.0\.0\.1:\d+\/…, signed in X-Signature/);
});

settings("the settings page shows the doctor's checks with their results in words", async ({ browser }) => {
  const text = textOf((await browser.get('/settings')).text);
  assert.match(text, /encryption key OK /);
  assert.match(text, /database OK .*journal wal, synchronous FULL/);
  assert.match(text, /xero reachable OK http:\/\/127\.0\.0\.1:\d+ answered/);
  assert.match(text, 'certificate OK not needed: public apps sign with HMAC-SHA1');
  assert.match(text, `runtime OK ${process.platform === 'linux' ? 'glibc ' : ''}`);
  assert.match(text, /log file OK .*logs\/xero-proxy\.log \(written when run as a service, XERO_PROXY_SERVICE=1\)/);
});

settings('Send test alert sends by e-mail and signed webhook and the page then says where it went', async ({ browser, smtp, hooks, proxy }) => {
  const before = await browser.get('/settings');
  const sent = await browser.post('/settings/test-alert', { csrf: field(before.text, 'csrf') });
  assert.is(sent.status, 303);
  assert.match(sent.location!, /^\/settings\?test=[A-Z2-7a-z0-9]+#alerts$/);
  const after = textOf((await browser.get(sent.location!)).text);
  assert.match(after, 'The test alert was sent: E-mail: sent to owner@harbourside.test.');
  assert.match(after, `Webhook: sent to ${new URL(hooks.url).origin}/….`);
  await smtp.waitFor(1);
  assert.is(readMail(smtp.mails[0]!.raw).subject, 'Test alert from Xero Comms Proxy');
  assert.match(readMail(smtp.mails[0]!.raw).text, `Open the console: ${proxy.url}/`);
  const hook = hooks.hooks.at(-1)!;
  assert.is(hook.headers['x-signature'], 'sha256=' + createHmac('sha256', HOOK_SECRET).update(hook.body).digest('hex'));
  assert.is((JSON.parse(hook.body) as { event: string }).event, 'test');
  // The outcome is found by its id only: another id shows no outcome.
  assert.not.match(textOf((await browser.get('/settings?test=MADEUP')).text), 'The test alert was sent');
});

settings('Send test alert without the form token changes nothing and sends nothing', async ({ browser, hooks }) => {
  const count = hooks.hooks.length;
  const refused = await browser.post('/settings/test-alert', { csrf: 'wrong' });
  assert.is(refused.status, 403);
  assert.match(textOf(refused.text), 'This form is out of date or did not come from this proxy, so nothing was changed.');
  assert.is(hooks.hooks.length, count);
});

settings('a failing channel is reported in plain words beside the one that worked', async ({ browser, hooks }) => {
  hooks.status = 503;
  try {
    const sent = await browser.post('/settings/test-alert', { csrf: field((await browser.get('/settings')).text, 'csrf') });
    const text = textOf((await browser.get(sent.location!)).text);
    assert.match(text, 'The test alert did not go everywhere: E-mail: sent to owner@harbourside.test.');
    assert.match(text, `Webhook: not sent. The webhook ${new URL(hooks.url).origin}/… answered 503 instead of a 2xx status.`);
  } finally {
    hooks.status = 204;
  }
});

settings('with HTTPS off, the settings page says what crosses the network unencrypted, and there is no CA certificate to download', async ({ browser, proxy }) => {
  const page = await browser.get('/settings');
  const section = textOf(/<section class="card" id="https"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '');
  assert.is(
    section,
    'HTTPS Off (server.tls = "off"): the pages, the administrator password and the devices\u2019 API keys cross the network unencrypted. Set server.tls = "auto" in the config file and restart the proxy.',
  );
  const ca = await fetch(`${proxy.url}/ca.crt`);
  assert.is(ca.status, 404);
  assert.is(await ca.text(), 'This proxy has no CA certificate: HTTPS is off (server.tls).\n');
});

settings('the settings page is behind the sign-in', async ({ proxy }) => {
  const stranger = new Browser(proxy.url);
  const page = await stranger.get('/settings');
  assert.is(page.status, 303);
  assert.is(page.location, '/login?next=%2Fsettings');
});

settings('/docs is public and lists every operation of the OpenAPI document with its fields, examples and error codes', async ({ proxy }) => {
  const openapi = (await (await fetch(`${proxy.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const page = await new Browser(proxy.url).get('/docs');
  assert.is(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', "default-src 'self'");
  const text = textOf(page.text);
  let operations = 0;
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const method of Object.keys(item)) {
      operations++;
      assert.match(text, `${method.toUpperCase()} ${path}`, `${method} ${path} is listed`);
    }
  }
  assert.ok(operations >= 16, `${operations} operations`);
  assert.match(text, 'Invoices[].LineItems[].AccountCode');
  assert.match(text, 'Needs the device right `write`');
  assert.match(text, '400 invalid, 401 unauthorized');
  assert.match(page.text, '&lt;Invoices&gt;');
  assert.not.match(page.text, 'href="/settings"', 'no console navigation without a session');
});

settings.run();

const bare = suite('connect.settings without channels');

bare('Send test alert with no channel configured says so and what to set', async () => {
  const proxy = await startTestProxy({ publicUrlIsSelf: true, env: { XERO_PROXY_XERO_APP_TYPE: 'public', XERO_PROXY_XERO_API_URL: 'http://127.0.0.1:9' } });
  try {
    await givenAdminPassword(proxy.running.proxy.deps);
    const browser = new Browser(proxy.url);
    await browser.signIn();
    const page = await browser.get('/settings');
    assert.match(textOf(page.text), 'E-mail off (set alerts.email_to and alerts.smtp_host)');
    assert.match(textOf(page.text), /xero reachable Failed http:\/\/127\.0\.0\.1:9/);
    const sent = await browser.post('/settings/test-alert', { csrf: field(page.text, 'csrf') });
    const text = textOf((await browser.get(sent.location!)).text);
    assert.match(text, 'No alert channel is configured, so there is nowhere to send a test alert. Set alerts.email_to and alerts.smtp_host, or alerts.webhook_url, in the config file and restart the proxy.');
  } finally {
    await proxy.stop();
  }
});

bare.run();
