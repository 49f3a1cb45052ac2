import { isOAuth2AppType } from '../config/oauth2';
import type { OAuth2App, OAuth2Net } from '../domain/oauth2/app';
import { AppError } from '../lib/errors';
import type { Config } from '../config/types';
import type { XeroDeps } from './xero-app';

/**
 * The OAuth 2.0 app as configured. The client id is checked here, where it is needed, so
 * commands that never talk to Xero run without it; a secret is required for web apps and
 * custom connections and refused for PKCE apps, which must not ship one.
 */
export function oauth2App(config: Config): OAuth2App {
  const { appType, clientId, clientSecret, scopes, redirectUri, loginUrl, identityUrl } = config.xero;
  if (!isOAuth2AppType(appType)) throw new AppError('internal', `The ${appType} app type is OAuth 1.0a, not OAuth 2.0.`);
  if (clientId === '') {
    throw new AppError('invalid', 'xero.client_id: is empty.', { field: 'xero.client_id', hint: 'Set it to the client id of your app in the Xero developer portal (My Apps).' });
  }
  if (appType === 'oauth2_pkce' && !clientSecret.isEmpty) {
    throw new AppError('invalid', 'xero.client_secret: a PKCE app has no client secret; leave it empty.', { field: 'xero.client_secret', hint: 'Use app_type = "oauth2" if the app in the Xero developer portal is a web app with a secret.' });
  }
  if (appType !== 'oauth2_pkce' && clientSecret.isEmpty) {
    throw new AppError('invalid', `xero.client_secret: is empty; ${appType === 'oauth2' ? 'a web app' : 'a custom connection'} proves itself with it.`, {
      field: 'xero.client_secret',
      hint: 'Generate a secret for the app in the Xero developer portal and set it as "env:XERO_CLIENT_SECRET" or "file:PATH".',
    });
  }
  return { type: appType, clientId, clientSecret: appType === 'oauth2_pkce' ? undefined : clientSecret, scopes, redirectUri, loginUrl, identityUrl };
}

/** The network as the OAuth 2.0 domain functions take it. */
export const oauth2Net = (deps: XeroDeps): OAuth2Net => ({ transport: deps.transport });
