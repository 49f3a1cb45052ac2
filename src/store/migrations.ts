import type { Migration } from './migrate';

/** The proxy's schema, in order. Never edit a released migration: add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'sealed secrets',
    sql: `
      -- Secrets the proxy holds (consumer secrets, keys), sealed with the key file's key.
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        sealed TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
