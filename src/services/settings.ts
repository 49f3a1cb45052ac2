import { CONFIG_KEYS } from '../config/schema';
import type { ConfigOrigin } from '../config/types';
import type { ActiveAlert } from '../domain/alerts/rules';
import { webhookTarget } from './alert-channels';
import { currentAlerts } from './alerts';
import { backupStatus, type BackupStatus } from './backup-status';
import type { ServiceDeps } from './deps';
import { doctorChecks, type Check } from './doctor';
import { readHostFacts } from './host-facts';
import { runtimeCheck } from './runtime-check';
import { tlsStatus, type TlsStatus } from './tls-status';

/** What the settings page shows: the effective configuration, the checks, and the alerts. */
export interface SettingsSummary {
  /** The config file read, if any. */
  file: string | undefined;
  keys: Array<{ key: string; value: string; origin: ConfigOrigin; doc: string; secret: boolean }>;
  checks: Check[];
  /** What HTTPS presents: the CA devices pin, the server certificate, anything to put right. */
  tls: TlsStatus;
  /** Whether server.public_url is https (with HTTPS off: a reverse proxy in front does it). */
  publicUrlHttps: boolean;
  backups: BackupStatus;
  alerts: {
    emailTo: readonly string[];
    /** `host:port` of the mail server, when e-mail is on. */
    smtp: string | null;
    /** The webhook as shown (no query string), when on. */
    webhook: string | null;
    repeatHours: number;
    stuckMinutes: number;
    budgetPercent: number;
    /** What needs a person now, as the alerts say it. */
    current: ActiveAlert[];
  };
}

/** Gathers the settings page; the checks reach Xero, waiting at most `timeoutMs`. */
export async function settingsSummary(deps: ServiceDeps, options: { timeoutMs: number }): Promise<SettingsSummary> {
  const { config } = deps;
  const alerts = config.alerts;
  return {
    file: config.source,
    keys: CONFIG_KEYS.map((spec) => ({ key: spec.key, value: shownValue(spec.key, config.shown[spec.key] ?? ''), origin: config.origins[spec.key] ?? 'default', doc: spec.doc, secret: spec.type.kind === 'secret' })),
    checks: [runtimeCheck(), ...(await doctorChecks(config, { clock: deps.clock, timeoutMs: options.timeoutMs }))],
    tls: tlsStatus(deps, readHostFacts()),
    publicUrlHttps: new URL(config.server.publicUrl).protocol === 'https:',
    backups: backupStatus(deps),
    alerts: {
      emailTo: alerts.emailTo,
      smtp: alerts.emailTo.length > 0 ? `${alerts.smtpHost}:${alerts.smtpPort}` : null,
      webhook: alerts.webhookUrl === '' ? null : webhookTarget(alerts.webhookUrl),
      repeatHours: alerts.repeatHours,
      stuckMinutes: alerts.stuckMinutes,
      budgetPercent: alerts.budgetPercent,
      current: currentAlerts(deps),
    },
  };
}

// A webhook URL often carries its receiver's token in the query; it is shown without it.
function shownValue(key: string, value: string): string {
  return key === 'alerts.webhook_url' && value !== '' ? webhookTarget(value) : value;
}
