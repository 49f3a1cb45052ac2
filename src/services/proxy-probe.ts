import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ServiceDeps } from './deps';
import { tlsPin } from './tls';

type ProbeDeps = Pick<ServiceDeps, 'db' | 'config' | 'clock'>;

/**
 * Whether the proxy answers `GET /healthz` at `server.public_url`, as a device would reach it:
 * over HTTPS, trusting the proxy's own CA (and the public ones, for certificate files from a
 * public CA). For commands that need the running server, such as `org connect`.
 */
export async function proxyAnswers(deps: ProbeDeps, timeoutMs = 5000): Promise<boolean> {
  return openOwnPage(deps, `${deps.config.server.publicUrl}/healthz`, timeoutMs).then((answer) => answer.status === 200, () => false);
}

/**
 * `GET url` on the proxy itself, as a browser on the LAN that trusts the proxy's CA would open it
 * (redirects are not followed). Rejects with Node's error when the proxy cannot be reached.
 * @example await openOwnPage(deps, `${deps.config.server.publicUrl}/connect/oauth2/callback?code=…`)
 */
export async function openOwnPage(deps: ProbeDeps, url: string, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  if (url.startsWith('http:')) {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return { status: response.status, text: await response.text() };
  }
  const pin = tlsPin(deps);
  return new Promise((resolve, reject) => {
    const asked = request(url, { ca: [...rootCertificates, ...(pin ? [pin.caCertificate] : [])], timeout: timeoutMs, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    asked.on('timeout', () => asked.destroy(new Error(`${new URL(url).origin} did not answer within ${timeoutMs / 1000} seconds.`)));
    asked.on('error', reject);
    asked.end();
  });
}
