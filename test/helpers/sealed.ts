import { open, type Keyring } from '../../src/lib/secret-box';
import type { Db } from '../../src/store/db';
import { KEY_CHECK_PREFIX, SEALED_COLUMNS, sealedCountsByKey, tablesOf } from '../../src/store/sealed-values';

/**
 * Every stored secret opened with `keyring` (key checks left out), keyed `table:row`: what a test
 * compares before and after a rotation or a restore. Throws if any one does not open.
 */
export function openEverySecret(db: Db, keyring: Keyring): Map<string, string> {
  const opened = new Map<string, string>();
  const tables = tablesOf(db);
  for (const { table, column, id } of SEALED_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows = db.prepare(`SELECT ${id} AS rowId, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`).all() as Array<{ rowId: string; sealed: string }>;
    for (const row of rows) {
      if (table === 'secrets' && row.rowId.startsWith(KEY_CHECK_PREFIX)) continue;
      opened.set(`${table}:${row.rowId}`, open(keyring, row.sealed, `${table}:${row.rowId}`));
    }
  }
  return opened;
}

/** Which key ids the stored secrets are sealed with, and the key checks there are: `{ k2: 5 }`, `['k2']`. */
export function sealedWith(db: Db): { values: Record<string, number>; checks: string[] } {
  const checks = db.prepare(`SELECT substr(name, ${KEY_CHECK_PREFIX.length + 1}) FROM secrets WHERE name LIKE 'key-check:%' ORDER BY name`).pluck().all() as string[];
  return { values: Object.fromEntries(sealedCountsByKey(db)), checks };
}
