import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ServiceDeps } from './deps';
import { tlsPin } from './tls';

/**
 * Whether the proxy answers `GET /healthz` at `server.public_url`, as a device would reach it:
 * over HTTPS, trusting the proxy's own CA (and the public ones, for certificate files from a
 * public CA). For commands that need the running server, such as `org connect`.
 */
export async function proxyAnswers(deps: Pick<ServiceDeps, 'db' | 'config' | 'clock'>, timeoutMs = 5000): Promise<boolean> {
  const url = `${deps.config.server.publicUrl}/healthz`;
  if (url.startsWith('http:')) return fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then((response) => response.ok, () => false);
  const pin = tlsPin(deps);
  return new Promise((resolve) => {
    const asked = request(url, { ca: [...rootCertificates, ...(pin ? [pin.caCertificate] : [])], timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    asked.on('timeout', () => asked.destroy());
    asked.on('error', () => resolve(false));
    asked.end();
  });
}
