import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import type { PauseReader } from '../../services/overview';
import { deviceStatus } from '../../services/status';
import { requireDevice, type DeviceEnv } from '../device-auth';
import { reply } from '../respond';

/** `GET /status`: the calling device, its organisation, the link state, token expiry and what needs a person. */
export function statusRoutes(deps: ServiceDeps, pauses?: PauseReader): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.get('/status', requireDevice(deps), (c) => reply(c, 200, 'Status', { ...deviceStatus(deps, c.get('device'), pauses) }));
  return app;
}
