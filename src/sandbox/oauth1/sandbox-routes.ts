import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { jsonObject } from '../http/json-body';
import { listOrganisations } from '../organisations';
import { revokeAccessTokens } from './access-tokens';
import { describeApp, findApp, listApps, updateAppCertificate } from './apps';
import { authorizeRequestToken } from './authorize';
import { checkCertificatePem, registerApp } from './register-app';

/**
 * The control API's OAuth part, mounted at /sandbox: register apps, approve or deny a request
 * token without a browser, and revoke an app's access as a user could in Xero's settings.
 */
export function sandboxOAuthRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post('/apps', async (c) => c.json(describeApp(registerApp(deps.db, deps.clock, await jsonObject(c.req)), { withSecret: true }), 201));

  app.get('/apps', (c) => c.json({ apps: listApps(deps.db).map((registered) => describeApp(registered, { withSecret: false })) }));

  // Xero's portal let a developer upload a new certificate for an app; tokens and the consumer key stay.
  app.put('/apps/:consumerKey/certificate', async (c) => {
    const consumerKey = c.req.param('consumerKey');
    const found = findApp(deps.db, consumerKey);
    if (!found) throw new AppError('not_found', `No app has the consumer key ${consumerKey}.`, { field: 'consumerKey' });
    if (found.type === 'public') throw new AppError('invalid', 'certificatePem: not accepted for this app type: public apps sign with HMAC-SHA1 and take no certificate.', { field: 'certificatePem' });
    updateAppCertificate(deps.db, consumerKey, checkCertificatePem((await jsonObject(c.req))['certificatePem']));
    return c.json(describeApp(findApp(deps.db, consumerKey)!, { withSecret: false }));
  });

  app.post('/apps/:consumerKey/revoke', async (c) => {
    const consumerKey = c.req.param('consumerKey');
    if (!findApp(deps.db, consumerKey)) throw new AppError('not_found', `No app has the consumer key ${consumerKey}.`, { field: 'consumerKey' });
    const organisationId = optionalString(await jsonObject(c.req), 'organisationId');
    return c.json({ revoked: revokeAccessTokens(deps.db, consumerKey, organisationId) });
  });

  app.post('/authorize', async (c) => {
    const body = await jsonObject(c.req);
    const oauthToken = optionalString(body, 'oauthToken');
    if (!oauthToken) throw new AppError('invalid', 'oauthToken: required: the request token from /oauth/RequestToken.', { field: 'oauthToken' });
    const decision = body['decision'] ?? 'allow';
    if (decision !== 'allow' && decision !== 'deny') throw new AppError('invalid', 'decision: must be "allow" or "deny".', { field: 'decision' });
    // Allowing without naming an organisation picks the first, as the page preselects it.
    const organisationId = optionalString(body, 'organisationId') ?? listOrganisations(deps.db)[0]?.id;
    const outcome = authorizeRequestToken(deps, oauthToken, organisationId, decision);
    return c.json({ redirect: outcome.redirect, verifier: outcome.verifier, organisationId: outcome.organisation?.id ?? null });
  });

  return app;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new AppError('invalid', `${field}: must be a non-empty string.`, { field });
  return value;
}
