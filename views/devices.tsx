import type { FC } from 'hono/jsx';
import { DEVICE_RIGHTS, type DeviceRight } from '../src/domain/device-rights';
import type { DeviceSummary } from '../src/services/devices';
import type { PendingPairingView } from '../src/services/pairing';
import { CsrfField, Layout, Notice, type SignedIn } from './layout';
import { Ago, Utc } from './time';

/** An organisation a device can be linked to, for the pick lists. */
export interface OrganisationChoice {
  id: string;
  name: string;
}

/** What each right lets a device do, as the page explains it. */
export const RIGHT_TEXT: Record<DeviceRight, { label: string; what: string }> = {
  reference: { label: 'Pick lists', what: "Read the organisation's accounts, tax rates and other lists from the proxy (reference)." },
  'accounting.read': { label: 'Read accounting data', what: "Read any of the organisation's accounting data straight from Xero (accounting.read)." },
  'payroll.read': { label: 'Read payroll data', what: "Read employees (with dates of birth and addresses), pay runs and timesheets from Xero (payroll.read)." },
  write: { label: 'Change Xero data directly', what: 'Change Xero data through /xero, bypassing the queue that stops documents going twice (write). Give it only to apps that need it.' },
};

const STATUS_TEXT = { active: 'Active', revoked: 'Revoked' } as const;

const rightsText = (rights: readonly DeviceRight[]) => (rights.length === 0 ? 'None' : rights.map((r) => RIGHT_TEXT[r].label).join(', '));

const devicePath = (deviceId: string) => `/devices/${encodeURIComponent(deviceId)}`;

/** What the add form had, to show it again beside an error. */
export interface AddDeviceForm {
  deviceId: string;
  name: string;
  organisationId: string;
  rights: readonly DeviceRight[];
}

export interface DevicesPageProps {
  signedIn: SignedIn;
  now: Date;
  devices: readonly DeviceSummary[];
  organisations: readonly OrganisationChoice[];
  pending: readonly PendingPairingView[];
  notice?: string | undefined;
  error?: string | undefined;
  form?: AddDeviceForm | undefined;
}

/** `/devices`: every device, the form that adds one, and the apps waiting for approval. */
export const DevicesPage: FC<DevicesPageProps> = ({ signedIn, now, devices, organisations, pending, notice, error, form }) => (
  <Layout title="Devices" signedIn={signedIn} current="/devices">
    <section class="card">
      <h1>Devices</h1>
      <p>Each till or practice app that sends to Xero through this proxy is a device, with its own key.</p>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {devices.length === 0 ? (
        <p>No device has been added yet. Add one below, or approve an app that asked to connect.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Devices</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Organisation</th>
              <th scope="col">State</th>
              <th scope="col">Rights</th>
              <th scope="col">Last seen</th>
              <th scope="col">From address</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr>
                <td>
                  <a href={devicePath(d.deviceId)}>{d.name}</a>
                  <br />
                  <span class="help mono">{d.deviceId}</span>
                </td>
                <td>{d.organisation ?? 'None'}</td>
                <td class={`state-${d.status}`}>{STATUS_TEXT[d.status]}</td>
                <td>{rightsText(d.rights)}</td>
                <td>
                  <Ago at={d.lastSeenAt} now={now} />
                </td>
                <td class="mono">{d.lastSeenAddress ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>

    <section class="card" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Apps waiting for approval</h2>
      {pending.length === 0 ? (
        <p>No app is waiting. An app asks to connect by showing a pairing code; it appears here.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Code</th>
              <th scope="col">From address</th>
              <th scope="col">Asked</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((p) => (
              <tr>
                <td>
                  {p.name} <span class="help mono">({p.deviceId})</span>
                </td>
                <td class="mono">{p.code}</td>
                <td class="mono">{p.sourceAddress}</td>
                <td>
                  <Ago at={p.createdAt} now={now} />
                </td>
                <td>
                  <div class="device-actions">
                    <a href={`/connect?code=${encodeURIComponent(p.code)}`}>Review and approve {p.code}</a>
                    <form method="post" action="/devices/pairings/clear">
                      <CsrfField token={signedIn.csrfToken} />
                      <input type="hidden" name="code" value={p.code} />
                      <button type="submit" class="danger">
                        Refuse {p.code}
                      </button>
                    </form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>

    <section class="card" aria-labelledby="add-heading">
      <h2 id="add-heading">Add a device</h2>
      {organisations.length === 0 ? (
        <p>
          Link a Xero organisation first: a device sends to one. <a href="/organisations">Go to organisations</a>.
        </p>
      ) : (
        <form method="post" action="/devices" novalidate>
          <CsrfField token={signedIn.csrfToken} />
          {error ? <Notice tone="error">{error}</Notice> : null}
          <div class="field">
            <label for="device-id">Device ID</label>
            <p class="help" id="device-id-help">
              The app's own id, such as its licence or hardware number: letters, digits and . _ : @ - (up to 128).
            </p>
            <input type="text" id="device-id" name="deviceId" value={form?.deviceId ?? ''} class="mono" autocomplete="off" spellcheck={false} aria-describedby="device-id-help" required />
          </div>
          <div class="field">
            <label for="device-name">Name</label>
            <p class="help" id="device-name-help">
              A name people recognise, such as "Front counter till". Leave it empty to use the device ID.
            </p>
            <input type="text" id="device-name" name="name" value={form?.name ?? ''} aria-describedby="device-name-help" />
          </div>
          <div class="field">
            <label for="device-organisation">Organisation it sends to</label>
            <OrganisationSelect id="device-organisation" organisations={organisations} selected={form?.organisationId} />
          </div>
          <fieldset class="field">
            <legend>Rights</legend>
            <p class="help">Every device may send documents and read its own jobs. Tick what else it may do.</p>
            {DEVICE_RIGHTS.map((right) => (
              <div class="check">
                <input type="checkbox" id={`add-right-${right}`} name={`right-${right}`} value="yes" checked={(form?.rights ?? ['reference']).includes(right)} />
                <label for={`add-right-${right}`}>
                  {RIGHT_TEXT[right].label}
                  <span class="help"> — {RIGHT_TEXT[right].what}</span>
                </label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="primary">
            Add the device and show its key
          </button>
        </form>
      )}
    </section>
  </Layout>
);

const OrganisationSelect: FC<{ id: string; organisations: readonly OrganisationChoice[]; selected?: string | null | undefined }> = ({ id, organisations, selected }) => (
  <select id={id} name="organisation">
    {organisations.map((o) => (
      <option value={o.id} selected={o.id === selected}>
        {o.name}
      </option>
    ))}
  </select>
);

export interface DevicePageProps {
  signedIn: SignedIn;
  now: Date;
  device: DeviceSummary;
  organisations: readonly OrganisationChoice[];
  notice?: string | undefined;
}

/** `/devices/{deviceId}`: one device, with every change that can be made to it. */
export const DevicePage: FC<DevicePageProps> = ({ signedIn, now, device, organisations, notice }) => {
  const path = devicePath(device.deviceId);
  return (
    <Layout title={device.name} signedIn={signedIn} current="/devices">
      <p>
        <a href="/devices">All devices</a>
      </p>
      <section class="card">
        <h1>{device.name}</h1>
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        {device.status === 'revoked' ? <Notice tone="warning">This device is revoked: its key does not work. Issue a new key below to let it send again.</Notice> : null}
        <dl class="facts">
          <dt>Device ID</dt>
          <dd class="mono">{device.deviceId}</dd>
          <dt>Organisation</dt>
          <dd>{device.organisation ?? 'None'}</dd>
          <dt>State</dt>
          <dd class={`state-${device.status}`}>{STATUS_TEXT[device.status]}</dd>
          <dt>Key</dt>
          <dd class="mono">{device.key ?? 'None'}</dd>
          <dt>Last seen</dt>
          <dd>
            <Ago at={device.lastSeenAt} now={now} />
          </dd>
          <dt>From address</dt>
          <dd class="mono">{device.lastSeenAddress ?? 'Not seen yet'}</dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="rights-heading">
        <h2 id="rights-heading">Rights</h2>
        <p class="help">Every device may send documents and read its own jobs and status. These are extra.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Right</th>
              <th scope="col">What it allows</th>
              <th scope="col">This device</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {DEVICE_RIGHTS.map((right) => {
              const has = device.rights.includes(right);
              return (
                <tr>
                  <th scope="row">{RIGHT_TEXT[right].label}</th>
                  <td>{RIGHT_TEXT[right].what}</td>
                  <td>{has ? 'Has it' : 'Does not have it'}</td>
                  <td>
                    <form method="post" action={`${path}/rights`}>
                      <CsrfField token={signedIn.csrfToken} />
                      <input type="hidden" name="right" value={right} />
                      <input type="hidden" name="change" value={has ? 'take' : 'give'} />
                      <button type="submit" class={has ? 'danger' : ''}>
                        {has ? `Take away “${RIGHT_TEXT[right].label}”` : `Give “${RIGHT_TEXT[right].label}”`}
                      </button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="change-heading">
        <h2 id="change-heading">Name and organisation</h2>
        <form method="post" action={`${path}/name`}>
          <CsrfField token={signedIn.csrfToken} />
          <div class="field">
            <label for="rename">Name</label>
            <input type="text" id="rename" name="name" value={device.name} required />
          </div>
          <button type="submit">Rename the device</button>
        </form>
        {organisations.length > 0 ? (
          <form method="post" action={`${path}/organisation`}>
            <CsrfField token={signedIn.csrfToken} />
            <div class="field">
              <label for="move">Organisation it sends to</label>
              <p class="help" id="move-help">
                What it sends from now on goes to the organisation chosen. Documents it sent before stay where they went.
              </p>
              <OrganisationSelect id="move" organisations={organisations} selected={device.organisationId} />
            </div>
            <button type="submit" aria-describedby="move-help">
              Move the device
            </button>
          </form>
        ) : null}
      </section>

      <section class="card" aria-labelledby="key-heading">
        <h2 id="key-heading">Key</h2>
        <p>A new key replaces the old one at once: the app stops working until the new key is typed into its settings.</p>
        <div class="actions">
          <form method="post" action={`${path}/key`}>
            <CsrfField token={signedIn.csrfToken} />
            <button type="submit">{device.status === 'revoked' ? 'Issue a new key and make the device active' : 'Issue a new key'}</button>
          </form>
          {device.status === 'active' ? <a href={`${path}/revoke`}>Revoke this device…</a> : null}
        </div>
      </section>
    </Layout>
  );
};

export interface DeviceKeyPageProps {
  signedIn: SignedIn;
  device: { deviceId: string; name: string };
  /** The key, the one time it is shown; undefined when it was shown already. */
  apiKey: string | undefined;
}

/** The answer to adding a device or issuing a new key: the key, shown once, with Copy. */
export const DeviceKeyPage: FC<DeviceKeyPageProps> = ({ signedIn, device, apiKey }) => (
  <Layout title={apiKey ? `Key for ${device.name}` : 'Key already shown'} signedIn={signedIn} current="/devices" scripts={['/assets/copy.js']}>
    <section class="card">
      {apiKey ? (
        <>
          <h1>Key for {device.name}</h1>
          <Notice tone="success">
            {device.name} ({device.deviceId}) can now send to Xero with this key. It is shown only this once: the proxy keeps only a check of it.
          </Notice>
          <div class="field">
            <label for="api-key">API key</label>
            <p class="help" id="api-key-help">
              Select the key and copy it (Ctrl+C, or ⌘C on a Mac), then paste it into the app's settings. The app sends it as "Authorization: Bearer …".
            </p>
            <div class="copy-row">
              <input type="text" id="api-key" class="mono" value={apiKey} readonly aria-describedby="api-key-help" data-select-all="" />
              <button type="button" data-copy="api-key" hidden>
                Copy
              </button>
            </div>
            <p class="help" role="status" aria-live="polite" id="copy-status"></p>
          </div>
        </>
      ) : (
        <>
          <h1>Key already shown</h1>
          <Notice tone="warning">The key for {device.name} was shown once and is not kept, so it cannot be shown again. If it was not copied, issue a new key.</Notice>
        </>
      )}
      <p>
        <a href={devicePath(device.deviceId)}>Go to {device.name}</a> · <a href="/devices">All devices</a>
      </p>
    </section>
  </Layout>
);

export interface RevokeDevicePageProps {
  signedIn: SignedIn;
  device: DeviceSummary;
}

/** The confirmation before a device is revoked. */
export const RevokeDevicePage: FC<RevokeDevicePageProps> = ({ signedIn, device }) => (
  <Layout title={`Revoke ${device.name}?`} signedIn={signedIn} current="/devices">
    <section class="card">
      <h1>Revoke {device.name}?</h1>
      <p>
        Its key stops working at once: the app gets "not authorised" for everything it sends from now on. Documents it already sent still go to Xero. To let it send again later, issue it a new key.
      </p>
      <dl class="facts">
        <dt>Device ID</dt>
        <dd class="mono">{device.deviceId}</dd>
        <dt>Organisation</dt>
        <dd>{device.organisation ?? 'None'}</dd>
        <dt>Last seen</dt>
        <dd>
          <Utc at={device.lastSeenAt} none="Never" />
        </dd>
      </dl>
      <div class="actions">
        <form method="post" action={`${devicePath(device.deviceId)}/revoke`}>
          <CsrfField token={signedIn.csrfToken} />
          <button type="submit" class="danger">
            Revoke {device.name}
          </button>
        </form>
        <a href={devicePath(device.deviceId)}>Keep it and go back</a>
      </div>
    </section>
  </Layout>
);
