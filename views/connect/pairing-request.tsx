import type { FC } from 'hono/jsx';
import { CsrfField, Layout, Notice, type SignedIn } from '../layout';

export interface PairingRequestPageProps {
  signedIn: SignedIn;
  request: { userCode: string; deviceId: string; name: string; sourceAddress: string; minutesLeft: number };
  /** Set when this device id already has a key: approving replaces it. */
  alreadyLinked?: { organisationName: string; active: boolean } | undefined;
  organisations: ReadonlyArray<{ id: string; name: string; shortCode: string | null }>;
}

/** One pairing request: who asks, and the buttons to approve it for an organisation, link a new one, or deny. */
export const PairingRequestPage: FC<PairingRequestPageProps> = ({ signedIn, request, alreadyLinked, organisations }) => (
  <Layout title={`Connect ${request.name}?`} signedIn={signedIn}>
    <section class="card">
      <h1>Connect {request.name}?</h1>
      <p>An app on your network asks to send documents to Xero through this proxy. Check that the code matches the one the app shows.</p>
      <dl class="facts">
        <dt>Code</dt>
        <dd class="mono">{request.userCode}</dd>
        <dt>App name</dt>
        <dd>{request.name}</dd>
        <dt>Device ID</dt>
        <dd class="mono">{request.deviceId}</dd>
        <dt>Asked from</dt>
        <dd class="mono">{request.sourceAddress}</dd>
        <dt>Time left</dt>
        <dd>{request.minutesLeft <= 1 ? 'less than a minute' : `${request.minutesLeft} minutes`}</dd>
      </dl>
      {alreadyLinked ? (
        <Notice tone="warning">
          A device with this ID is already {alreadyLinked.active ? 'connected' : 'known (revoked)'}, to {alreadyLinked.organisationName}. Approving gives it a new key: the old key stops
          working at once. If you did not expect this, deny the request.
        </Notice>
      ) : null}
    </section>
    <section class="card">
      <h2>Approve for an organisation</h2>
      {organisations.length === 0 ? (
        <p>No Xero organisation is linked yet. Link one below; the app is approved for it straight after.</p>
      ) : (
        <ul class="choices">
          {organisations.map((org) => (
            <li>
              <span>
                {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
              </span>
              <form method="post" action="/connect/approve">
                <CsrfField token={signedIn.csrfToken} />
                <input type="hidden" name="code" value={request.userCode} />
                <input type="hidden" name="organisationId" value={org.id} />
                <button type="submit" class="primary">{`Approve for ${org.name}`}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <form method="post" action="/connect/link">
          <CsrfField token={signedIn.csrfToken} />
          <input type="hidden" name="code" value={request.userCode} />
          <button type="submit">Link a new Xero organisation</button>
        </form>
        <form method="post" action="/connect/deny">
          <CsrfField token={signedIn.csrfToken} />
          <input type="hidden" name="code" value={request.userCode} />
          <button type="submit" class="danger">
            Deny
          </button>
        </form>
      </div>
      <p class="help">Linking a new organisation takes you to Xero to sign in and allow access, then back here.</p>
    </section>
  </Layout>
);
