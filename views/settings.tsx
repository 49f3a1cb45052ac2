import type { FC } from 'hono/jsx';
import type { Delivery } from '../src/services/alert-channels';
import type { AdministratorSummary } from '../src/services/administrators';
import type { BackupStatus } from '../src/services/backup-status';
import type { SettingsSummary } from '../src/services/settings';
import { AccountSections, AdministratorsSection, type AccountView, type SectionNotice } from './administrators';
import type { TlsStatus } from '../src/services/tls-status';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';
import { Utc } from './time';

/** What the last Send test alert did: where it went, or why nothing could be sent. */
export interface TestOutcome {
  deliveries: readonly Delivery[];
  refusal?: string;
  hint?: string | undefined;
}

export interface SettingsPageProps {
  signedIn: SignedIn;
  now: Date;
  summary: SettingsSummary;
  test: TestOutcome | undefined;
  account: AccountView;
  administrators: readonly AdministratorSummary[];
  requireMfa: boolean;
  notice: SectionNotice | undefined;
}

const CHECK_TEXT = { ok: 'OK', warn: 'Warning', fail: 'Failed' } as const;
const ORIGIN_TEXT = { file: 'config file', environment: 'environment variable', default: 'default' } as const;
const CHANNEL_TEXT = { email: 'E-mail', webhook: 'Webhook' } as const;
const AUTO_TEXT = `The proxy's own certificate authority issues the server certificate and renews it by itself (server.tls = "auto").`;
const FILES_TEXT = 'From the files in server.tls_cert and server.tls_key, read again when they change (server.tls = "files").';

const TestNotice: FC<{ test: TestOutcome }> = ({ test }) => {
  if (test.refusal) {
    return (
      <Notice tone="error">
        <p>{test.refusal}</p>
        {test.hint ? <p>{test.hint}</p> : null}
      </Notice>
    );
  }
  const failed = test.deliveries.some((delivery) => !delivery.ok);
  return (
    <Notice tone={failed ? 'error' : 'success'}>
      <p>{failed ? 'The test alert did not go everywhere:' : 'The test alert was sent:'}</p>
      <ul>
        {test.deliveries.map((delivery) => (
          <li>
            {delivery.ok ? `${CHANNEL_TEXT[delivery.channel]}: sent to ${delivery.target}.` : `${CHANNEL_TEXT[delivery.channel]}: not sent. ${delivery.problem ?? ''}`}
          </li>
        ))}
      </ul>
    </Notice>
  );
};

/**
 * HTTPS: the CA's fingerprint devices pin (to compare with what a device shows), the CA
 * certificate to download, the server certificate's names and dates, and what to put right.
 */
const HttpsSection: FC<{ tls: TlsStatus; publicUrlHttps: boolean }> = ({ tls, publicUrlHttps }) => (
  <section class="card" id="https" aria-labelledby="https-heading">
    <h2 id="https-heading">HTTPS</h2>
    {tls.problems.length > 0 ? (
      <Notice tone="error">
        <ul>
          {tls.problems.map((problem) => (
            <li>{problem}</li>
          ))}
        </ul>
      </Notice>
    ) : null}
    {tls.mode === 'off' ? (
      <p>
        {publicUrlHttps
          ? 'Off in the proxy (server.tls = "off"); server.public_url is https, so a reverse proxy in front of it does HTTPS.'
          : 'Off (server.tls = "off"): the pages, the administrator password and the devices’ API keys cross the network unencrypted. Set server.tls = "auto" in the config file and restart the proxy.'}
      </p>
    ) : (
      <dl class="facts">
        <dt>Certificates</dt>
        <dd>{tls.mode === 'auto' ? AUTO_TEXT : FILES_TEXT}</dd>
        <dt>CA fingerprint (SPKI SHA-256)</dt>
        <dd>
          {tls.caSpkiSha256 ? (
            <>
              <code class="mono" id="ca-fingerprint">
                {tls.caSpkiSha256}
              </code>
              <p class="help">Devices pin this. When you approve a device, check that it shows the same.</p>
            </>
          ) : (
            'Not made yet.'
          )}
        </dd>
        {tls.caCertificatePem ? (
          <>
            <dt>CA certificate</dt>
            <dd>
              <a href="/ca.crt" download="xero-proxy-ca.crt">
                Download the CA certificate
              </a>
              <p class="help">
                Install it on the computers whose browsers open these pages, or give it to a device or to <span class="mono">curl --cacert</span> as the only certificate it trusts.
              </p>
              {tls.ca ? (
                <p class="help">
                  {tls.ca.subject}, valid until <Utc at={tls.ca.notAfter} />.
                </p>
              ) : null}
            </dd>
          </>
        ) : null}
        {tls.server ? (
          <>
            <dt>Server certificate</dt>
            <dd>
              {[...tls.server.names.dnsNames, ...tls.server.names.ipAddresses].join(', ')}
              <p class="help">
                Valid until <Utc at={tls.server.notAfter} />
                {tls.server.renewsAt ? (
                  <>
                    ; renewed by itself from <Utc at={tls.server.renewsAt} />, or sooner when this computer gets another name or LAN address
                  </>
                ) : null}
                .
              </p>
            </dd>
          </>
        ) : null}
      </dl>
    )}
  </section>
);

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** Backups and retention: the last backup, the schedule, a failure with its fix, and how to restore. */
const Backups: FC<{ backups: BackupStatus }> = ({ backups }) => (
  <section class="card" id="backups" aria-labelledby="backups-heading">
    <h2 id="backups-heading">Backups</h2>
    {backups.problem ? <Notice tone="error">{backups.problem}</Notice> : null}
    <dl class="facts">
      <dt>Last backup</dt>
      <dd>
        {backups.last ? (
          <>
            <Utc at={backups.last.at} />, <span class="mono">{backups.last.file}</span> ({size(backups.last.bytes)}
            {backups.last.keyMode === 'passphrase' ? ', sealed with a passphrase; it carries the master key' : ', sealed with a key derived from the master key'})
          </>
        ) : (
          'None made yet'
        )}
      </dd>
      <dt>Schedule</dt>
      <dd>{backups.schedule ? `"${backups.schedule}" (cron, local time) into ${backups.dir}, the newest ${backups.keep} kept` : 'off (backup.schedule = "off"): only backups made with xero-proxy backup'}</dd>
      <dt>Documents' content</dt>
      <dd>{backups.retentionDays === 0 ? 'kept for ever (storage.retention_days = 0)' : `erased ${backups.retentionDays} days after delivery; what became of each document stays`}</dd>
      {backups.restoredFrom ? (
        <>
          <dt>Restored</dt>
          <dd>
            <Utc at={backups.restoredFrom.at} /> from {backups.restoredFrom.file}, made <Utc at={backups.restoredFrom.backupCreatedAt} />
          </dd>
        </>
      ) : null}
    </dl>
    <p class="help">
      A backup made on a schedule opens only with this proxy's master key: keep a copy of <span class="mono">master.key</span> apart from the backups, or make one with{' '}
      <span class="mono">xero-proxy backup --passphrase-stdin</span>, which carries it. To restore, stop the server and run{' '}
      <span class="mono">xero-proxy restore FILE</span>.
    </p>
  </section>
);

/** The settings page: your account, the administrators, HTTPS, backups, alerts and their test, the doctor's checks, and the effective configuration. */
export const SettingsPage: FC<SettingsPageProps> = ({ signedIn, now, summary, test, account, administrators, requireMfa, notice }) => {
  const { alerts } = summary;
  const failing = summary.checks.filter((check) => check.status === 'fail').length;
  return (
    <Layout title="Settings" signedIn={signedIn} current="/settings">
      <section class="card">
        <h1>Settings</h1>
        <p>
          What this proxy runs with, and whether it is healthy. Settings are changed in the config file
          {summary.file ? <> (<span class="mono">{summary.file}</span>)</> : ' (none is in use: every setting is at its default or from the environment)'} or by
          environment variables, then the proxy is restarted.
        </p>
        {failing > 0 ? <Notice tone="error">{`${failing} ${failing === 1 ? 'check has' : 'checks have'} failed; see Checks below.`}</Notice> : null}
        <p>
          <a href="/settings/audit">Audit log</a>: every change made on these pages or with the command line, who made it and when.
        </p>
      </section>

      <AccountSections signedIn={signedIn} now={now} account={account} requireMfa={requireMfa} notice={notice} />
      <AdministratorsSection signedIn={signedIn} now={now} administrators={administrators} notice={notice} />

      <section class="card" id="alerts" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        {test ? <TestNotice test={test} /> : null}
        <dl class="facts">
          <dt>E-mail</dt>
          <dd>{alerts.emailTo.length > 0 ? `to ${alerts.emailTo.join(', ')} through ${alerts.smtp}` : 'off (set alerts.email_to and alerts.smtp_host)'}</dd>
          <dt>Webhook</dt>
          <dd>{alerts.webhook ? `POST to ${alerts.webhook}, signed in X-Signature` : 'off (set alerts.webhook_url)'}</dd>
          <dt>Sent again after</dt>
          <dd>{`${alerts.repeatHours} hours while it still holds; a note when it is put right`}</dd>
          <dt>Queue not moving</dt>
          <dd>{`alert after ${alerts.stuckMinutes} minutes`}</dd>
          <dt>Day's Xero calls</dt>
          <dd>{`alert at ${alerts.budgetPercent}% used`}</dd>
        </dl>
        <h3>Needs a person now</h3>
        {alerts.current.length === 0 ? (
          <p>Nothing: no alert holds.</p>
        ) : (
          <ul>
            {alerts.current.map((alert) => (
              <li>
                {alert.summary} <a href={alert.path}>Where to fix it</a>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action="/settings/test-alert" class="actions">
          <CsrfField token={signedIn.csrfToken} />
          <button type="submit">Send test alert</button>
        </form>
      </section>

      <HttpsSection tls={summary.tls} publicUrlHttps={summary.publicUrlHttps} />

      <Backups backups={summary.backups} />

      <section class="card" aria-labelledby="checks-heading">
        <h2 id="checks-heading">Checks</h2>
        <p class="help">The same checks as <span class="mono">xero-proxy doctor</span>, run when this page was opened.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {summary.checks.map((check) => (
              <tr>
                <td>{check.check}</td>
                <td class={`check-${check.status}`}>{CHECK_TEXT[check.status]}</td>
                <td class="settings-detail">{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="config-heading">
        <h2 id="config-heading">Configuration</h2>
        <p class="help">Every setting in effect. Secrets are shown only as set or not set.</p>
        <div class="settings-table">
          <table>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {summary.keys.map((entry) => (
                <tr>
                  <th scope="row" class="mono">
                    {entry.key}
                  </th>
                  <td class={entry.secret ? undefined : 'mono settings-detail'}>{entry.secret ? <strong>{entry.value === 'set' ? 'Set' : 'Not set'}</strong> : entry.value === '' ? <span class="help">(empty)</span> : entry.value}</td>
                  <td>{ORIGIN_TEXT[entry.origin]}</td>
                  <td class="help">{entry.doc}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
};
