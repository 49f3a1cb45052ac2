import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { advance, bearerFetch, linkWebApp, registerOAuth2App, tokenRequest } from '../helpers/oauth2-client';
import { startTestSandbox } from '../helpers/sandbox';

const life = suite('oauth2.tokenLife');
const [HARBOURSIDE] = DEMO_ORGANISATIONS;

const putSettings = (url: string, body: unknown) => fetch(`${url}/sandbox/oauth2/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

life('access tokens last 1800 s as at Xero until accessTokenSeconds shortens them, for codes and refreshes alike', async () => {
  const sb = await startTestSandbox();
  try {
    const web = await registerOAuth2App(sb, { type: 'web' });
    assert.is((await linkWebApp(sb, web, [HARBOURSIDE!.id]))['expires_in'], 1800);
    assert.is(((await (await putSettings(sb.url, { accessTokenSeconds: 20 })).json()) as Record<string, unknown>)['accessTokenSeconds'], 20);
    const first = await linkWebApp(sb, web, [HARBOURSIDE!.id]);
    assert.is(first['expires_in'], 20);
    const token = first['access_token'] as string;
    // The sandbox clock also runs in real time: 18 s leaves room for a slow machine.
    await advance(sb, 18);
    assert.is((await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE!.id)).status, 200);
    await advance(sb, 2);
    const expired = await bearerFetch(sb, '/api.xro/2.0/Organisation', token, HARBOURSIDE!.id);
    assert.is(expired.status, 401, 'the token ends after the 20 seconds it was given');
    assert.match(expired.headers.get('www-authenticate') ?? '', /TokenExpired/);
    const refreshed = await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: first['refresh_token'] as string }, { id: web.clientId, secret: web.clientSecret! });
    assert.is(refreshed.status, 200);
    assert.is(refreshed.body['expires_in'], 20);
  } finally {
    await sb.stop();
  }
});

life('accessTokenSeconds must be a whole number of at least 1, and a refused change changes nothing', async () => {
  const sb = await startTestSandbox();
  try {
    for (const value of [0, -5, 1.5, '20']) {
      const response = await putSettings(sb.url, { accessTokenSeconds: value });
      assert.is(response.status, 400, JSON.stringify(value));
      assert.match(await response.text(), /accessTokenSeconds/);
    }
    const settings = (await (await fetch(`${sb.url}/sandbox/oauth2/settings`)).json()) as Record<string, unknown>;
    assert.is(settings['accessTokenSeconds'], 1800);
  } finally {
    await sb.stop();
  }
});

life.run();
