import type { MiddlewareHandler } from 'hono';
import type { Device } from '../store/devices';
import { sourceAddress } from '../server/source-address';
import { authenticateDevice } from '../services/devices';
import type { ServiceDeps } from '../services/deps';

export type DeviceEnv = { Variables: { device: Device } };

/** Requires a device API key (`Authorization: Bearer xpk_…`, or `X-Api-Key`) and sets `device`. */
export function requireDevice(deps: ServiceDeps): MiddlewareHandler<DeviceEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const presented = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.header('x-api-key');
    c.set('device', authenticateDevice(deps, presented, sourceAddress(c.env)));
    await next();
  };
}
