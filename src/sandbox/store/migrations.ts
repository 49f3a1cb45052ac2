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
];
