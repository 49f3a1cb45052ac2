import { AppError } from '../../lib/errors';
import { encodeForm } from '../oauth1/form-encoding';

/** Every URL the proxy calls, derived from one base (`xero.api_url`). */
export interface XeroEndpoints {
  requestToken: string;
  authorize: string;
  accessToken: string;
  /** The Accounting API root, e.g. https://api.xero.com/api.xro/2.0 */
  accounting: string;
  /** The Payroll AU API root, e.g. https://api.xero.com/payroll.xro/1.0 */
  payroll: string;
  /** Payroll UK, NZ and AU 2.0's root, e.g. https://api.xero.com/payroll.xro/2.0 */
  payroll2: string;
  /** OAuth 2.0: the tenants a grant reaches, e.g. https://api.xero.com/connections */
  connections: string;
}

/**
 * Derives Xero's endpoints from a base URL such as https://api.xero.com or the sandbox's
 * http://127.0.0.1:9090. A path prefix (a reverse proxy at https://host/xero) is kept.
 * @see PROTOCOL.md §1.1; https://developer.xero.com/documentation/auth-and-limits/partner-applications
 */
export function xeroEndpoints(apiUrl: string): XeroEndpoints {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new AppError('invalid', `xero.api_url: "${apiUrl}" is not an absolute URL.`, { field: 'xero.api_url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('invalid', 'xero.api_url: must be an http or https URL.', { field: 'xero.api_url' });
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new AppError('invalid', 'xero.api_url: must not have a query, fragment, user name or password.', { field: 'xero.api_url' });
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return {
    requestToken: `${base}/oauth/RequestToken`,
    authorize: `${base}/oauth/Authorize`,
    accessToken: `${base}/oauth/AccessToken`,
    accounting: `${base}/api.xro/2.0`,
    payroll: `${base}/payroll.xro/1.0`,
    payroll2: `${base}/payroll.xro/2.0`,
    connections: `${base}/connections`,
  };
}

/**
 * The page to send the user to so they can approve a request token. Extra parameters (Payroll's
 * `scope`, `redirectOnError`) are appended after the token.
 * @see PROTOCOL.md §1.1
 */
export function authorizeUrl(apiUrl: string, requestToken: string, extra: ReadonlyArray<readonly [string, string]> = []): string {
  if (requestToken === '') throw new AppError('invalid', 'The request token is empty.');
  return `${xeroEndpoints(apiUrl).authorize}?${encodeForm([['oauth_token', requestToken], ...extra])}`;
}
