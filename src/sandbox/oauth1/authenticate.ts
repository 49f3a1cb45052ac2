import type { MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findAccessToken } from './access-tokens';
import { RequestChecker, type TokenSpec } from './check';
import { problems, REVOKED_ADVICE, sendProblem } from './problems';
import { readSignedRequest } from './signed-request';

/** The organisation an API call's token is good for, and whether the token is still usable. */
interface ApiToken {
  organisationId: string;
  /** undefined for a private app's consumer-key token, which never expires. */
  expiresAt: string | undefined;
  state: 'active' | 'superseded' | 'revoked';
}

/**
 * Verifies the OAuth 1.0a signature of every API call and names the caller in `c.get('auth')`.
 * Private apps sign RSA-SHA1 with the consumer key as `oauth_token` (never expiring, fixed
 * organisation); public and partner apps with an access token that lives 30 minutes by the
 * sandbox clock. A renewed or revoked token is `token_rejected`, an old one `token_expired`.
 * @see PROTOCOL.md §1.2, §2.2
 */
export function oauth1Authenticate(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  const checker = new RequestChecker(deps);
  const spec: TokenSpec<ApiToken> = {
    required: ['oauth_token'],
    resolveToken: (app, token) => {
      if (app.type === 'private') {
        if (token !== app.consumerKey) return problems.tokenRejected('A private application signs with its consumer key as the oauth_token');
        return { secret: '', value: { organisationId: app.organisationId!, expiresAt: undefined, state: 'active' } };
      }
      const found = findAccessToken(deps.db, token!);
      if (!found || found.consumerKey !== app.consumerKey) return problems.tokenRejected(REVOKED_ADVICE);
      return { secret: found.secret, value: found };
    },
  };

  return async (c, next) => {
    const checked = checker.check(await readSignedRequest(c), spec);
    if (!checked.ok) return sendProblem(c, checked.problem);
    const { app, token } = checked;
    if (token.state !== 'active') return sendProblem(c, problems.tokenRejected(REVOKED_ADVICE));
    if (token.expiresAt && deps.clock.now().getTime() >= Date.parse(token.expiresAt)) return sendProblem(c, problems.tokenExpired());
    c.set('auth', { consumerKey: app.consumerKey, appType: app.type, organisationId: token.organisationId, token: checked.protocol.get('oauth_token')! });
    await next();
  };
}
