import type { FC } from 'hono/jsx';
import { Ago, utcText } from './time';
import type { OverviewCharts } from '../src/services/overview-charts';
import type { Overview, OrganisationOverview } from '../src/services/overview';
import type { ReconciliationRun } from '../src/store/reconciliations';
import { BarChart } from './charts';
import { PendingList, type PendingItem } from './connect/code-form';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';

export interface OverviewPageProps {
  signedIn: SignedIn;
  overview: Overview;
  charts: OverviewCharts;
  pending: readonly PendingItem[];
  /** Each organisation's newest comparison with Xero (the daily reconciliation), if any. */
  reconciliation?: ReadonlyMap<string, ReconciliationRun>;
}

const STATE_TEXT = { linked: 'Linked', needs_relink: 'Must be linked again', disconnected: 'Disconnected' } as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A time as people read it ("3 minutes ago"), with the exact UTC time beside it and in `datetime`. */
const When: FC<{ at: string; now: string }> = ({ at, now }) => <Ago at={at} now={now} />;

/** The banner: what needs a person, each with the link to where it is fixed; green only when true. */
const Banner: FC<{ overview: Overview }> = ({ overview }) => {
  if (overview.warnings.length > 0) {
    return (
      <Notice tone="warning">
        <h2 class="banner-title">{overview.warnings.length === 1 ? 'One thing needs you' : `${overview.warnings.length} things need you`}</h2>
        <ul class="banner-list">
          {overview.warnings.map((warning) => (
            <li>
              {warning.message} <a href={warning.href}>{warning.action}</a>
            </li>
          ))}
        </ul>
      </Notice>
    );
  }
  if (overview.organisations.every((org) => org.linkState !== 'linked')) return <Notice tone="info">No Xero organisation is linked yet: link one to start sending.</Notice>;
  if (overview.totals.waiting > 0) return <Notice tone="info">{`${plural(overview.totals.waiting, 'document is', 'documents are')} on the way to Xero; nothing needs you.`}</Notice>;
  return <Notice tone="success">Everything has reached Xero.</Notice>;
};

/** The newest reconciliation of an organisation in a few words, linking to its page. */
const ReconciliationFact: FC<{ orgId: string; run: ReconciliationRun | undefined }> = ({ orgId, run }) => {
  const href = `/reconciliation?organisation=${encodeURIComponent(orgId)}`;
  if (!run) return <a href={href}>Not compared with Xero yet</a>;
  const text =
    run.state === 'clean'
      ? `Deliveries of ${run.day}: nothing found`
      : run.state === 'failed'
        ? `Deliveries of ${run.day}: Xero could not be read`
        : `Deliveries of ${run.day}: ${plural(run.findings.length, 'document')} changed in Xero${run.reviewedAt ? ' (dealt with)' : ''}`;
  return <a href={href}>{text}</a>;
};

const OrganisationCard: FC<{ org: OrganisationOverview; now: string; csrf: string; reconciliation?: ReconciliationRun | undefined }> = ({ org, now, csrf, reconciliation }) => (
  <section class="card org-card" aria-labelledby={`org-${org.id}`}>
    <h3 id={`org-${org.id}`}>
      {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
    </h3>
    <p>
      <span class={`state-${org.linkState}`}>{STATE_TEXT[org.linkState]}</span>
      {org.relinkReason && org.linkState === 'needs_relink' ? ` — ${org.relinkReason}` : ''}
    </p>
    {org.linkState === 'needs_relink' ? (
      <form method="post" action="/connect/link" class="actions">
        <CsrfField token={csrf} />
        <button type="submit" class="primary">{`Link ${org.name} again`}</button>
        <span>{org.waiting > 0 ? `${plural(org.waiting, 'document waits', 'documents wait')} for it; they go by themselves once it is linked.` : 'No documents wait for it.'}</span>
      </form>
    ) : null}
    <table class="org-counts">
      <caption class="help">Documents not yet in Xero</caption>
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Sending</th>
          <th scope="col">Held</th>
          <th scope="col">Failed</th>
          <th scope="col">Dead</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{org.counts.queued}</td>
          <td>{org.counts.sending}</td>
          <td>{org.counts.held}</td>
          <td>{org.counts.failed}</td>
          <td>{org.counts.dead}</td>
        </tr>
      </tbody>
    </table>
    {org.needsAttention > 0 ? (
      <p>
        <a href="/attention">{`${plural(org.needsAttention, 'document needs', 'documents need')} attention`}</a>
      </p>
    ) : null}
    <dl class="facts">
      <dt>Oldest waiting</dt>
      <dd>{org.oldestWaitingAt ? <When at={org.oldestWaitingAt} now={now} /> : 'Nothing waits'}</dd>
      <dt>Last delivery</dt>
      <dd>{org.lastDeliveredAt ? <When at={org.lastDeliveredAt} now={now} /> : 'None yet'}</dd>
      <dt>Xero calls today</dt>
      <dd>
        {`${org.usage.callsToday} of ${org.usage.dayLimit} (${org.usage.usedPercent} % of the day's limit used)`}
        {org.usage.xeroRemaining !== null ? <span class="help">{` — Xero says ${org.usage.xeroRemaining} left today`}</span> : null}
      </dd>
      <dt>Sending</dt>
      <dd>
        {org.pause === null ? (
          'Not paused'
        ) : (
          <>
            {org.pause.reason === 'relink' ? 'Paused until it is linked again' : org.pause.reason === 'daily_budget' ? "Paused: the day's Xero budget is spent" : 'Paused: Xero asked the proxy to slow down'}
            {org.pause.until ? (
              <>
                {' until '}
                <When at={org.pause.until} now={now} />
              </>
            ) : null}
            {org.pause.reason === 'relink' ? null : <span class="help">{` — ${org.pause.message}`}</span>}
          </>
        )}
      </dd>
      {org.token?.authorizationExpiresAt ? (
        <>
          <dt>Authorisation ends</dt>
          <dd>
            <When at={org.token.authorizationExpiresAt} now={now} />
          </dd>
        </>
      ) : null}
      {org.token?.expiresAt ? (
        <>
          <dt>Access token</dt>
          <dd>
            {'Renewed by itself; the current one ends '}
            <When at={org.token.expiresAt} now={now} />
          </dd>
        </>
      ) : null}
      <dt>Daily reconciliation</dt>
      <dd>
        <ReconciliationFact orgId={org.id} run={reconciliation} />
      </dd>
      {org.certificate ? (
        <>
          <dt>Signing certificate</dt>
          <dd>{`${org.certificate.daysLeft > 0 ? `Valid until ${utcText(org.certificate.notAfter)} (${plural(org.certificate.daysLeft, 'day')} left)` : `Expired on ${utcText(org.certificate.notAfter)}`}`}</dd>
        </>
      ) : null}
    </dl>
    {org.devices.length === 0 ? (
      <p class="help">No devices use it yet.</p>
    ) : (
      <table>
        <caption class="help">Devices that send to it</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Device ID</th>
            <th scope="col">State</th>
            <th scope="col">Last seen (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {org.devices.map((device) => (
            <tr>
              <td>{device.name}</td>
              <td class="mono">{device.deviceId}</td>
              <td class={`state-${device.status}`}>{device.status === 'active' ? 'Active' : 'Revoked'}</td>
              <td>{device.lastSeenAt ? utcText(device.lastSeenAt) : 'never'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

/**
 * Organisations shown one card each, at most: an app vendor's thousand shops as cards would be a
 * page of megabytes nobody reads, so beyond this each is a row of the table below.
 */
export const CARDS_AT_MOST = 20;

/** Every organisation in one row: its link, what waits and what needs a person, its last delivery and calls. */
const OrganisationTable: FC<{ organisations: readonly OrganisationOverview[]; now: string }> = ({ organisations, now }) => (
  <section class="card">
    <p class="help">
      {`${organisations.length} organisations, one row each; their devices, tokens and reconciliations are on the `}
      <a href="/organisations">organisations page</a>
      {'.'}
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Organisation</th>
          <th scope="col">Link</th>
          <th scope="col">Waiting</th>
          <th scope="col">Needs attention</th>
          <th scope="col">Oldest waiting</th>
          <th scope="col">Last delivery</th>
          <th scope="col">Xero calls today</th>
          <th scope="col">Sending</th>
        </tr>
      </thead>
      <tbody>
        {organisations.map((org) => (
          <tr>
            <th scope="row">
              {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
            </th>
            <td class={`state-${org.linkState}`}>{STATE_TEXT[org.linkState]}</td>
            <td>{org.waiting}</td>
            <td>{org.needsAttention > 0 ? <a href="/attention">{org.needsAttention}</a> : '0'}</td>
            <td>{org.oldestWaitingAt ? <When at={org.oldestWaitingAt} now={now} /> : 'Nothing waits'}</td>
            <td>{org.lastDeliveredAt ? <When at={org.lastDeliveredAt} now={now} /> : 'None yet'}</td>
            <td>{`${org.usage.callsToday} (${org.usage.usedPercent} %)`}</td>
            <td>{org.pause === null ? 'Not paused' : org.pause.reason === 'relink' ? 'Until linked again' : org.pause.reason === 'daily_budget' ? "Day's budget spent" : 'Xero asked to slow down'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

/**
 * The overview: a banner that says whether everything reached Xero (and, when not, what needs a
 * person and where it is fixed), apps waiting for approval, each organisation's facts, and charts.
 */
export const OverviewPage: FC<OverviewPageProps> = ({ signedIn, overview, charts, pending, reconciliation }) => (
  <Layout title="Overview" signedIn={signedIn} current="/" scripts={['/assets/refresh.js']}>
    <section class="card">
      <h1>Overview</h1>
      <Banner overview={overview} />
      <p class="help">
        {'As of '}
        <time datetime={overview.generatedAt}>{utcText(overview.generatedAt)}</time>
        {'. '}
        <a href="/">Refresh</a>
      </p>
      {pending.length === 0 ? (
        <p>No app is waiting for approval.</p>
      ) : (
        <>
          <h2>Apps waiting for approval</h2>
          <PendingList pending={pending} />
        </>
      )}
      <div class="actions">
        <a href="/connect">Enter a pairing code</a>
        <form method="post" action="/connect/link">
          <CsrfField token={signedIn.csrfToken} />
          <button type="submit">Link a Xero organisation</button>
        </form>
      </div>
    </section>
    <h2>Xero organisations</h2>
    {overview.organisations.length === 0 ? <p>None linked yet.</p> : null}
    {overview.organisations.length > CARDS_AT_MOST ? (
      <OrganisationTable organisations={overview.organisations} now={overview.generatedAt} />
    ) : (
      overview.organisations.map((org) => <OrganisationCard org={org} now={overview.generatedAt} csrf={signedIn.csrfToken} reconciliation={reconciliation?.get(org.id)} />)
    )}
    <section class="card" aria-labelledby="charts-heading">
      <h2 id="charts-heading">Deliveries and Xero calls</h2>
      <div class="charts">
        <BarChart id="chart-hourly" chart={charts.hourly} />
        <BarChart id="chart-daily" chart={charts.daily} />
        <BarChart id="chart-calls-hourly" chart={charts.callsPerHour} />
        <BarChart id="chart-calls-daily" chart={charts.callsPerDay} />
      </div>
    </section>
  </Layout>
);
