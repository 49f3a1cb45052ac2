import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Alerts } from '../config/types';
import type { AlertMessage } from '../domain/alerts/plan';

/** What became of one message on one channel, in words for the settings page and the log. */
export interface Delivery {
  channel: 'email' | 'webhook';
  /** The addresses or the URL it went to. */
  target: string;
  ok: boolean;
  /** Why it did not go, as a sentence; never a secret. */
  problem?: string;
}

export interface ChannelOptions {
  /** The network for the webhook; the real `fetch` unless a test says otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The value of `X-Signature` for a webhook body: `sha256=` and the hex HMAC-SHA256 of the exact bytes. */
export function webhookSignature(body: string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Whether any channel is configured; with none, alerts are only shown on the console. */
export function hasAlertChannel(alerts: Alerts): boolean {
  return alerts.emailTo.length > 0 || alerts.webhookUrl !== '';
}

/** Sends one message on every configured channel; a channel that fails does not stop the other. */
export async function sendOnChannels(alerts: Alerts, message: AlertMessage, options: ChannelOptions = {}): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  if (alerts.emailTo.length > 0) deliveries.push(await sendEmail(alerts, message, options.timeoutMs ?? 15_000));
  if (alerts.webhookUrl !== '') deliveries.push(await sendWebhook(alerts, message, options));
  return deliveries;
}

async function sendEmail(alerts: Alerts, message: AlertMessage, timeoutMs: number): Promise<Delivery> {
  const target = alerts.emailTo.join(', ');
  const transport = nodemailer.createTransport({
    host: alerts.smtpHost,
    port: alerts.smtpPort,
    secure: alerts.smtpSecure,
    ...(alerts.smtpUser ? { auth: { user: alerts.smtpUser, pass: alerts.smtpPassword.reveal() } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({ from: alerts.emailFrom, to: [...alerts.emailTo], subject: message.subject, text: message.text });
    return { channel: 'email', target, ok: true };
  } catch (error) {
    return { channel: 'email', target, ok: false, problem: mailProblem(alerts, error) };
  } finally {
    transport.close();
  }
}

function mailProblem(alerts: Alerts, error: unknown): string {
  const server = `${alerts.smtpHost}:${alerts.smtpPort}`;
  const code = (error as { code?: string }).code;
  const answer = (error as { response?: string }).response;
  if (code === 'EAUTH') return `The mail server ${server} refused the sign-in of ${alerts.smtpUser || 'no account'}; check alerts.smtp_user and alerts.smtp_password.`;
  if (code === 'ECONNECTION' || code === 'ESOCKET' || code === 'ETIMEDOUT' || code === 'EDNS') {
    return `The mail server ${server} could not be reached (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 160)}); check alerts.smtp_host, alerts.smtp_port and alerts.smtp_secure.`;
  }
  if (answer) return `The mail server ${server} refused the message: ${answer.slice(0, 200)}`;
  return `The e-mail could not be sent through ${server}: ${(error as Error).message.slice(0, 200)}`;
}

/**
 * The webhook URL as shown and logged: its origin only. Services put their secret in the query
 * or in the path (Slack's /services/T…/B…/<token>, Discord's /api/webhooks/<id>/<token>).
 */
export function webhookTarget(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname === '/' && !parsed.search ? parsed.origin : `${parsed.origin}/…`;
}

async function sendWebhook(alerts: Alerts, message: AlertMessage, options: ChannelOptions): Promise<Delivery> {
  const target = webhookTarget(alerts.webhookUrl);
  const body = JSON.stringify(message.json);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'xero-comms-proxy-alerts' };
  if (!alerts.webhookSecret.isEmpty) headers['x-signature'] = webhookSignature(body, alerts.webhookSecret.reveal());
  try {
    const response = await (options.fetch ?? fetch)(alerts.webhookUrl, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { channel: 'webhook', target, ok: true };
    return { channel: 'webhook', target, ok: false, problem: `The webhook ${target} answered ${response.status} instead of a 2xx status.` };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    return { channel: 'webhook', target, ok: false, problem: `The webhook ${target} could not be reached (${reason}).` };
  }
}
