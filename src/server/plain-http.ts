import { Hono } from 'hono';
import { replyError } from '../api/respond';
import { AppError } from '../lib/errors';

/**
 * What plain HTTP gets on a port that speaks HTTPS: the device API a clear refusal, read no
 * further than its headers (so no key is ever served in plain text, and one that was sent is
 * named as exposed), and everything else a redirect to the same path at `server.public_url`.
 */
export function plainHttpAnswers(publicUrl: string): Hono {
  const origin = new URL(publicUrl).origin;
  const app = new Hono();
  app.all('/api/v1', (c) => refuse(c, origin));
  app.all('/api/v1/*', (c) => refuse(c, origin));
  app.all('*', (c) => {
    const asked = new URL(c.req.url);
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${origin}${asked.pathname}${asked.search}`, 301);
  });
  return app;
}

function refuse(c: Parameters<typeof replyError>[0], origin: string): Response {
  const exposed = c.req.header('authorization') !== undefined;
  c.header('Cache-Control', 'no-store');
  return replyError(
    c,
    new AppError(
      'forbidden',
      `The device API answers only over HTTPS, and this request came in plain HTTP, so it was not read.${exposed ? " Its API key crossed the network unencrypted: have the administrator replace it (`xero-proxy device rotate-key <deviceId>`)." : ''}`,
      { hint: `Call ${origin}/api/v1/… and pin the proxy's CA: its fingerprint is on the settings page and in the answer to POST /api/v1/pair.` },
    ),
  );
}
