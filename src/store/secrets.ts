import type { Clock } from '../lib/clock';
import { open, seal, type Keyring } from '../lib/secret-box';
import { Secret } from '../lib/secret';
import type { Db } from './db';

// The associated data binds each ciphertext to its table and row name.
const aad = (name: string) => `secrets:${name}`;

/** Stores a secret sealed with the active key, replacing any earlier value. */
export function putSecret(db: Db, keyring: Keyring, clock: Clock, name: string, value: Secret): void {
  // Sealed inside the write's transaction, so a key rotation cannot come between the two.
  db.transaction(() => db.prepare('INSERT INTO secrets (name, sealed, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at').run(
    name,
    seal(keyring, value.reveal(), aad(name)),
    clock.now().toISOString(),
  )).immediate();
}

/** The secret stored under `name`, or `undefined`. */
export function findSecret(db: Db, keyring: Keyring, name: string): Secret | undefined {
  const row = db.prepare('SELECT sealed FROM secrets WHERE name = ?').get(name) as { sealed: string } | undefined;
  return row ? new Secret(open(keyring, row.sealed, aad(name))) : undefined;
}
