import { Secret } from '../lib/secret';
import { open, seal, type Keyring } from '../lib/secret-box';

/** OAuth 1.0a credentials for one organisation: all secret, all sealed at rest. */
export interface OAuth1Credentials {
  token: Secret;
  tokenSecret: Secret;
  sessionHandle: Secret | undefined;
}

/** One OAuth 2.0 grant's tokens: all secret, all sealed at rest. */
export interface OAuth2Credentials {
  accessToken: Secret;
  /** Absent for a custom connection, which asks for a new access token instead (client credentials). */
  refreshToken: Secret | undefined;
  /** The refresh token this one replaced; Xero takes it again until `graceUntil` if its answer was lost. */
  previousRefreshToken: Secret | undefined;
}

/** Either kind, told apart by its fields. */
export type Credentials = OAuth1Credentials | OAuth2Credentials;

export const isOAuth2Credentials = (credentials: Credentials): credentials is OAuth2Credentials => 'accessToken' in credentials;

// The row id is the associated data: a sealed value copied into another row does not open.
const aad = (id: string) => `token_sets:${id}`;

/** Seals credentials for the token set `id`. */
export function sealCredentials(keyring: Keyring, id: string, credentials: Credentials): string {
  const plain = isOAuth2Credentials(credentials)
    ? { accessToken: credentials.accessToken.reveal(), refreshToken: credentials.refreshToken?.reveal(), previousRefreshToken: credentials.previousRefreshToken?.reveal() }
    : { token: credentials.token.reveal(), tokenSecret: credentials.tokenSecret.reveal(), sessionHandle: credentials.sessionHandle?.reveal() };
  return seal(keyring, JSON.stringify(plain), aad(id));
}

const optional = (value: string | undefined) => (value === undefined ? undefined : new Secret(value));

/** Opens what `sealCredentials` sealed for the token set `id`. */
export function openOAuth1Credentials(keyring: Keyring, id: string, sealed: string): OAuth1Credentials {
  const plain = JSON.parse(open(keyring, sealed, aad(id))) as { token: string; tokenSecret: string; sessionHandle?: string };
  return { token: new Secret(plain.token), tokenSecret: new Secret(plain.tokenSecret), sessionHandle: optional(plain.sessionHandle) };
}

/** Opens what `sealCredentials` sealed for the OAuth 2.0 token set `id`. */
export function openOAuth2Credentials(keyring: Keyring, id: string, sealed: string): OAuth2Credentials {
  const plain = JSON.parse(open(keyring, sealed, aad(id))) as { accessToken: string; refreshToken?: string; previousRefreshToken?: string };
  return { accessToken: new Secret(plain.accessToken), refreshToken: optional(plain.refreshToken), previousRefreshToken: optional(plain.previousRefreshToken) };
}
