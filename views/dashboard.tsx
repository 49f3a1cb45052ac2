import type { FC } from 'hono/jsx';
import { PendingList, type PendingItem } from './connect/code-form';
import { CsrfField, Layout, type SignedIn } from './layout';

export interface DashboardOrganisation {
  name: string;
  shortCode: string | null;
  linkState: 'linked' | 'needs_relink' | 'disconnected';
  relinkReason: string | null;
  devices: ReadonlyArray<{ name: string; deviceId: string; status: 'active' | 'revoked'; lastSeenAt: string | null }>;
}

export interface DashboardPageProps {
  signedIn: SignedIn;
  organisations: readonly DashboardOrganisation[];
  pending: readonly PendingItem[];
}

const STATE_TEXT = { linked: 'Linked', needs_relink: 'Needs linking again', disconnected: 'Disconnected' } as const;

/** The overview: apps waiting for approval, linked organisations and the devices using each. */
export const DashboardPage: FC<DashboardPageProps> = ({ signedIn, organisations, pending }) => (
  <Layout title="Overview" signedIn={signedIn}>
    <section class="card">
      <h1>Overview</h1>
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
    <section class="card">
      <h2>Xero organisations</h2>
      {organisations.length === 0 ? <p>None linked yet.</p> : null}
      {organisations.map((org) => (
        <>
          <h3>
            {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
          </h3>
          <p>
            <span class={`state-${org.linkState}`}>{STATE_TEXT[org.linkState]}</span>
            {org.relinkReason ? ` — ${org.relinkReason}` : ''}
          </p>
          {org.devices.length === 0 ? (
            <p class="help">No devices use it yet.</p>
          ) : (
            <table>
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
                    <td>{device.lastSeenAt ? device.lastSeenAt.slice(0, 16).replace('T', ' ') : 'never'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ))}
    </section>
  </Layout>
);
