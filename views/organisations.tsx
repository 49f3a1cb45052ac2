import type { FC } from 'hono/jsx';
import { planLabel } from '../src/domain/organisation-plan';
import type { DisconnectPreview, OrganisationSummary } from '../src/services/organisations';
import type { AppType } from '../src/store/organisations';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';
import { PayrollApiFacts } from './organisation-payroll';
import { Utc } from './time';

const STATE_TEXT = { linked: 'Linked', needs_relink: 'Must be linked again', disconnected: 'Disconnected' } as const;

/** The kind of Xero app, as a person who set it up would recognise it. */
export const APP_TYPE_TEXT: Record<AppType, string> = {
  private: 'OAuth 1.0a private app',
  public: 'OAuth 1.0a public app',
  partner: 'OAuth 1.0a partner app',
  oauth2: 'OAuth 2.0 web app',
  oauth2_pkce: 'OAuth 2.0 app with PKCE',
  custom_connection: 'OAuth 2.0 custom connection',
};

const orgPath = (id: string) => `/organisations/${encodeURIComponent(id)}`;

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

export interface OrganisationsPageProps {
  signedIn: SignedIn;
  organisations: readonly OrganisationSummary[];
  notice?: { tone: 'success' | 'warning'; text: string } | undefined;
}

/** `/organisations`: every Xero organisation, its link, credentials, plan, devices and waiting documents. */
export const OrganisationsPage: FC<OrganisationsPageProps> = ({ signedIn, organisations, notice }) => (
  <Layout title="Organisations" signedIn={signedIn} current="/organisations">
    <section class="card">
      <h1>Organisations</h1>
      <p>The Xero organisations this proxy sends to. Each device sends to one of them.</p>
      {notice ? <Notice tone={notice.tone}>{notice.text}</Notice> : null}
      <form method="post" action="/connect/link">
        <CsrfField token={signedIn.csrfToken} />
        <button type="submit" class="primary">
          Link a new organisation
        </button>
      </form>
      {organisations.length === 0 ? <p>No organisation is linked yet.</p> : null}
    </section>
    {organisations.map((summary) => (
      <OrganisationCard signedIn={signedIn} summary={summary} />
    ))}
  </Layout>
);

/** The lock dates as a person reads them: "End of year: 2025-06-30; period: 2026-01-31", or none. */
function lockDatesText(org: OrganisationSummary['organisation']): string {
  if (!org.factsReadAt && !org.periodLockDate && !org.endOfYearLockDate) return 'Not read from Xero yet';
  const dates = [org.endOfYearLockDate ? `end of year ${org.endOfYearLockDate}` : '', org.periodLockDate ? `period ${org.periodLockDate}` : ''].filter(Boolean);
  return dates.length === 0 ? 'None set in Xero' : `Closed on and before: ${dates.join('; ')}`;
}

const OrganisationCard: FC<{ signedIn: SignedIn; summary: OrganisationSummary }> = ({ signedIn, summary }) => {
  const org = summary.organisation;
  const headingId = `org-${org.id}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
      </h2>
      <p>
        <span class={`state-${org.linkState}`}>{STATE_TEXT[org.linkState]}</span>
        {org.relinkReason ? ` — ${org.relinkReason}` : ''}
      </p>
      {org.linkState !== 'linked' && summary.waiting > 0 ? (
        <Notice tone="warning">
          {plural(summary.waiting, 'document')} {summary.waiting === 1 ? 'waits' : 'wait'} for this organisation and will go to Xero once it is linked again.
        </Notice>
      ) : null}
      {summary.planWarnings.map((warning) => (
        <Notice tone="warning">{warning.text}</Notice>
      ))}
      <dl class="facts">
        <dt>Xero app</dt>
        <dd>{APP_TYPE_TEXT[org.appType]}</dd>
        <dt>Plan</dt>
        <dd>{planLabel(org.planClass)}</dd>
        <dt>Edition</dt>
        <dd>{planLabel(org.edition)}</dd>
        <dt>Xero organisation ID</dt>
        <dd class="mono">{org.xeroOrganisationId}</dd>
        {org.tenantId ? (
          <>
            <dt>Tenant ID</dt>
            <dd class="mono">{org.tenantId}</dd>
          </>
        ) : null}
        {org.connectionId ? (
          <>
            <dt>Connection ID</dt>
            <dd class="mono">{org.connectionId}</dd>
          </>
        ) : null}
        <dt>Access token ends</dt>
        <dd>
          <Utc at={summary.tokenExpiresAt} none={org.appType === 'private' ? 'Never (a private app signs each call)' : 'No token held'} />
          {summary.tokenExpiresAt ? <span class="help"> (renewed ahead of time)</span> : null}
        </dd>
        {summary.grantExpiresAt ? (
          <>
            <dt>{org.appType === 'partner' ? 'Authorisation ends' : 'Grant ends if unused'}</dt>
            <dd>
              <Utc at={summary.grantExpiresAt} />
            </dd>
          </>
        ) : null}
        <PayrollApiFacts organisation={org} api={summary.payrollApi} csrfToken={signedIn.csrfToken} />
        <dt>Lock dates</dt>
        <dd>
          {lockDatesText(org)}
          {org.factsReadAt ? (
            <span class="help">
              {' '}
              (read from Xero <Utc at={org.factsReadAt} />; documents dated on or before a lock date are held before they are sent)
            </span>
          ) : null}
        </dd>
        <dt>Documents waiting</dt>
        <dd>
          {summary.waiting === 0 ? 'None' : `${summary.counts.queued} queued, ${summary.counts.sending} sending, ${summary.counts.held} held`}
          {summary.counts.failed + summary.counts.dead > 0 ? `; ${summary.counts.failed} refused by Xero and ${summary.counts.dead} given up` : ''}
        </dd>
        <dt>Devices</dt>
        <dd>
          {summary.devices.length === 0
            ? 'None'
            : summary.devices.map((d, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/devices/${encodeURIComponent(d.deviceId)}`}>{d.name}</a>
                  {d.status === 'revoked' ? ' (revoked)' : ''}
                </>
              ))}
        </dd>
      </dl>
      <div class="actions">
        {org.linkState === 'linked' ? (
          <form method="post" action={`${orgPath(org.id)}/refresh`}>
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit">Refresh {org.name} from Xero</button>
          </form>
        ) : (
          <form method="post" action="/connect/link">
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit" class="primary">
              Link {org.name} again
            </button>
          </form>
        )}
        {org.linkState !== 'disconnected' ? <a href={`${orgPath(org.id)}/disconnect`}>Disconnect {org.name}…</a> : null}
      </div>
    </section>
  );
};

export interface DisconnectPageProps {
  signedIn: SignedIn;
  preview: DisconnectPreview;
  oauth2: boolean;
}

/** The confirmation before an organisation is disconnected: exactly what happens to its documents and devices. */
export const DisconnectPage: FC<DisconnectPageProps> = ({ signedIn, preview, oauth2 }) => {
  const { summary, activeDevices } = preview;
  const org = summary.organisation;
  return (
    <Layout title={`Disconnect ${org.name}?`} signedIn={signedIn} current="/organisations">
      <section class="card">
        <h1>Disconnect {org.name}?</h1>
        <p>
          {oauth2
            ? `The proxy tells Xero to end its access to ${org.name} and forgets its credentials.`
            : `The proxy forgets its credentials for ${org.name}. Also remove the app in Xero (Settings > Connected apps).`}
        </p>
        <ul class="consequences">
          <li>
            {summary.waiting === 0
              ? 'No document is waiting to go to it.'
              : `${plural(summary.waiting, 'document')} waiting to go to it ${summary.waiting === 1 ? 'is' : 'are'} kept and held: nothing is sent until ${org.name} is linked again, then ${summary.waiting === 1 ? 'it goes' : 'they go'} as usual.`}
          </li>
          <li>
            {activeDevices.length === 0
              ? 'No active device sends to it.'
              : `${plural(activeDevices.length, 'device')} (${activeDevices.map((d) => d.name).join(', ')}) keep their keys, but new documents they send are refused until ${org.name} is linked again.`}
          </li>
          <li>Documents already in Xero stay there.</li>
        </ul>
        <div class="actions">
          <form method="post" action={`${orgPath(org.id)}/disconnect`}>
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit" class="danger">
              Disconnect {org.name}
            </button>
          </form>
          <a href="/organisations">Keep it linked and go back</a>
        </div>
      </section>
    </Layout>
  );
};
