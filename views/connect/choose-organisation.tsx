import type { FC } from 'hono/jsx';
import { Layout, Notice } from '../layout';
import { MessagePage } from '../message';

export interface ChooseOrganisationPageProps {
  /** The link request and its one-time proof: what the forms carry instead of a session's CSRF token. */
  linkRequestId: string;
  proof: string;
  device: { name: string; deviceId: string };
  organisations: ReadonlyArray<{ id: string; name: string; shortCode: string | null }>;
}

/**
 * After Xero: which organisation should this app send to? Asked even when Xero allowed only
 * one, so an app never ends up sending to an organisation nobody chose for it.
 */
export const ChooseOrganisationPage: FC<ChooseOrganisationPageProps> = ({ linkRequestId, proof, device, organisations }) => (
  <Layout title={`Which organisation is ${device.name} for?`}>
    <section class="card">
      <h1>Which organisation is {device.name} for?</h1>
      <Notice tone="success">
        Xero allowed access to {organisations.length === 1 ? 'one organisation' : `${organisations.length} organisations`}; {organisations.length === 1 ? 'it is' : 'all are'} now linked to this
        proxy.
      </Notice>
      <p>
        Choose the organisation {device.name} <span class="help mono">({device.deviceId})</span> sends its documents to. Other apps can be approved for the others later.
      </p>
      <ul class="choices">
        {organisations.map((org) => (
          <li>
            <span>
              {org.name} {org.shortCode ? <span class="help mono">({org.shortCode})</span> : null}
            </span>
            <form method="post" action="/connect/choose">
              <input type="hidden" name="link" value={linkRequestId} />
              <input type="hidden" name="proof" value={proof} />
              <input type="hidden" name="organisationId" value={org.id} />
              <button type="submit" class="primary">{`Send to ${org.name}`}</button>
            </form>
          </li>
        ))}
      </ul>
      <p class="help">If none of these is right, leave this page: the app stays unapproved, and you can deny it on the connect page.</p>
    </section>
  </Layout>
);

/** Xero linked organisations and no app is waiting for one (or its request ended while the person was at Xero). */
export const GrantLinkedPage: FC<{ organisations: ReadonlyArray<{ name: string }>; device?: { name: string; deviceId: string } | null | undefined; refused?: ReadonlyArray<{ reason: string }> | undefined }> = ({ organisations, device, refused }) => {
  const names = organisations.map((org) => org.name).join(', ');
  // Organisations that cannot take invoices were left out; the page says which and why.
  const notLinked = refused && refused.length > 0 ? ` ${refused.map((entry) => entry.reason).join(' ')}` : '';
  const linked = `${names} ${organisations.length === 1 ? 'is' : 'are'} now linked to this proxy.${notLinked}`;
  if (!device) return <MessagePage title="Organisations linked" tone="success" message={`${linked} Apps can be approved for ${organisations.length === 1 ? 'it' : 'them'} on the connect page.`} back={{ href: '/connect', label: 'Connect an app' }} />;
  return (
    <MessagePage
      title="Organisations linked, app not connected"
      tone="warning"
      message={`${linked} The request from ${device.name} (${device.deviceId}) was no longer waiting, so that app was not connected.`}
      hint="Start pairing again in the app, then approve it on the connect page."
      back={{ href: '/connect', label: 'Connect an app' }}
    />
  );
};
