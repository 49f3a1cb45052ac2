import type { FC } from 'hono/jsx';
import type { SignedIn } from '../layout';
import { MessagePage } from '../message';

const toConnect = { href: '/connect', label: 'Connect another app' };
const home = { href: '/', label: 'Back to the overview' };

export interface DeviceLabel {
  name: string;
  deviceId: string;
}

/** A pairing was approved: the device will collect its key by itself. */
export const ApprovedPage: FC<{ device: DeviceLabel; organisationName: string; signedIn?: SignedIn | undefined }> = ({ device, organisationName, signedIn }) => (
  <MessagePage
    title="App connected"
    tone="success"
    message={`${device.name} (${device.deviceId}) can now send to ${organisationName}. The app will receive its key automatically within a few seconds; there is nothing to type into it.`}
    back={toConnect}
    signedIn={signedIn}
  />
);

/** A pairing was denied by the administrator. */
export const DeniedPage: FC<{ device: DeviceLabel; signedIn: SignedIn }> = ({ device, signedIn }) => (
  <MessagePage
    title="Request denied"
    tone="info"
    message={`The request from ${device.name} (${device.deviceId}) was denied. The app is told so and gets no key.`}
    back={toConnect}
    signedIn={signedIn}
  />
);

/**
 * Xero linked an organisation. With a device: whether that device was approved for it too (its
 * pairing may have expired or been decided while the person was at Xero).
 */
export const LinkedPage: FC<{ organisationName: string; device?: (DeviceLabel & { approved: boolean }) | undefined; signedIn?: SignedIn | undefined }> = ({
  organisationName,
  device,
  signedIn,
}) => {
  if (!device) {
    return (
      <MessagePage title="Organisation linked" tone="success" message={`${organisationName} is now linked to this proxy. Apps can be approved for it on the connect page.`} back={home} signedIn={signedIn} />
    );
  }
  if (device.approved) return <ApprovedPage device={device} organisationName={organisationName} signedIn={signedIn} />;
  return (
    <MessagePage
      title="Organisation linked, app not connected"
      tone="warning"
      message={`${organisationName} is now linked, but the request from ${device.name} (${device.deviceId}) was no longer waiting, so that app was not connected.`}
      hint={`Start pairing again in the app, then approve it for ${organisationName}.`}
      back={toConnect}
      signedIn={signedIn}
    />
  );
};

/** The person chose Deny at Xero. */
export const LinkDeniedPage: FC<{ message: string }> = ({ message }) => (
  <MessagePage title="Access was not allowed" tone="warning" message={message} hint="Nothing was linked. If the app asked, its request was denied too; start again from the app to retry." back={home} />
);

/** Linking failed: an expired, forged or replayed callback, or an error from Xero. */
export const LinkFailedPage: FC<{ message: string }> = ({ message }) => (
  <MessagePage title="The organisation was not linked" tone="error" message={message} back={home} />
);

/** Xero authorised, but the organisations cannot take invoices (a Cashbook or Ledger plan, a Partner edition): none was linked, and why. */
export const LinkRefusedPage: FC<{ organisations: ReadonlyArray<{ name: string; reason: string }> }> = ({ organisations }) => (
  <MessagePage
    title={organisations.length === 1 ? `${organisations[0]!.name} cannot take invoices from apps` : 'These organisations cannot take invoices from apps'}
    tone="error"
    message={organisations.map((organisation) => organisation.reason).join(' ')}
    hint="Nothing was linked, and no app was connected. Once the organisation's plan or edition has invoicing, start linking again from the connect page."
    back={home}
  />
);
