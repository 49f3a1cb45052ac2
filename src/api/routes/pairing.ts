import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import { pollPairing, startPairing } from '../../services/pairing';
import { sourceAddress } from '../../server/source-address';
import { readObjectBody } from '../body';
import { reply } from '../respond';

/**
 * `POST /pair` starts a pairing; `POST /pair/token` polls it (RFC 8628 §3.4–3.5: 400 with
 * `authorization_pending`, `slow_down`, `access_denied` or `expired_token` until approved).
 */
export function pairingRoutes(deps: ServiceDeps): Hono {
  const app = new Hono();
  app.post('/pair', async (c) => {
    const body = await readObjectBody(c);
    const started = startPairing(deps, { deviceId: body['deviceId'], name: body['name'], sourceAddress: sourceAddress(c.env) });
    return reply(c, 200, 'Pairing', { ...started });
  });
  app.post('/pair/token', async (c) => {
    const body = await readObjectBody(c);
    const result = pollPairing(deps, body['pairingId']);
    c.header('Cache-Control', 'no-store');
    if (result.status === 'approved') {
      return reply(c, 200, 'PairingToken', { apiKey: result.apiKey, deviceId: result.deviceId, organisation: result.organisation });
    }
    return reply(c, 400, 'PairingToken', { error: result.status, error_description: result.description, ...(result.interval ? { interval: result.interval } : {}) });
  });
  return app;
}
