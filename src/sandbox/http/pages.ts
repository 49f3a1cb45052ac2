import type { Context } from 'hono';
import { isAppError } from '../../lib/errors';
import type { SandboxEnv } from '../deps';
import { renderMessagePage } from '../oauth1/authorize-page';

/** A page of the sandbox's authorisation screens, uncached, unframeable, with no scripts. */
export function htmlPage(c: Context<SandboxEnv>, html: string, status: 200 | 400 = 200): Response {
  return c.html(html, status, {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
}

/**
 * An authorisation request that cannot be used gets a page saying why (400), never a redirect
 * (Xero cannot trust where it would send it) and never a stack trace.
 */
export function authorizationErrorPage(c: Context<SandboxEnv>, error: unknown): Response {
  if (!isAppError(error) || error.code === 'internal') throw error;
  c.set('problem', error.message);
  return htmlPage(c, renderMessagePage('This authorisation cannot continue', error.message), 400);
}
