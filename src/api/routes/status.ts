import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import { deviceStatus } from '../../services/status';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';

/** `GET /status`: the calling device, its organisation, the link state and token expiry. */
export function statusRoutes(deps: ServiceDeps): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.get('/status', requireDevice(deps), (c) => reply(c, 200, 'Status', { ...deviceStatus(deps, c.get('device')) }));
  return app;
}
