import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config/types';
import { AppError } from '../lib/errors';

/**
 * Refuses any state-changing request that a browser did not send from one of our own pages: the
 * `Origin` (or, if a browser left it out, the `Referer`) must be exactly `server.public_url`'s
 * origin, and `Sec-Fetch-Site`, where sent, must say same-origin. Unlike Hono's `csrf()`, this
 * covers every content type, and a request with neither header is refused, not waved through.
 */
export function sameOriginPosts(config: Config): MiddlewareHandler {
  const expected = new URL(config.server.publicUrl).origin;
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin') ?? originOf(c.req.header('referer'));
      const site = c.req.header('sec-fetch-site');
      if (origin !== expected || (site !== undefined && site !== 'same-origin')) {
        throw new AppError('forbidden', `This request did not come from this proxy's own pages (it came from ${origin ?? 'an unknown page'}), so nothing was changed.`, {
          hint: `Open the proxy at ${config.server.publicUrl} (its server.public_url) and try again from there.`,
        });
      }
    }
    await next();
  };
}

function originOf(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
