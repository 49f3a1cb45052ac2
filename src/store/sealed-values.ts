import { open, seal, type BoxKey, type Keyring } from '../lib/secret-box';
import type { Db } from './db';

/** Key checks live in `secrets` as `key-check:<keyId>`: a known value sealed with that key. */
export const KEY_CHECK_PREFIX = 'key-check:';

/**
 * Every sealed column, and the primary key its associated data names (`<table>:<id><aadSuffix>`).
 * A new sealed column belongs here, so a key that cannot open it is noticed before it is needed
 * and a key rotation seals it again.
 */
export const SEALED_COLUMNS = [
  { table: 'secrets', column: 'sealed', id: 'name', aadSuffix: '' },
  { table: 'token_sets', column: 'sealed', id: 'id', aadSuffix: '' },
  { table: 'certificates', column: 'sealed_private_key', id: 'id', aadSuffix: '' },
  { table: 'pairings', column: 'sealed_key', id: 'id', aadSuffix: '' },
  { table: 'link_requests', column: 'sealed_secret', id: 'id', aadSuffix: '' },
  { table: 'tls_certificates', column: 'sealed_private_key', id: 'role', aadSuffix: '' },
  // An administrator's TOTP secret, and the one offered at enrolment until a code confirms it.
  { table: 'administrators', column: 'totp_sealed', id: 'id', aadSuffix: ':totp' },
  { table: 'administrators', column: 'enrolment_sealed', id: 'id', aadSuffix: ':enrolment' },
  // The bytes of a file for a document at Xero, until delivered and past storage.retention_days.
  { table: 'attachments', column: 'sealed_content', id: 'job_id', aadSuffix: '' },
] as const;

// Key checks are written per key by key-check.ts, never carried from one key to another.
const notACheck = (table: string) => (table === 'secrets' ? `AND substr(name, 1, ${KEY_CHECK_PREFIX.length}) <> '${KEY_CHECK_PREFIX}'` : '');
// `v1.<keyId>.<packed>`: the key id is what lies between the first two dots.
const keyIdOf = (column: string) => `substr(${column}, 4, instr(substr(${column}, 4), '.') - 1)`;

/**
 * Seals every stored secret that is not sealed with `to` again with it, opening each with the
 * keys of `from` (retired ones included); returns how many. `everything` seals every one again,
 * for a restored database whose key ids may name other keys than this machine's. Run inside one
 * transaction: a value that does not open throws, and nothing is changed.
 */
export function resealAll(db: Db, from: Keyring, to: BoxKey, options: { everything?: boolean } = {}): number {
  const opener: Keyring = { active: from.active, all: new Map([...(from.retired ?? new Map()), ...from.all]) };
  const sealer: Keyring = { active: to, all: new Map([[to.id, to]]) };
  const tables = tablesOf(db);
  let count = 0;
  for (const { table, column, id, aadSuffix } of SEALED_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows = db
      .prepare(`SELECT ${id} AS rowId, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL AND (? OR ${keyIdOf(column)} <> ?) ${notACheck(table)}`)
      .all(options.everything ? 1 : 0, to.id) as Array<{ rowId: string; sealed: string }>;
    const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${id} = ?`);
    for (const row of rows) {
      const aad = `${table}:${row.rowId}${aadSuffix}`;
      update.run(seal(sealer, open(opener, row.sealed, aad), aad), row.rowId);
      count += 1;
    }
  }
  return count;
}

/** How many stored secrets each key id seals, key checks left out: what `key rotate` leaves under an old key is 0. */
export function sealedCountsByKey(db: Db): Map<string, number> {
  const tables = tablesOf(db);
  const counts = new Map<string, number>();
  for (const { table, column } of SEALED_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows = db.prepare(`SELECT ${keyIdOf(column)} AS keyId, COUNT(*) AS n FROM ${table} WHERE ${column} LIKE 'v1.%' ${notACheck(table)} GROUP BY keyId`).all() as Array<{ keyId: string; n: number }>;
    for (const row of rows) counts.set(row.keyId, (counts.get(row.keyId) ?? 0) + row.n);
  }
  return counts;
}

/** The tables a database has (one being checked may be from an older schema). */
export function tablesOf(db: Db): Set<string> {
  return new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
}
