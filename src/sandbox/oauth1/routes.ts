import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { authorizationErrorPage, htmlPage } from '../http/pages';
import { listOrganisations } from '../organisations';
import { findAccessToken, type AccessToken } from './access-tokens';
import { findApp } from './apps';
import { renderAuthorizePage, renderMessagePage, renderVerifierPage } from './authorize-page';
import { authorizeRequestToken, findPendingRequestToken } from './authorize';
import { RequestChecker, type TokenSpec } from './check';
import { accessTokenAnswer, exchangeRequestToken, issueRequestToken, renewAccessToken } from './grant';
import { OAuthProblem, problems, sendForm, sendProblem, unexpectedToken } from './problems';
import { findRequestToken, type RequestToken } from './request-tokens';
import { sandboxOAuthRoutes } from './sandbox-routes';
import { readSignedRequest } from './signed-request';

/**
 * Xero's OAuth 1.0a endpoints (RequestToken, Authorize, AccessToken) plus the control API's
 * app registration and scripted approval under /sandbox. Mounted at '/'.
 * @see PROTOCOL.md §1
 */
export function oauth1Routes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const checker = new RequestChecker(deps);
  const specs = tokenSpecs(deps);

  // POST is Xero's documented verb; some SDKs used GET, which Xero also answered.
  app.on(['GET', 'POST'], '/oauth/RequestToken', async (c) => {
    const checked = checker.check(await readSignedRequest(c), specs.requestToken);
    if (!checked.ok) return sendProblem(c, checked.problem);
    const issued = issueRequestToken(deps, checked.app, checked.protocol.get('oauth_callback')!);
    if (issued instanceof OAuthProblem) return sendProblem(c, issued);
    return sendForm(c, [['oauth_token', issued.token], ['oauth_token_secret', issued.secret], ['oauth_callback_confirmed', 'true']]);
  });

  app.get('/oauth/Authorize', (c) => {
    try {
      const pending = findPendingRequestToken(deps, c.req.query('oauth_token') ?? '');
      const appName = findApp(deps.db, pending.consumerKey)?.name ?? 'The application';
      return htmlPage(c, renderAuthorizePage({ appName, oauthToken: pending.token, organisations: listOrganisations(deps.db) }));
    } catch (error) {
      return authorizationErrorPage(c, error);
    }
  });

  app.post('/oauth/Authorize', async (c) => {
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
    try {
      const token = text('oauth_token') ?? '';
      const appName = findApp(deps.db, findRequestToken(deps.db, token)?.consumerKey ?? '')?.name ?? 'The application';
      const outcome = authorizeRequestToken(deps, token, text('organisationId'), text('decision') === 'deny' ? 'deny' : 'allow');
      if (outcome.redirect) return c.redirect(outcome.redirect, 302);
      if (outcome.verifier && outcome.organisation) {
        return htmlPage(c, renderVerifierPage({ appName, verifier: outcome.verifier, organisationName: outcome.organisation.name }));
      }
      return htmlPage(c, renderMessagePage('Access denied', `${appName} will not be able to access your organisations. You can close this window.`));
    } catch (error) {
      return authorizationErrorPage(c, error);
    }
  });

  // XeroOAuth-PHP renewed with GET; everyone else POSTed.
  app.on(['GET', 'POST'], '/oauth/AccessToken', async (c) => {
    const request = await readSignedRequest(c);
    let outcome: AccessToken | OAuthProblem;
    if (request.protocol.has('oauth_session_handle')) {
      const checked = checker.check(request, specs.renewal);
      outcome = checked.ok ? renewAccessToken(deps, checked.app, checked.token, checked.protocol.get('oauth_session_handle')!) : checked.problem;
    } else {
      const checked = checker.check(request, specs.exchange);
      outcome = checked.ok ? exchangeRequestToken(deps, checked.app, checked.token, checked.protocol.get('oauth_verifier')!) : checked.problem;
    }
    if (outcome instanceof OAuthProblem) return sendProblem(c, outcome);
    return sendForm(c, accessTokenAnswer(outcome, deps.clock.now()));
  });

  app.route('/sandbox', sandboxOAuthRoutes(deps));
  return app;
}

/** How each token endpoint finds the token its requests are signed with. */
function tokenSpecs(deps: SandboxDeps): { requestToken: TokenSpec<undefined>; exchange: TokenSpec<RequestToken>; renewal: TokenSpec<AccessToken> } {
  return {
    requestToken: {
      required: ['oauth_callback'],
      resolveToken: (app) =>
        app.type === 'private'
          ? problems.permissionDenied('Private applications do not use request tokens; sign API calls with the consumer key as oauth_token')
          : { secret: '', value: undefined },
    },
    exchange: {
      required: ['oauth_token', 'oauth_verifier'],
      resolveToken: (app, token) => {
        const found = findRequestToken(deps.db, token!);
        if (!found || found.consumerKey !== app.consumerKey) return problems.tokenRejected(unexpectedToken(token!));
        return { secret: found.secret, value: found };
      },
    },
    renewal: {
      required: ['oauth_token', 'oauth_session_handle'],
      resolveToken: (app, token) => {
        const found = findAccessToken(deps.db, token!);
        if (!found || found.consumerKey !== app.consumerKey) return problems.tokenRejected(unexpectedToken(token!));
        return { secret: found.secret, value: found };
      },
    },
  };
}

