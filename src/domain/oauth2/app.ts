import * as oauth from 'oauth4webapi';
import type { Secret } from '../../lib/secret';
import { networkError, type Transport } from '../xero/send';

/** A registered Xero OAuth 2.0 app, as the proxy is configured for it. */
export interface OAuth2App {
  type: 'oauth2' | 'oauth2_pkce' | 'custom_connection';
  clientId: string;
  /** Absent for a PKCE app, which has none. */
  clientSecret: Secret | undefined;
  scopes: readonly string[];
  redirectUri: string;
  /** e.g. https://login.xero.com */
  loginUrl: string;
  /** e.g. https://identity.xero.com */
  identityUrl: string;
}

/** The network, injected, and how long one exchange may take. */
export interface OAuth2Net {
  transport: Transport;
  timeoutMs?: number;
}

/**
 * Xero's identity server as oauth4webapi describes servers. The endpoints are fixed by Xero
 * (and copied by the sandbox), so they are derived from the two base URLs instead of being
 * discovered on every start.
 * @see PROTOCOL.md §6.1
 */
export function identityServer(app: OAuth2App): oauth.AuthorizationServer {
  return {
    issuer: app.identityUrl,
    authorization_endpoint: `${app.loginUrl}/identity/connect/authorize`,
    token_endpoint: `${app.identityUrl}/connect/token`,
    revocation_endpoint: `${app.identityUrl}/connect/revocation`,
  };
}

export const clientOf = (app: OAuth2App): oauth.Client => ({ client_id: app.clientId });

/**
 * How the app proves itself at the token endpoint: HTTP Basic with the secret, or only its
 * client_id in the body for PKCE. The Basic credentials are sent as Xero's own SDKs send them,
 * `base64(id:secret)` without form-encoding each part first: RFC 6749 §2.3.1 asks for that
 * encoding, but Xero's secrets use only letters, digits, `-` and `_`, which a server that decodes
 * reads the same either way, while a server that does not decode would refuse `%2D` and `%5F`
 * (oauth4webapi's ClientSecretBasic encodes them; panva/oauth4webapi#148, #199).
 * @see PROTOCOL.md §6.2 (xero-node `tokenRequest`), §6.5
 */
export function clientAuthOf(app: OAuth2App): oauth.ClientAuth {
  const secret = app.clientSecret;
  if (!secret || secret.isEmpty) return oauth.None();
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${client.client_id}:${secret.reveal()}`).toString('base64')}`);
  };
}

/** oauth4webapi's options for one exchange: our transport, a timeout, and plain http allowed only where configured (the sandbox). */
export function requestOptions(net: OAuth2Net, url: string): oauth.TokenEndpointRequestOptions & { signal: AbortSignal } {
  const timeoutMs = net.timeoutMs ?? 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  return {
    [oauth.customFetch]: async (target, init) => {
      try {
        return await net.transport(target, {
          method: init.method,
          headers: init.headers,
          ...(init.body !== undefined && init.body !== null ? { body: String(init.body) } : {}),
          signal,
          redirect: 'manual',
        });
      } catch (error) {
        throw networkError(error, new URL(target).host, signal.aborted ? timeoutMs : undefined, false);
      }
    },
    [oauth.allowInsecureRequests]: new URL(url).protocol === 'http:',
    signal,
  };
}
