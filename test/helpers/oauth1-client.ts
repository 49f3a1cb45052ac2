/**
 * A TEST-ONLY OAuth 1.0a client: signs requests (HMAC-SHA1, RSA-SHA1) into an Authorization
 * header and drives the sandbox's app registration and three-legged flow. Written separately
 * from the sandbox's verifier (it imports nothing from src/sandbox/oauth1) so each checks the
 * other across the wire.
 */
import { createHmac, createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/oauth1/${name}`, import.meta.url), 'utf8');

/** The RSA key pair test apps sign with (see test/fixtures/oauth1/README.md). */
export const TEST_PRIVATE_KEY = fixture('rsa-private-key.pem');
export const TEST_CERTIFICATE = fixture('rsa-certificate.pem');
/** A valid certificate whose key is not RSA. */
export const EC_CERTIFICATE = fixture('ec-certificate.pem');

/** RFC 3986 encoding: encodeURIComponent leaves ! ' ( ) * alone, OAuth does not. */
export const oauthEncode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** Splits `a=1&b=x+y` into decoded pairs ("+" is a space, as in HTML forms). */
export function decodePairs(text: string): Array<[string, string]> {
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return text
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const [name = '', ...rest] = part.split('=');
      return [decode(name), decode(rest.join('='))];
    });
}

/** A token endpoint or problem answer as an object (last value wins). */
export const parseForm = (text: string): Record<string, string> => Object.fromEntries(decodePairs(text));

/** Encodes pairs for a form body, spaces as %20. */
export const encodeForm = (pairs: ReadonlyArray<readonly [string, string]>): string => pairs.map(([n, v]) => `${oauthEncode(n)}=${oauthEncode(v)}`).join('&');

export interface ClientCredentials {
  consumerKey: string;
  consumerSecret: string;
  signatureMethod: 'HMAC-SHA1' | 'RSA-SHA1' | 'PLAINTEXT';
  privateKeyPem?: string;
  token?: string;
  tokenSecret?: string;
}

export interface SignInput {
  method: string;
  url: string;
  credentials: ClientCredentials;
  /** Extra protocol parameters, e.g. oauth_callback, oauth_verifier, oauth_session_handle. */
  oauth?: Record<string, string>;
  /** A form body exactly as it will be sent (its parameters are signed). */
  form?: string;
  now?: () => Date;
  timestamp?: string;
  nonce?: string;
  realm?: string;
}

export interface Signed {
  authorization: string;
  baseString: string;
  signature: string;
  oauth: Record<string, string>;
}

/** Signs a request per RFC 5849 and returns the Authorization header. */
export function signRequest(input: SignInput): Signed {
  const { credentials } = input;
  const oauth: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(12).toString('hex'),
    oauth_signature_method: credentials.signatureMethod,
    oauth_timestamp: input.timestamp ?? String(Math.floor((input.now ?? (() => new Date()))().getTime() / 1000)),
    oauth_version: '1.0',
    ...(credentials.token !== undefined ? { oauth_token: credentials.token } : {}),
    ...input.oauth,
  };
  const url = new URL(input.url);
  const origin = `${url.protocol}//${url.host}`.toLowerCase(); // URL already drops :80 and :443
  const all: Array<[string, string]> = [...decodePairs(url.search.slice(1)), ...(input.form ? decodePairs(input.form) : []), ...Object.entries(oauth)];
  const normalized = all
    .map(([n, v]) => [oauthEncode(n), oauthEncode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  const baseString = `${input.method.toUpperCase()}&${oauthEncode(origin + url.pathname)}&${oauthEncode(normalized)}`;
  let signature: string;
  if (credentials.signatureMethod === 'RSA-SHA1') {
    signature = createSign('RSA-SHA1').update(baseString).sign(credentials.privateKeyPem ?? TEST_PRIVATE_KEY, 'base64');
  } else {
    const key = `${oauthEncode(credentials.consumerSecret)}&${oauthEncode(credentials.tokenSecret ?? '')}`;
    signature = credentials.signatureMethod === 'PLAINTEXT' ? key : createHmac('sha1', key).update(baseString).digest('base64');
  }
  const header = [...(input.realm !== undefined ? [['realm', input.realm]] : []), ...Object.entries(oauth), ['oauth_signature', signature]];
  return { authorization: `OAuth ${header.map(([n, v]) => `${oauthEncode(n!)}="${oauthEncode(v!)}"`).join(', ')}`, baseString, signature, oauth };
}

/** Signs and sends a request; `form` is sent as application/x-www-form-urlencoded. */
export async function oauthFetch(input: SignInput & { headers?: Record<string, string> }): Promise<Response> {
  const signed = signRequest(input);
  const headers: Record<string, string> = { Authorization: signed.authorization, ...input.headers };
  if (input.form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return fetch(input.url, { method: input.method, headers, ...(input.form !== undefined ? { body: input.form } : {}), redirect: 'manual' });
}

export interface TestApp {
  consumerKey: string;
  consumerSecret: string;
  type: 'private' | 'public' | 'partner';
  organisationId: string | null;
  credentials: ClientCredentials;
}

/** Registers an app with the sandbox; private and partner apps get the fixture certificate. */
export async function registerApp(sandboxUrl: string, type: TestApp['type'], extra: Record<string, unknown> = {}): Promise<TestApp> {
  const rsa = type !== 'public';
  const response = await fetch(`${sandboxUrl}/sandbox/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, ...(rsa ? { certificatePem: TEST_CERTIFICATE } : {}), ...extra }),
  });
  if (response.status !== 201) throw new Error(`registering a ${type} app failed: ${response.status} ${await response.text()}`);
  const app = (await response.json()) as { consumerKey: string; consumerSecret: string; organisationId: string | null };
  const credentials: ClientCredentials = {
    consumerKey: app.consumerKey,
    consumerSecret: app.consumerSecret,
    signatureMethod: rsa ? 'RSA-SHA1' : 'HMAC-SHA1',
    ...(rsa ? { privateKeyPem: TEST_PRIVATE_KEY } : {}),
    // A private app's token is its consumer key.
    ...(type === 'private' ? { token: app.consumerKey } : {}),
  };
  return { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, type, organisationId: app.organisationId, credentials };
}

/** Step 1: a request token. */
export async function getRequestToken(sandboxUrl: string, app: TestApp, options: { callback?: string; now?: () => Date } = {}): Promise<{ token: string; secret: string }> {
  const response = await oauthFetch({
    method: 'POST',
    url: `${sandboxUrl}/oauth/RequestToken`,
    credentials: app.credentials,
    oauth: { oauth_callback: options.callback ?? 'http://localhost:9999/callback' },
    ...(options.now ? { now: options.now } : {}),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`RequestToken failed: ${response.status} ${text}`);
  const form = parseForm(text);
  return { token: form['oauth_token']!, secret: form['oauth_token_secret']! };
}

/** Step 2, without a browser: POST /sandbox/authorize. */
export async function approve(
  sandboxUrl: string,
  oauthToken: string,
  organisationId?: string,
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ redirect: string | null; verifier: string | null; organisationId: string | null }> {
  const response = await fetch(`${sandboxUrl}/sandbox/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oauthToken, decision, ...(organisationId ? { organisationId } : {}) }),
  });
  if (response.status !== 200) throw new Error(`authorize failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { redirect: string | null; verifier: string | null; organisationId: string | null };
}

/** Step 3: swap the authorised request token for an access token; returns the raw answer. */
export async function exchange(sandboxUrl: string, app: TestApp, request: { token: string; secret: string }, verifier: string, now?: () => Date): Promise<Response> {
  return oauthFetch({
    method: 'POST',
    url: `${sandboxUrl}/oauth/AccessToken`,
    credentials: { ...app.credentials, token: request.token, tokenSecret: request.secret },
    oauth: { oauth_verifier: verifier },
    ...(now ? { now } : {}),
  });
}

export interface LinkedToken {
  token: string;
  secret: string;
  sessionHandle: string | undefined;
  orgMuid: string;
  answer: Record<string, string>;
}

/** RequestToken → scripted Allow → AccessToken, for a public or partner app. */
export async function linkApp(sandboxUrl: string, app: TestApp, options: { organisationId?: string; now?: () => Date } = {}): Promise<LinkedToken> {
  const request = await getRequestToken(sandboxUrl, app, options.now ? { now: options.now } : {});
  const approval = await approve(sandboxUrl, request.token, options.organisationId);
  const response = await exchange(sandboxUrl, app, request, approval.verifier!, options.now);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`AccessToken failed: ${response.status} ${text}`);
  const answer = parseForm(text);
  return { token: answer['oauth_token']!, secret: answer['oauth_token_secret']!, sessionHandle: answer['oauth_session_handle'], orgMuid: answer['xero_org_muid']!, answer };
}

/**
 * Partner renewal: the current (possibly expired) token and its session handle, with the handle
 * sent where different SDKs put it: the Authorization header (Xero-Net, xero-node), the query
 * (pyxero), a form body, or a GET query (XeroOAuth-PHP).
 */
export function renew(
  sandboxUrl: string,
  app: TestApp,
  current: { token: string; secret: string },
  sessionHandle: string,
  options: { via?: 'header' | 'query' | 'form' | 'get'; now?: () => Date } = {},
): Promise<Response> {
  const via = options.via ?? 'header';
  const query = via === 'query' || via === 'get' ? `?oauth_session_handle=${oauthEncode(sessionHandle)}` : '';
  return oauthFetch({
    method: via === 'get' ? 'GET' : 'POST',
    url: `${sandboxUrl}/oauth/AccessToken${query}`,
    credentials: withToken(app, current),
    ...(via === 'header' ? { oauth: { oauth_session_handle: sessionHandle } } : {}),
    ...(via === 'form' ? { form: `oauth_session_handle=${oauthEncode(sessionHandle)}` } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** `linkApp` for a partner app (the name the brief uses). */
export const linkPartner = linkApp;

/** The app's credentials with a linked token. */
export const withToken = (app: TestApp, linked: { token: string; secret: string }): ClientCredentials => ({ ...app.credentials, token: linked.token, tokenSecret: linked.secret });
