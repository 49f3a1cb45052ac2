import { invalid } from './invalid';
import { OAUTH2_APP_TYPES, type APP_TYPES } from './schema';

type AppType = (typeof APP_TYPES)[number];

const SCOPE = /^[A-Za-z][A-Za-z0-9._-]*$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether an app type speaks OAuth 2.0 (Bearer tokens and a tenant id). */
export function isOAuth2AppType(appType: AppType): appType is (typeof OAUTH2_APP_TYPES)[number] {
  return (OAUTH2_APP_TYPES as readonly string[]).includes(appType);
}

/**
 * Splits `xero.scopes` into scope names. Apps that link through a browser need `offline_access`:
 * without it Xero gives no refresh token and the link dies after 30 minutes.
 * @see PROTOCOL.md §6.3
 */
export function parseScopes(text: string, appType: AppType): readonly string[] {
  const scopes = text.split(/\s+/).filter((scope) => scope !== '');
  const bad = scopes.find((scope) => !SCOPE.test(scope));
  if (bad !== undefined) throw invalid('xero.scopes', `"${bad}" is not a scope name; separate scopes with spaces, e.g. "offline_access accounting.invoices"`);
  if ((appType === 'oauth2' || appType === 'oauth2_pkce') && !scopes.includes('offline_access')) {
    throw invalid('xero.scopes', 'must include offline_access, or Xero gives no refresh token and every link ends after 30 minutes');
  }
  return scopes;
}

/**
 * The OAuth 2.0 redirect URI: `xero.redirect_uri`, or the proxy's own callback under
 * `server.public_url`. Xero accepts https, or plain http only on localhost, so anything else
 * is refused here rather than at Xero's error page.
 * @see PROTOCOL.md §6.2
 */
export function checkRedirectUri(given: string, publicUrl: string, appType: AppType): string {
  const key = given === '' ? 'server.public_url' : 'xero.redirect_uri';
  const uri = given === '' ? `${publicUrl}/connect/oauth2/callback` : given;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(key, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(key, 'must be an http(s) URL');
  if (url.hash !== '') throw invalid(key, 'must not have a fragment (#…)');
  if ((appType === 'oauth2' || appType === 'oauth2_pkce') && url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    const hint = given === '' ? `; serve the proxy over https, or set xero.redirect_uri = "http://localhost:${url.port || '80'}/connect/oauth2/callback"` : '';
    throw invalid(key, `Xero accepts OAuth 2.0 redirects to https addresses, or to http only on localhost, not ${url.origin}${hint}`);
  }
  return uri;
}

/** Whether the redirect goes to this machine's loopback address, where a browser elsewhere cannot follow it. */
export function isLoopbackRedirect(redirectUri: string): boolean {
  return LOOPBACK.has(new URL(redirectUri).hostname);
}

/**
 * With a localhost redirect and the pages served elsewhere, a browser on another computer cannot
 * bring Xero's answer back by itself, so the person is shown where to paste it.
 */
export function answerNeedsPasting(config: { server: { publicUrl: string }; xero: { redirectUri: string } }): boolean {
  const { redirectUri } = config.xero;
  return isLoopbackRedirect(redirectUri) && new URL(redirectUri).origin !== new URL(config.server.publicUrl).origin;
}
