import { utcText } from '../../lib/utc-text';
import type { ActiveAlert } from './rules';

/** What the proxy remembers of an alert it sent: one row per cause per organisation. */
export interface AlertRecord {
  organisationId: string;
  cause: string;
  summary: string;
  raisedAt: string;
  lastSentAt: string | null;
  clearedAt: string | null;
}

/** `raised`: new (or back after clearing); `repeat`: still holds after the repeat window; `cleared`: the recovery note. */
export type AlertEvent = 'raised' | 'repeat' | 'cleared';

export interface PlannedMessage {
  event: AlertEvent;
  alert: ActiveAlert;
}

const keyOf = (organisationId: string, cause: string) => `${organisationId}\u0000${cause}`;

/**
 * Decides what to send now: an alert that starts holding, one that still holds once its last
 * message is `repeatHours` old, and a recovery note for one that stopped. Anything else is quiet,
 * so a cause alerts once per organisation per repeat window however often this runs.
 */
export function planMessages(active: readonly ActiveAlert[], records: readonly AlertRecord[], now: Date, repeatHours: number): PlannedMessage[] {
  const known = new Map(records.map((record) => [keyOf(record.organisationId, record.cause), record]));
  const planned: PlannedMessage[] = [];
  const holding = new Set<string>();
  for (const alert of active) {
    const key = keyOf(alert.organisationId, alert.cause);
    holding.add(key);
    const record = known.get(key);
    if (!record || record.clearedAt !== null || record.lastSentAt === null) {
      planned.push({ event: 'raised', alert });
    } else if (now.getTime() - Date.parse(record.lastSentAt) >= repeatHours * 3_600_000) {
      planned.push({ event: 'repeat', alert });
    }
  }
  for (const record of records) {
    if (record.clearedAt !== null || record.lastSentAt === null || holding.has(keyOf(record.organisationId, record.cause))) continue;
    planned.push({
      event: 'cleared',
      alert: { organisationId: record.organisationId, organisationName: null, cause: record.cause as ActiveAlert['cause'], summary: record.summary, action: '', path: '/' },
    });
  }
  return planned;
}

/** An alert as a person reads it, by e-mail or in a webhook's JSON. */
export interface AlertMessage {
  subject: string;
  text: string;
  /** The webhook's body, before it is serialised and signed. */
  json: Record<string, unknown>;
}

/** Words for one planned message; `consoleUrl` is server.public_url. */
export function composeMessage(message: PlannedMessage, consoleUrl: string, at: Date): AlertMessage {
  const { alert, event } = message;
  const where = alert.organisationName ?? 'Xero Comms Proxy';
  const link = consoleUrl + alert.path;
  const subject = event === 'cleared' ? `Resolved: ${where}` : `${event === 'repeat' ? 'Still needs attention' : 'Needs attention'}: ${where}`;
  const text =
    event === 'cleared'
      ? `This has been put right: ${alert.summary}\n\nNothing more to do.\n\nSent by Xero Comms Proxy at ${utcText(at.toISOString())}.`
      : `${alert.summary}\n\nWhat to do: ${alert.action}\n\nOpen: ${link}\n\nSent by Xero Comms Proxy at ${utcText(at.toISOString())}.`;
  return {
    subject,
    text,
    json: {
      event,
      cause: alert.cause,
      organisation: alert.organisationId === '' ? null : { id: alert.organisationId, name: alert.organisationName },
      summary: alert.summary,
      action: event === 'cleared' ? null : alert.action,
      url: link,
      at: at.toISOString(),
    },
  };
}

/** The message `alerts test` and the settings page send, to prove the channels work. */
export function testMessage(consoleUrl: string, at: Date): AlertMessage {
  const text = `This is a test alert from Xero Comms Proxy. When something needs a person (documents Xero refused, an organisation to link again, a queue that does not move), a message like this one arrives here.\n\nOpen the console: ${consoleUrl}/\n\nSent at ${utcText(at.toISOString())}.`;
  return { subject: 'Test alert from Xero Comms Proxy', text, json: { event: 'test', cause: null, organisation: null, summary: 'This is a test alert from Xero Comms Proxy.', action: null, url: `${consoleUrl}/`, at: at.toISOString() } };
}
