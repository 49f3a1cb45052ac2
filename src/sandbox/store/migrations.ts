import type { Migration } from '../../store/migrate';

/** The sandbox's own schema (its own database file, never the proxy's). */
export const SANDBOX_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'sandbox core',
    sql: `
      CREATE TABLE meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        legal_name TEXT NOT NULL,
        short_code TEXT NOT NULL UNIQUE,
        country_code TEXT NOT NULL,
        base_currency TEXT NOT NULL,
        timezone TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE apps (
        consumer_key TEXT PRIMARY KEY,
        app_type TEXT NOT NULL CHECK (app_type IN ('private', 'public', 'partner')),
        name TEXT NOT NULL,
        consumer_secret TEXT NOT NULL,
        certificate_pem TEXT,
        organisation_id TEXT REFERENCES organisations(id),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE request_tokens (
        token TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        consumer_key TEXT NOT NULL REFERENCES apps(consumer_key) ON DELETE CASCADE,
        callback TEXT NOT NULL,
        verifier TEXT,
        organisation_id TEXT REFERENCES organisations(id),
        state TEXT NOT NULL CHECK (state IN ('pending', 'authorized', 'denied', 'used')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE access_tokens (
        token TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        consumer_key TEXT NOT NULL REFERENCES apps(consumer_key) ON DELETE CASCADE,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        session_handle TEXT,
        expires_at TEXT NOT NULL,
        authorization_expires_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('active', 'superseded', 'revoked')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX access_tokens_by_handle ON access_tokens(session_handle);

      CREATE TABLE nonces (
        consumer_key TEXT NOT NULL,
        token TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        nonce TEXT NOT NULL,
        PRIMARY KEY (consumer_key, token, timestamp, nonce)
      ) STRICT, WITHOUT ROWID;

      -- Every document the API holds, in Xero's JSON shape; the rowid orders the ledger.
      CREATE TABLE documents (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        number TEXT,
        reference TEXT,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (organisation_id, type, id)
      ) STRICT;
      CREATE INDEX documents_by_number ON documents(organisation_id, type, number);
      CREATE INDEX documents_by_reference ON documents(organisation_id, type, reference);

      CREATE TABLE request_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        status INTEGER NOT NULL,
        organisation_id TEXT,
        consumer_key TEXT,
        content_type TEXT,
        request_body TEXT,
        problem TEXT
      ) STRICT;
    `,
  },
  {
    id: 2,
    name: 'oauth 2.0 identity',
    sql: `
      CREATE TABLE oauth2_apps (
        client_id TEXT PRIMARY KEY,
        app_type TEXT NOT NULL CHECK (app_type IN ('web', 'pkce', 'custom_connection')),
        name TEXT NOT NULL,
        client_secret TEXT,
        redirect_uris TEXT NOT NULL,
        scopes TEXT NOT NULL,
        tenant_id TEXT REFERENCES organisations(id),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE oauth2_codes (
        code TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES oauth2_apps(client_id) ON DELETE CASCADE,
        redirect_uri TEXT NOT NULL,
        scope TEXT NOT NULL,
        nonce TEXT,
        code_challenge TEXT,
        organisation_ids TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      ) STRICT;

      -- One user's authorisation of one app: its refresh tokens, access tokens and connections.
      CREATE TABLE oauth2_grants (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES oauth2_apps(client_id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        auth_event_id TEXT NOT NULL,
        revoked_at TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE oauth2_connections (
        id TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES oauth2_grants(id) ON DELETE CASCADE,
        tenant_id TEXT NOT NULL REFERENCES organisations(id),
        auth_event_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (grant_id, tenant_id)
      ) STRICT;

      -- A rotated token names its successor; the chain is how a replay is recognised.
      CREATE TABLE oauth2_refresh_tokens (
        token TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES oauth2_grants(id) ON DELETE CASCADE,
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        replaced_by TEXT,
        rotated_at TEXT
      ) STRICT;
      CREATE INDEX oauth2_refresh_tokens_by_grant ON oauth2_refresh_tokens(grant_id);

      CREATE TABLE oauth2_access_tokens (
        token TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES oauth2_grants(id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX oauth2_access_tokens_by_grant ON oauth2_access_tokens(grant_id);

      CREATE TABLE oauth2_idempotency_keys (
        client_id TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        content_type TEXT,
        body TEXT,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (client_id, tenant_id, key)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE oauth2_signing_keys (
        kid TEXT PRIMARY KEY,
        private_key_pem TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 3,
    name: 'organisation settings',
    sql: `
      -- What Xero's settings screens hold and its API enforces: lock dates, the plan (Class,
      -- Edition) and the plan's monthly approval caps. No row means Xero's defaults.
      CREATE TABLE organisation_settings (
        organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
        period_lock_date TEXT,
        end_of_year_lock_date TEXT,
        class TEXT NOT NULL,
        edition TEXT NOT NULL CHECK (edition IN ('BUSINESS', 'PARTNER')),
        approved_invoices_per_month INTEGER CHECK (approved_invoices_per_month >= 0),
        approved_bills_per_month INTEGER CHECK (approved_bills_per_month >= 0),
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    id: 20,
    name: 'attachments',
    sql: `
      -- Files attached to documents (/{Endpoint}/{id}/Attachments/{FileName}), bytes and all.
      -- document_id is the document's id, lower-case, as the documents table keeps it.
      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id),
        endpoint TEXT NOT NULL,
        document_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        content BLOB NOT NULL,
        include_online INTEGER NOT NULL CHECK (include_online IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attachments_by_document ON attachments(organisation_id, endpoint, document_id, created_at);
    `,
  },
  {
    id: 22,
    name: 'documents remember the app that created them',
    sql: `
      -- Which app (OAuth 1.0a consumer key or OAuth 2.0 client id) created a document through the
      -- API, for GET /Invoices?createdByMyApp=true; NULL for what a person or the demo data made.
      ALTER TABLE documents ADD COLUMN created_by_app TEXT;
      CREATE INDEX documents_by_app ON documents(organisation_id, type, created_by_app);
    `,
  },
];
