import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import { tlsPin } from '../../services/tls';

/**
 * `GET /ca.crt`: the CA certificate devices and browsers trust, public like any CA certificate
 * (it holds no secret, and a device that downloads it checks its fingerprint against the one the
 * pairing answer and the settings page show).
 */
export function caCertificateRoutes(deps: ServiceDeps): Hono {
  const app = new Hono();
  app.get('/ca.crt', (c) => {
    const pin = tlsPin(deps);
    if (!pin) return c.text('This proxy has no CA certificate: HTTPS is off (server.tls).\n', 404);
    return c.body(pin.caCertificate, 200, {
      'Content-Type': 'application/x-x509-ca-cert',
      'Content-Disposition': 'attachment; filename="xero-proxy-ca.crt"',
      'Cache-Control': 'no-cache',
    });
  });
  return app;
}
