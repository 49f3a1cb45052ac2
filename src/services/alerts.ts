import { certificateAlert, organisationAlerts, type ActiveAlert, type OrganisationFacts } from '../domain/alerts/rules';
import { composeMessage, planMessages, testMessage, type PlannedMessage } from '../domain/alerts/plan';
import { AppError } from '../lib/errors';
import { queueProgress, undeliveredByCause, usageOfDay } from '../store/alert-facts';
import { listAlertRecords, recordAlertCleared, recordAlertSent } from '../store/alerts';
import { listOrganisations } from '../store/organisations';
import { listMappingProblems } from '../store/mapping-problems';
import { problemText } from '../domain/mapping-targets';
import { findTokenSet } from '../store/token-sets';
import { hasAlertChannel, sendOnChannels, type ChannelOptions, type Delivery } from './alert-channels';
import { certificateWarnings } from './certificate-warnings';
import { unreviewedFindings } from './reconciliation-report';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

/** Everything that needs a person now, across organisations, with the proxy-wide ones first. */
export function currentAlerts(deps: ServiceDeps): ActiveAlert[] {
  const { db, clock, config } = deps;
  const now = clock.now();
  const undelivered = undeliveredByCause(db);
  const progress = new Map(queueProgress(db, now.toISOString()).map((row) => [row.organisationId, row]));
  const usage = new Map(usageOfDay(db, now.toISOString().slice(0, 10)).map((row) => [row.organisationId, row]));
  const dayLimit = config.xero.rateLimit.perDay;
  const reconciliation = unreviewedFindings(deps);
  const alerts: ActiveAlert[] = [];
  const certificate = certificateAlert(certificateWarnings(db, clock, { appType: config.xero.appType }).map((warning) => warning.message));
  if (certificate) alerts.push(certificate);
  for (const organisation of listOrganisations(db)) {
    if (organisation.linkState === 'disconnected') continue;
    const queue = progress.get(organisation.id);
    const used = usage.get(organisation.id);
    const tokens = organisation.tokenSetId ? findTokenSet(db, deps.keyring, organisation.tokenSetId) : undefined;
    const facts: OrganisationFacts = {
      id: organisation.id,
      name: organisation.name,
      linkState: organisation.linkState,
      relinkReason: organisation.relinkReason,
      notDelivered: undelivered.filter((row) => row.organisationId === organisation.id),
      waiting: queue?.waiting ?? 0,
      oldestDueAt: queue?.oldestDueAt ?? null,
      lastDeliveredAt: queue?.lastDeliveredAt ?? null,
      grantExpiresAt: tokens?.authorizationExpiresAt ?? null,
      // Xero's own count (X-DayLimit-Remaining) wins over ours where it sent one.
      callsToday: used ? Math.max(used.calls, used.dayLimitRemaining === null ? 0 : dayLimit - used.dayLimitRemaining) : null,
      dayLimit,
      reconciliation: reconciliation.get(organisation.id) ?? null,
      mappingProblems: listMappingProblems(db, organisation.id).map(problemText),
    };
    alerts.push(...organisationAlerts(facts, { stuckMinutes: config.alerts.stuckMinutes, budgetPercent: config.alerts.budgetPercent }, now));
  }
  return alerts;
}

/** One run's outcome: each message planned, and where it went. */
export interface AlertRun {
  messages: Array<PlannedMessage & { deliveries: Delivery[] }>;
}

/**
 * The scheduler's work: sends what the rules and the repeat window say, on every configured
 * channel, and records a message once some channel took it. A message no channel took is tried
 * again at the next run. With no channel configured nothing is sent or recorded.
 */
export async function runAlerts(deps: ServiceDeps, options: ChannelOptions = {}): Promise<AlertRun> {
  const { config, clock, db, logger } = deps;
  if (!hasAlertChannel(config.alerts)) return { messages: [] };
  const names = new Map(listOrganisations(db).map((organisation) => [organisation.id, organisation.name]));
  const planned = planMessages(currentAlerts(deps), listAlertRecords(db), clock.now(), config.alerts.repeatHours).map((message) =>
    message.event === 'cleared' ? { ...message, alert: { ...message.alert, organisationName: names.get(message.alert.organisationId) ?? null } } : message,
  );
  const run: AlertRun = { messages: [] };
  for (const message of planned) {
    const at = clock.now();
    const deliveries = await sendOnChannels(config.alerts, composeMessage(message, config.server.publicUrl, at), options);
    run.messages.push({ ...message, deliveries });
    for (const failed of deliveries.filter((delivery) => !delivery.ok)) {
      logger.warn('alert not sent', { channel: failed.channel, cause: message.alert.cause, organisation: message.alert.organisationName, reason: failed.problem });
    }
    if (!deliveries.some((delivery) => delivery.ok)) continue;
    if (message.event === 'cleared') recordAlertCleared(db, at.toISOString(), message.alert.organisationId, message.alert.cause);
    else recordAlertSent(db, at.toISOString(), message.alert, message.event);
    logger.info('alert sent', { event: message.event, cause: message.alert.cause, organisation: message.alert.organisationName });
  }
  return run;
}

/**
 * Sends the test alert on every configured channel (the settings page's button, `alerts test`).
 * Refuses (`invalid`) when no channel is configured; a channel's failure is in the result.
 */
export async function sendTestAlert(deps: ServiceDeps & Acting, options: ChannelOptions = {}): Promise<Delivery[]> {
  const { config, clock, logger } = deps;
  if (!hasAlertChannel(config.alerts)) {
    throw new AppError('invalid', 'No alert channel is configured, so there is nowhere to send a test alert.', {
      hint: 'Set alerts.email_to and alerts.smtp_host, or alerts.webhook_url, in the config file and restart the proxy.',
    });
  }
  const deliveries = await sendOnChannels(config.alerts, testMessage(config.server.publicUrl, clock.now()), options);
  for (const delivery of deliveries) logger.info('test alert', { channel: delivery.channel, target: delivery.target, ok: delivery.ok, reason: delivery.problem });
  recordAudit(deps, { actor: deps.actor, action: 'alerts.test_sent', changes: { sentTo: deliveries.filter((d) => d.ok).map((d) => `${d.channel} ${d.target}`), failed: deliveries.filter((d) => !d.ok).map((d) => `${d.channel} ${d.target}`) } });
  return deliveries;
}
