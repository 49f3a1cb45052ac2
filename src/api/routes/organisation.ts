import { Hono } from 'hono';
import { buildOrganisationRequest, processOrganisationResponse } from '../../domain/xero/organisation';
import { AppError } from '../../lib/errors';
import type { XeroCalls } from '../../services/xero-calls';
import type { XeroDeps } from '../../services/xero-app';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';

/**
 * `GET /organisation`: reads the device's organisation from Xero, live. Apps use it as a
 * "test the connection" button; it goes through signing, renewal and relink handling like any call.
 */
export function organisationRoutes(deps: XeroDeps, calls: XeroCalls): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.get('/organisation', requireDevice(deps), async (c) => {
    const device = c.get('device');
    if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
    const response = await calls.call(device.organisationId, (auth) => buildOrganisationRequest({ apiUrl: deps.config.xero.apiUrl, auth }));
    const organisation = processOrganisationResponse(response);
    return reply(c, 200, 'Organisation', { ...organisation });
  });
  return app;
}
