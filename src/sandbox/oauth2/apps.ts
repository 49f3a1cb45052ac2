import type { Clock } from '../../lib/clock';
import type { Db } from '../../store/db';

export type OAuth2AppType = 'web' | 'pkce' | 'custom_connection';

/** An OAuth 2.0 app registered with the sandbox, as Xero's developer portal holds it. */
export interface OAuth2App {
  clientId: string;
  type: OAuth2AppType;
  name: string;
  /** undefined for a PKCE app, which has none. */
  clientSecret: string | undefined;
  redirectUris: string[];
  /** The scopes the app may be granted. */
  scopes: string[];
  /** A custom connection's one organisation. */
  tenantId: string | undefined;
  createdAt: string;
}

interface AppRow {
  client_id: string;
  app_type: OAuth2AppType;
  name: string;
  client_secret: string | null;
  redirect_uris: string;
  scopes: string;
  tenant_id: string | null;
  created_at: string;
}

const fromRow = (row: AppRow): OAuth2App => ({
  clientId: row.client_id,
  type: row.app_type,
  name: row.name,
  clientSecret: row.client_secret ?? undefined,
  redirectUris: JSON.parse(row.redirect_uris) as string[],
  scopes: JSON.parse(row.scopes) as string[],
  tenantId: row.tenant_id ?? undefined,
  createdAt: row.created_at,
});

export function insertOAuth2App(db: Db, app: OAuth2App): void {
  db.prepare(
    'INSERT INTO oauth2_apps (client_id, app_type, name, client_secret, redirect_uris, scopes, tenant_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(app.clientId, app.type, app.name, app.clientSecret ?? null, JSON.stringify(app.redirectUris), JSON.stringify(app.scopes), app.tenantId ?? null, app.createdAt);
}

export function findOAuth2App(db: Db, clientId: string): OAuth2App | undefined {
  const row = db.prepare('SELECT * FROM oauth2_apps WHERE client_id = ?').get(clientId) as AppRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function listOAuth2Apps(db: Db): OAuth2App[] {
  return (db.prepare('SELECT * FROM oauth2_apps ORDER BY created_at, client_id').all() as AppRow[]).map(fromRow);
}

/** What `/sandbox/oauth2/apps` shows of an app: the secret only in the registration answer. */
export function describeOAuth2App(app: OAuth2App, options: { withSecret: boolean }): Record<string, unknown> {
  return {
    clientId: app.clientId,
    ...(options.withSecret ? { clientSecret: app.clientSecret ?? null } : {}),
    type: app.type,
    name: app.name,
    redirectUris: app.redirectUris,
    scopes: app.scopes,
    tenant: app.tenantId ?? null,
    createdAt: app.createdAt,
  };
}

/** The web app the demo and integrators can use without registering one. */
export const DEMO_OAUTH2_APP = {
  clientId: 'DEMOOAUTH2CLIENTID00000000000001',
  clientSecret: 'DEMOOAUTH2SECRET-sandbox-only-not-a-real-secret-000001',
  redirectUri: 'http://localhost:8080/connect/oauth2/callback',
} as const;

/** Inserts the demo web app unless it is already there. */
export function ensureDemoOAuth2App(db: Db, clock: Clock, scopes: readonly string[]): void {
  if (findOAuth2App(db, DEMO_OAUTH2_APP.clientId)) return;
  insertOAuth2App(db, {
    clientId: DEMO_OAUTH2_APP.clientId,
    type: 'web',
    name: 'Xero Comms Proxy demo (OAuth 2.0)',
    clientSecret: DEMO_OAUTH2_APP.clientSecret,
    redirectUris: [DEMO_OAUTH2_APP.redirectUri],
    scopes: [...scopes],
    tenantId: undefined,
    createdAt: clock.now().toISOString(),
  });
}
