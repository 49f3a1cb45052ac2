import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';

/**
 * The API's OAuth 2.0 answers, in the JSON problem shape Xero uses for them.
 * @see PROTOCOL.md §2.3, §6.2
 */
export function sendApiProblem(c: Context<SandboxEnv>, status: 400 | 401 | 403 | 409 | 429, title: string, detail: string, headers: Record<string, string> = {}): Response {
  c.set('problem', detail);
  return c.json({ Type: null, Title: title, Status: status, Detail: detail, Instance: crypto.randomUUID(), Extensions: {} }, status, headers);
}

/** 401 for an expired, unknown or revoked access token, with the Bearer challenge. */
export function sendUnauthorized(c: Context<SandboxEnv>, detail: string): Response {
  const description = detail.replace(/"/g, "'");
  return sendApiProblem(c, 401, 'Unauthorized', detail, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` });
}

/** 403 AuthenticationUnsuccessful: a missing tenant header, or a tenant the grant does not cover. */
export const sendAuthenticationUnsuccessful = (c: Context<SandboxEnv>): Response => sendApiProblem(c, 403, 'Forbidden', 'AuthenticationUnsuccessful');

/** 403 AuthorizationUnsuccessful: the token lacks a scope the resource needs. */
export const sendAuthorizationUnsuccessful = (c: Context<SandboxEnv>): Response => sendApiProblem(c, 403, 'Forbidden', 'AuthorizationUnsuccessful');

/** Xero's wording of an expiry instant: `MM/dd/yyyy HH:mm:ss` (UTC). */
export function xeroExpiryTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
