import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DEVICE_RIGHTS, type DeviceRight } from '../../domain/device-rights';
import { AppError, toAppError } from '../../lib/errors';
import type { ServiceDeps } from '../../services/deps';
import { addNewDevice, deviceSummaries, deviceSummary, grantRights, moveDevice, renameDevice, revoke, revokeRights, rotateDeviceKey, type IssuedDevice } from '../../services/devices';
import { clearPendingPairings, pendingPairings } from '../../services/pairing';
import { listOrganisations } from '../../store/organisations';
import { DeviceKeyPage, DevicePage, DevicesPage, RevokeDevicePage, type AddDeviceForm, type OrganisationChoice } from '../../../views/devices';
import { page, PAGE_STATUS } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

// A key waits this long for its one showing after the redirect; then it is gone for good.
const KEY_SHOWN_WITHIN_MS = 10 * 60_000;

const devicePath = (deviceId: string) => `/devices/${encodeURIComponent(deviceId)}`;

/**
 * Keys just issued, held in memory for the one page that shows them after the redirect, so a key
 * never travels in a URL, a log or the database. Each is taken once, by the session that made it.
 */
class KeysToShow {
  readonly #keys = new Map<string, { apiKey: string; until: number }>();
  constructor(private readonly now: () => number) {}
  put(session: string, issued: IssuedDevice): void {
    for (const [slot, held] of this.#keys) if (held.until <= this.now()) this.#keys.delete(slot);
    this.#keys.set(`${session} ${issued.device.deviceId}`, { apiKey: issued.apiKey, until: this.now() + KEY_SHOWN_WITHIN_MS });
  }
  take(session: string, deviceId: string): string | undefined {
    const slot = `${session} ${deviceId}`;
    const held = this.#keys.get(slot);
    this.#keys.delete(slot);
    return held && held.until > this.now() ? held.apiKey : undefined;
  }
}

/** The outcome notices `?done=` names, for the device `?device=` or the page's own. */
const DONE: Record<string, (name: string) => string> = {
  renamed: (name) => `The device is now called ${name}.`,
  moved: (name) => `${name} now sends to the organisation shown. Documents it sent before stay where they went.`,
  rights: (name) => `The rights of ${name} are changed.`,
  revoked: (name) => `${name} is revoked: its key no longer works.`,
};

/**
 * `/devices`: every device with its organisation, state, rights and where it was last seen;
 * adding one (its key shown once), renaming, moving, rights, a new key, revoking; and the
 * pairing requests waiting for a person. Every change is a POST answered with a redirect.
 */
export function deviceRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const keys = new KeysToShow(() => deps.clock.now().getTime());
  const back = { href: '/devices', label: 'Back to the devices' };
  // '/devices/*' covers '/devices' itself too.
  app.use('/devices/*', requireAdmin(deps));

  app.get('/devices', (c) => {
    const done = c.req.query('done');
    const named = c.req.query('device') ?? c.req.query('code') ?? '';
    const notice = done === 'cleared' ? `The request ${named} was refused; the app is told to start again if it still wants to connect.` : done && Object.hasOwn(DONE, done) ? DONE[done]!(named) : undefined;
    return listPage(c, deps, { notice });
  });

  app.post('/devices', async (c) => {
    const form: AddDeviceForm = {
      deviceId: (await formText(c, 'deviceId')).trim(),
      name: (await formText(c, 'name')).trim(),
      organisationId: await formText(c, 'organisation'),
      rights: await checkedRights(c),
    };
    try {
      const issued = addNewDevice(acting(c, deps), { deviceId: form.deviceId, organisation: form.organisationId, rights: form.rights, ...(form.name ? { name: form.name } : {}) });
      keys.put(c.get('session')!.idHash, issued);
      return c.redirect(`${devicePath(issued.device.deviceId)}/key`, 303);
    } catch (error) {
      const problem = toAppError(error);
      if (problem.code !== 'invalid' && problem.code !== 'not_found' && problem.code !== 'conflict') throw error;
      return listPage(c, deps, { error: problem.message, form }, PAGE_STATUS[problem.code]);
    }
  });

  app.post('/devices/pairings/clear', async (c) => {
    c.set('back', back);
    const [cleared] = clearPendingPairings(acting(c, deps), { code: await formText(c, 'code') });
    return c.redirect(`/devices?done=cleared&code=${encodeURIComponent(cleared?.code ?? '')}`, 303);
  });

  app.get('/devices/:deviceId', (c) => {
    c.set('back', back);
    const device = deviceSummary(deps, c.req.param('deviceId'));
    const done = c.req.query('done');
    return page(c, <DevicePage signedIn={c.get('session')!} now={deps.clock.now()} device={device} organisations={choices(deps)} notice={done && Object.hasOwn(DONE, done) ? DONE[done]!(device.name) : undefined} />);
  });

  app.get('/devices/:deviceId/key', (c) => {
    c.set('back', back);
    const device = deviceSummary(deps, c.req.param('deviceId'));
    const apiKey = keys.take(c.get('session')!.idHash, device.deviceId);
    return page(c, <DeviceKeyPage signedIn={c.get('session')!} device={device} apiKey={apiKey} />);
  });

  app.post('/devices/:deviceId/name', async (c) => {
    const deviceId = c.req.param('deviceId');
    c.set('back', { href: devicePath(deviceId), label: 'Back to the device' });
    renameDevice(acting(c, deps), deviceId, await formText(c, 'name'));
    return c.redirect(`${devicePath(deviceId)}?done=renamed`, 303);
  });

  app.post('/devices/:deviceId/organisation', async (c) => {
    const deviceId = c.req.param('deviceId');
    c.set('back', { href: devicePath(deviceId), label: 'Back to the device' });
    moveDevice(acting(c, deps), deviceId, await formText(c, 'organisation'));
    return c.redirect(`${devicePath(deviceId)}?done=moved`, 303);
  });

  app.post('/devices/:deviceId/rights', async (c) => {
    const deviceId = c.req.param('deviceId');
    c.set('back', { href: devicePath(deviceId), label: 'Back to the device' });
    const [right, change] = [await formText(c, 'right'), await formText(c, 'change')];
    if (change !== 'give' && change !== 'take') throw new AppError('invalid', 'The form did not say whether to give or take the right away; nothing was changed.');
    (change === 'give' ? grantRights : revokeRights)(acting(c, deps), deviceId, [right]);
    return c.redirect(`${devicePath(deviceId)}?done=rights`, 303);
  });

  app.post('/devices/:deviceId/key', (c) => {
    const deviceId = c.req.param('deviceId');
    c.set('back', { href: devicePath(deviceId), label: 'Back to the device' });
    keys.put(c.get('session')!.idHash, rotateDeviceKey(acting(c, deps), deviceId));
    return c.redirect(`${devicePath(deviceId)}/key`, 303);
  });

  app.get('/devices/:deviceId/revoke', (c) => {
    c.set('back', back);
    return page(c, <RevokeDevicePage signedIn={c.get('session')!} device={deviceSummary(deps, c.req.param('deviceId'))} />);
  });

  app.post('/devices/:deviceId/revoke', (c) => {
    c.set('back', back);
    const revoked = revoke(acting(c, deps), c.req.param('deviceId'));
    return c.redirect(`/devices?done=revoked&device=${encodeURIComponent(revoked.name)}`, 303);
  });
  return app;
}

function listPage(c: Context<PageEnv>, deps: ServiceDeps, extra: { notice?: string | undefined; error?: string; form?: AddDeviceForm }, status: ContentfulStatusCode = 200): Response {
  return page(
    c,
    <DevicesPage signedIn={c.get('session')!} now={deps.clock.now()} devices={deviceSummaries(deps)} organisations={choices(deps)} pending={pendingPairings(deps)} notice={extra.notice} error={extra.error} form={extra.form} />,
    status,
  );
}

/** Organisations a device may be linked to: every one not disconnected. */
function choices(deps: ServiceDeps): OrganisationChoice[] {
  return listOrganisations(deps.db)
    .filter((o) => o.linkState !== 'disconnected')
    .map((o) => ({ id: o.id, name: o.name }));
}

/** The rights ticked on the add form (one checkbox per right, each its own field). */
async function checkedRights(c: Context): Promise<DeviceRight[]> {
  const ticked: DeviceRight[] = [];
  for (const right of DEVICE_RIGHTS) if ((await formText(c, `right-${right}`)) === 'yes') ticked.push(right);
  return ticked;
}

