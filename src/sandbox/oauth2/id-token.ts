import type { Db } from '../../store/db';
import type { Issued } from './token-grants';
import { signJwt } from './signing-key';

/** The one user the sandbox signs in: fixed so tests and the demo can rely on it. */
export const SANDBOX_USER = {
  id: 'a2d7c0f6-5c1e-4d0b-9f3a-5ad0b0000001',
  email: 'owner@sandbox.invalid',
  givenName: 'Sandbox',
  familyName: 'Owner',
} as const;

const ID_TOKEN_SECONDS = 300;

/**
 * An OpenID Connect ID token for the sandbox user, RS256-signed with the key the JWKS serves.
 * It carries no `nbf`: some clients compare it with their own clock and the sandbox's clock can
 * be moved forward.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export function idToken(db: Db, issuer: string, clientId: string, issued: Issued, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  return signJwt(db, now, {
    iss: issuer,
    aud: clientId,
    sub: SANDBOX_USER.id,
    iat,
    exp: iat + ID_TOKEN_SECONDS,
    auth_time: iat,
    ...(issued.nonce !== undefined ? { nonce: issued.nonce } : {}),
    xero_userid: SANDBOX_USER.id,
    global_session_id: issued.grant.authEventId,
    sid: issued.grant.authEventId,
    email: SANDBOX_USER.email,
    given_name: SANDBOX_USER.givenName,
    family_name: SANDBOX_USER.familyName,
    preferred_username: SANDBOX_USER.email,
  });
}
