import { createHmac } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AppError } from '../../src/lib/errors';
import { runAlerts, sendTestAlert } from '../../src/services/alerts';
import { listAlertRecords } from '../../src/store/alerts';
import { cancelJob, findJob } from '../../src/store/jobs';
import { markNeedsRelink } from '../../src/store/organisations';
import { enqueue, insertDevice, invoicePayload, runUntilSettled, startDeliveryWorld, type DeliveryWorld } from '../helpers/delivery';
import { readMail, startSmtpSink, startWebhookSink, type SmtpSink, type WebhookSink } from '../helpers/alert-sinks';
import { asCli } from '../helpers/actor';

const SECRET = 'hook-secret-for-tests';

interface Context {
  smtp: SmtpSink;
  hooks: WebhookSink;
  world: DeliveryWorld;
  device: string;
}

const alerts = suite<Context>('services.alerts');

alerts.before.each(async (context) => {
  context.smtp = await startSmtpSink({ user: 'alerts@harbourside.test', password: 'smtp-pass' });
  context.hooks = await startWebhookSink();
  context.world = await startDeliveryWorld({
    env: {
      XERO_PROXY_ALERTS_EMAIL_TO: 'owner@harbourside.test, manager@harbourside.test',
      XERO_PROXY_ALERTS_EMAIL_FROM: 'proxy@harbourside.test',
      XERO_PROXY_ALERTS_SMTP_HOST: '127.0.0.1',
      XERO_PROXY_ALERTS_SMTP_PORT: String(context.smtp.port),
      XERO_PROXY_ALERTS_SMTP_USER: 'alerts@harbourside.test',
      XERO_PROXY_ALERTS_SMTP_PASSWORD: 'smtp-pass',
      XERO_PROXY_ALERTS_WEBHOOK_URL: context.hooks.url,
      XERO_PROXY_ALERTS_WEBHOOK_SECRET: SECRET,
      XERO_PROXY_ALERTS_REPEAT_HOURS: '24',
      XERO_PROXY_ALERTS_STUCK_MINUTES: '30',
    },
  });
  context.device = insertDevice(context.world.deps, context.world.organisationId, 'TILL-1');
});

alerts.after.each(async (context) => {
  await context.world.stop();
  await context.smtp.stop();
  await context.hooks.stop();
});

/** The webhook's JSON, after checking its signature as a receiver would, from the secret alone. */
function verified(hook: { headers: Record<string, unknown>; body: string }): Record<string, unknown> {
  const expected = 'sha256=' + createHmac('sha256', SECRET).update(hook.body).digest('hex');
  assert.is(hook.headers['x-signature'], expected, 'X-Signature is the HMAC-SHA256 of the exact body');
  assert.is(hook.headers['content-type'], 'application/json');
  return JSON.parse(hook.body) as Record<string, unknown>;
}

alerts('a refused invoice alerts once by e-mail and signed webhook, stays quiet inside the repeat window, repeats after it, and sends a recovery note when it clears', async ({ world, device, smtp, hooks }) => {
  const [job] = enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(1, { LineItems: [{ Description: 'Coffee', Quantity: 1, UnitAmount: 5, AccountCode: '9999', TaxType: 'OUTPUT' }] }) }]);
  await runUntilSettled(world);
  assert.is(findJob(world.deps.db, job!.id)!.status, 'failed');

  const first = await runAlerts(world.deps);
  assert.equal(first.messages.map((m) => [m.event, m.alert.cause, m.deliveries.map((d) => d.ok)]), [['raised', 'documents_need_attention', [true, true]]]);
  await smtp.waitFor(1);
  const mail = readMail(smtp.mails[0]!.raw);
  assert.equal(smtp.mails[0]!.to, ['owner@harbourside.test', 'manager@harbourside.test']);
  assert.is(mail.subject, 'Needs attention: Harbourside Café');
  assert.match(mail.text, '1 document for Harbourside Café did not reach Xero and needs attention: Account code not valid for this document.');
  assert.match(mail.text, `Open: ${world.proxy.running.proxy.config.server.publicUrl}/attention`);
  assert.is(hooks.hooks.length, 1);
  const raised = verified(hooks.hooks[0]!);
  assert.is(raised['event'], 'raised');
  assert.is(raised['cause'], 'documents_need_attention');
  assert.equal(raised['organisation'], { id: world.organisationId, name: 'Harbourside Café' });

  // Every minute for a day: nothing new until 24 hours have passed since the first message.
  assert.equal((await runAlerts(world.deps)).messages, []);
  world.clock.advance(23 * 3600_000 + 59 * 60_000);
  assert.equal((await runAlerts(world.deps)).messages, []);
  assert.is(smtp.mails.length, 1);
  assert.is(hooks.hooks.length, 1);
  world.clock.advance(60_000);
  assert.equal((await runAlerts(world.deps)).messages.map((m) => m.event), ['repeat']);
  await smtp.waitFor(2);
  assert.is(readMail(smtp.mails[1]!.raw).subject, 'Still needs attention: Harbourside Café');
  assert.is(verified(hooks.hooks[1]!)['event'], 'repeat');

  assert.ok(cancelJob(world.deps.db, world.clock, job!.id));
  assert.equal((await runAlerts(world.deps)).messages.map((m) => [m.event, m.alert.cause]), [['cleared', 'documents_need_attention']]);
  await smtp.waitFor(3);
  const recovery = readMail(smtp.mails[2]!.raw);
  assert.is(recovery.subject, 'Resolved: Harbourside Café');
  assert.match(recovery.text, 'This has been put right: 1 document for Harbourside Café did not reach Xero');
  const cleared = verified(hooks.hooks[2]!);
  assert.is(cleared['event'], 'cleared');
  assert.is(cleared['action'], null);
  assert.equal((await runAlerts(world.deps)).messages, [], 'a recovery is sent once');
  assert.ok(listAlertRecords(world.deps.db)[0]!.clearedAt);
});

alerts('documents due for alerts.stuck_minutes with no delivery alert that the queue has not moved', async ({ world, device, hooks }) => {
  enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(2) }]);
  await world.advance(29 * 60);
  assert.equal((await runAlerts(world.deps)).messages, [], 'not yet: 29 minutes');
  await world.advance(60);
  const run = await runAlerts(world.deps);
  assert.equal(run.messages.map((m) => m.alert.cause), ['queue_stuck']);
  const body = verified(hooks.hooks[0]!);
  assert.is(body['summary'], 'Documents for Harbourside Café have waited 30 minutes to go to Xero and none was delivered in that time.');
  assert.is(body['url'], `${world.proxy.running.proxy.config.server.publicUrl}/`);
  await runUntilSettled(world);
  assert.equal((await runAlerts(world.deps)).messages.map((m) => [m.event, m.alert.cause]), [['cleared', 'queue_stuck']]);
});

alerts('an organisation to link again alerts with the number of documents waiting for it, and is not also counted as documents needing attention', async ({ world, device, hooks }) => {
  enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(3) }, { payload: invoicePayload(4) }]);
  markNeedsRelink(world.deps.db, world.clock, [world.organisationId], 'Xero no longer accepts the access token.');
  const run = await runAlerts(world.deps);
  assert.equal(run.messages.map((m) => m.alert.cause), ['relink_needed']);
  const body = verified(hooks.hooks[0]!);
  assert.is(body['summary'], 'Harbourside Café must be linked to Xero again (Xero no longer accepts the access token); 2 documents wait for it.');
  assert.is(body['url'], `${world.proxy.running.proxy.config.server.publicUrl}/organisations`);
});

alerts("the day's Xero calls past alerts.budget_percent alert, from Xero's own remaining count", async ({ world, hooks }) => {
  const today = world.clock.now().toISOString().slice(0, 10);
  // What the pacer records when Xero answers with X-DayLimit-Remaining: 480 of 5,000 left.
  world.deps.db.prepare('INSERT INTO organisation_usage (organisation_id, day, calls, day_limit_remaining, updated_at) VALUES (?, ?, 12, 480, ?)').run(world.organisationId, today, world.clock.now().toISOString());
  const run = await runAlerts(world.deps);
  assert.equal(run.messages.map((m) => m.alert.cause), ['budget_nearly_spent']);
  assert.is(verified(hooks.hooks[0]!)['summary'], "Harbourside Café has used 90% of today's Xero calls (4520 of 5000).");
});

alerts('a message no channel took is not recorded, so the next run tries it again', async ({ world, device, smtp, hooks }) => {
  await smtp.stop();
  hooks.status = 500;
  enqueue(world.deps, device, world.organisationId, 'invoice', [{ payload: invoicePayload(5, { LineItems: [{ Description: 'Tea', Quantity: 1, UnitAmount: 4, AccountCode: '9999', TaxType: 'OUTPUT' }] }) }]);
  await runUntilSettled(world);
  const failed = await runAlerts(world.deps);
  assert.equal(failed.messages[0]!.deliveries.map((d) => [d.channel, d.ok]), [['email', false], ['webhook', false]]);
  assert.match(failed.messages[0]!.deliveries[0]!.problem!, /^The mail server 127\.0\.0\.1:\d+ could not be reached/);
  assert.is(failed.messages[0]!.deliveries[1]!.problem, `The webhook ${new URL(hooks.url).origin}/… answered 500 instead of a 2xx status.`);
  assert.equal(listAlertRecords(world.deps.db), []);
  hooks.status = 200;
  assert.equal((await runAlerts(world.deps)).messages.map((m) => [m.event, m.deliveries.map((d) => d.ok)]), [['raised', [false, true]]]);
  assert.is(listAlertRecords(world.deps.db).length, 1);
});

alerts('the test alert goes to every channel and says where it went', async ({ world, smtp, hooks }) => {
  const deliveries = await sendTestAlert(asCli(world.deps));
  assert.equal(deliveries, [
    { channel: 'email', target: 'owner@harbourside.test, manager@harbourside.test', ok: true },
    { channel: 'webhook', target: `${new URL(hooks.url).origin}/…`, ok: true },
  ]);
  await smtp.waitFor(1);
  assert.is(readMail(smtp.mails[0]!.raw).subject, 'Test alert from Xero Comms Proxy');
  assert.is(verified(hooks.hooks[0]!)['event'], 'test');
});

alerts.run();

const bare = suite('services.alerts without channels');

bare('with no channel configured the test alert is refused in plain words and runs send nothing', async () => {
  const world = await startDeliveryWorld();
  try {
    const error = await sendTestAlert(asCli(world.deps)).catch((e: unknown) => e);
    assert.instance(error, AppError);
    assert.is((error as AppError).code, 'invalid');
    assert.is((error as AppError).message, 'No alert channel is configured, so there is nowhere to send a test alert.');
    markNeedsRelink(world.deps.db, world.clock, [world.organisationId], 'Test.');
    assert.equal((await runAlerts(world.deps)).messages, []);
    assert.equal(listAlertRecords(world.deps.db), []);
  } finally {
    await world.stop();
  }
});

bare.run();
