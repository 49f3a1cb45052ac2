import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { jsonObject } from '../http/json-body';
import { listOrganisations } from '../organisations';
import { describeOAuth2App, listOAuth2Apps } from './apps';
import { AUTHORIZE_PARAMETERS, checkAuthorizeRequest, decideAuthorization } from './authorize';
import { registerOAuth2App } from './register-app';

/**
 * The control API's OAuth 2.0 part, mounted at /sandbox/oauth2: register apps, approve or deny
 * an authorize request without a browser, and adjust the app-wide limit and key retention.
 */
export function sandboxOAuth2Routes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post('/apps', async (c) => c.json(describeOAuth2App(registerOAuth2App(deps.db, deps.clock, await jsonObject(c.req)), { withSecret: true }), 201));
  app.get('/apps', (c) => c.json({ apps: listOAuth2Apps(deps.db).map((registered) => describeOAuth2App(registered, { withSecret: false })) }));

  // Body: { authorizeUrl } or the authorize parameters themselves, plus organisationIds and decision.
  app.post('/authorize', async (c) => {
    const body = await jsonObject(c.req);
    const params = authorizeParameters(body);
    const decision = body['decision'] ?? 'allow';
    if (decision !== 'allow' && decision !== 'deny') throw new AppError('invalid', 'decision: must be "allow" or "deny".', { field: 'decision' });
    const ids = body['organisationIds'] ?? [listOrganisations(deps.db)[0]?.id];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new AppError('invalid', 'organisationIds: must be a list of organisation ids.', { field: 'organisationIds' });
    const checked = checkAuthorizeRequest(deps, (name) => params.get(name) ?? undefined);
    const redirect = checked.ok ? decideAuthorization(deps, checked.request, ids as string[], decision) : checked.redirect;
    return c.json({ redirect });
  });

  app.get('/settings', (c) => c.json(deps.oauth2.settings));
  app.put('/settings', async (c) => c.json(deps.oauth2.update(await jsonObject(c.req))));

  return app;
}

function authorizeParameters(body: Record<string, unknown>): URLSearchParams {
  const url = body['authorizeUrl'];
  if (url !== undefined) {
    if (typeof url !== 'string') throw new AppError('invalid', 'authorizeUrl: must be the URL of /identity/connect/authorize with its query.', { field: 'authorizeUrl' });
    try {
      return new URL(url).searchParams;
    } catch {
      throw new AppError('invalid', 'authorizeUrl: must be the URL of /identity/connect/authorize with its query.', { field: 'authorizeUrl' });
    }
  }
  const params = new URLSearchParams();
  for (const name of AUTHORIZE_PARAMETERS) {
    const value = body[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new AppError('invalid', `${name}: must be a string.`, { field: name });
    params.set(name, value);
  }
  return params;
}
