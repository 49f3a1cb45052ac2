import type { MiddlewareHandler } from 'hono';
import { isOAuth2AppType } from '../config/oauth2';
import type { Config } from '../config/types';

/**
 * The headers every page gets, set deliberately rather than from `secureHeaders()` (which sends
 * no CSP and a 180-day HSTS):
 * - a CSP allowing only our own stylesheet: no scripts, no plugins, no <base>, no framing; forms
 *   may post to us and be redirected to Xero's Authorize page, on the API host for OAuth 1.0a
 *   or the login host for OAuth 2.0 (Chrome applies form-action to the redirect after a post);
 * - `Referrer-Policy: same-origin`: URLs with pairing codes or OAuth verifiers never leave in a
 *   Referer, yet our own POSTs keep a real `Origin` (under `no-referrer` browsers send
 *   `Origin: null` and the same-origin check could not work);
 * - `no-store` unless a route chose otherwise: pages carry CSRF tokens and private details;
 * - HSTS for a year, only when the public URL is https (on http browsers ignore it).
 */
export function pageHeaders(config: Config): MiddlewareHandler {
  // OAuth 1.0a authorises on the API's host, OAuth 2.0 on the login host.
  const xeroOrigin = new URL(isOAuth2AppType(config.xero.appType) ? config.xero.loginUrl : config.xero.apiUrl).origin;
  const https = new URL(config.server.publicUrl).protocol === 'https:';
  const csp = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", `form-action 'self' ${xeroOrigin}`].join('; ');
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Referrer-Policy', 'same-origin');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
    if (https) headers.set('Strict-Transport-Security', 'max-age=31536000');
  };
}
