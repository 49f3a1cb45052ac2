import { Hono } from 'hono';
import { assertRight } from '../../domain/device-rights';
import { AppError } from '../../lib/errors';
import { isReferenceKind, REFERENCE_KINDS, referenceList } from '../../services/reference-data';
import type { XeroCalls } from '../../services/xero-calls';
import type { XeroDeps } from '../../services/xero-app';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';

/** `GET /reference/{kind}`: the organisation's accounts, tax rates, items, contacts or tracking categories, cached; needs the right `reference`. */
export function referenceRoutes(deps: XeroDeps, calls: XeroCalls): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.get('/reference/:kind', requireDevice(deps), async (c) => {
    const kind = c.req.param('kind');
    const device = c.get('device');
    assertRight(device, 'GET', `/reference/${kind}`);
    if (!isReferenceKind(kind)) throw new AppError('not_found', `There is no reference list "${kind}"; ask for one of ${Object.keys(REFERENCE_KINDS).join(', ')}.`);
    if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
    const list = await referenceList(deps, calls, device.organisationId, kind);
    return reply(c, 200, 'Reference', { kind: list.kind, fetchedAt: list.fetchedAt, stale: list.stale, [REFERENCE_KINDS[kind].collection]: list.items });
  });
  return app;
}
