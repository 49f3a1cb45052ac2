import { existsSync } from 'node:fs';
import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { open, seal, type BoxKey, type Keyring } from '../lib/secret-box';
import { immediate, openDatabase, type Db } from './db';
import { retiredKeyIds } from './key-states';
import { KEY_CHECK_PREFIX, SEALED_COLUMNS, tablesOf } from './sealed-values';

const CHECK_VALUE = 'xero-proxy key check';
const checkName = (keyId: string) => `${KEY_CHECK_PREFIX}${keyId}`;
// The same associated data as any other row of `secrets`, so the name is bound to the value.
const checkAad = (keyId: string) => `secrets:${checkName(keyId)}`;

/** What `verifyKeyring` found: every key of the keyring either matched its check or got one. */
export interface KeyCheckResult {
  /** Key ids whose stored check opened with the key. */
  verified: string[];
  /** Key ids whose check was written now: first used with this database, or proven on one of its older sealed values. */
  created: string[];
}

/** Where the key and the database are, for messages: a key file path or `storage.encryption_key`. */
export interface KeyCheckPlaces {
  keySource: string;
  database: string;
}

/**
 * Checks that the keyring is the one this database was sealed with, before anything is read or
 * accepted: each key opens its stored check, or, without one, one of the values sealed under its
 * id (a database from before checks existed); a key id the database has never seen gets its check
 * now. Throws `invalid` naming the key id when a key is wrong or one the database needs is absent.
 * @example verifyKeyring(db, loadKeyring(config), systemClock, { keySource: keyFilePath(config), database: path })
 */
export function verifyKeyring(db: Db, keyring: Keyring, clock: Clock, places: KeyCheckPlaces): KeyCheckResult {
  const checks = readChecks(db);
  const samples = sealedSamples(db);
  const missing = [...new Set([...checks.keys(), ...samples.keys()])].filter((id) => !keyring.all.has(id)).sort();
  if (missing.length > 0) throw missingKeyError(missing, [...keyring.all.keys()], places);
  const result: KeyCheckResult = { verified: [], created: [] };
  const unchecked: BoxKey[] = [];
  // A key a rotation retired stays in the key file until the rotation's last step, and may be
  // kept there for old backups: it must never get a check again, which would make it needed.
  const retired = retiredKeyIds(db);
  for (const key of keyring.all.values()) {
    if (retired.has(key.id)) continue;
    const check = checks.get(key.id);
    if (check !== undefined) {
      if (!opens(key, check, checkAad(key.id))) throw wrongKeyError(key.id, places);
      result.verified.push(key.id);
    } else {
      const values = samples.get(key.id) ?? [];
      if (values.length > 0 && !values.some((value) => opens(key, value.sealed, value.aad))) throw wrongKeyError(key.id, places);
      unchecked.push(key);
    }
  }
  if (unchecked.length > 0) {
    immediate(db, () => {
      const insert = db.prepare('INSERT INTO secrets (name, sealed, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING');
      for (const key of unchecked) insert.run(checkName(key.id), seal({ active: key, all: new Map([[key.id, key]]) }, CHECK_VALUE, checkAad(key.id)), clock.now().toISOString());
    });
    // Another process may have written a check at the same moment; the stored one is what counts.
    const stored = readChecks(db);
    for (const key of unchecked) {
      if (!opens(key, stored.get(key.id)!, checkAad(key.id))) throw wrongKeyError(key.id, places);
      result.created.push(key.id);
    }
  }
  return result;
}

/** The key ids a database needs: those it holds checks for and those its sealed values name, sorted. */
export function neededKeyIds(db: Db): string[] {
  return [...new Set([...readChecks(db).keys(), ...sealedSamples(db).keys()])].sort();
}

/**
 * Makes `key` the only key with a check: its check is written (or kept) and every other key's is
 * dropped, so the database needs no other key. Run in the transaction that sealed everything
 * with it (a key rotation, a restore).
 */
export function keepOnlyCheckOf(db: Db, key: BoxKey, clock: Clock): void {
  db.prepare('DELETE FROM secrets WHERE substr(name, 1, ?) = ? AND name <> ?').run(KEY_CHECK_PREFIX.length, KEY_CHECK_PREFIX, checkName(key.id));
  const stored = readChecks(db).get(key.id);
  if (stored !== undefined && opens(key, stored, checkAad(key.id))) return;
  db.prepare('INSERT INTO secrets (name, sealed, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at').run(
    checkName(key.id),
    seal({ active: key, all: new Map([[key.id, key]]) }, CHECK_VALUE, checkAad(key.id)),
    clock.now().toISOString(),
  );
}

/**
 * Refuses (`invalid`) a missing key file beside a database that needs a key: it is never answered
 * with a new key, which could not open what the old one sealed. The database file is only read.
 * Does nothing when the key file exists, or the database does not or holds nothing sealed.
 */
export function refuseWithoutKey(databasePath: string, keyPath: string): void {
  if (existsSync(keyPath) || !existsSync(databasePath)) return;
  const db = openDatabase(databasePath, { migrations: [], readOnly: true });
  let needed: string[];
  try {
    needed = neededKeyIds(db);
  } finally {
    db.close();
  }
  if (needed.length === 0) return;
  throw new AppError('invalid', `The key file ${keyPath} is missing, and the database ${databasePath} holds values sealed with ${keyList(needed)}.`, {
    hint: 'Restore the key file that belongs to this database, or a backup of it; `xero-proxy init` will not make a new key here.',
  });
}

function wrongKeyError(keyId: string, places: KeyCheckPlaces): AppError {
  return new AppError('invalid', `The key ${keyId} in ${places.keySource} is not the key this database was sealed with.`, {
    hint: `Restore the key file that belongs to ${places.database}, or a backup of it; never run \`xero-proxy init\` to replace it, as a new key cannot open what is sealed.`,
  });
}

function missingKeyError(missing: readonly string[], present: readonly string[], places: KeyCheckPlaces): AppError {
  return new AppError('invalid', `The database ${places.database} needs ${keyList(missing)}, but ${places.keySource} holds only ${present.join(', ')}.`, {
    hint: `Restore the key file that belongs to this database, or a backup of it; a key of another id cannot open what ${keyList(missing)} sealed.`,
  });
}

const keyList = (ids: readonly string[]) => (ids.length === 1 ? `key ${ids[0]}` : `keys ${ids.join(', ')}`);

function opens(key: BoxKey, sealed: string, associatedData: string): boolean {
  try {
    open({ active: key, all: new Map([[key.id, key]]) }, sealed, associatedData);
    return true;
  } catch {
    return false;
  }
}

/** Each key id's stored check. */
function readChecks(db: Db): Map<string, string> {
  if (!tablesOf(db).has('secrets')) return new Map();
  const rows = db.prepare('SELECT substr(name, ?) AS keyId, sealed FROM secrets WHERE substr(name, 1, ?) = ?').all(KEY_CHECK_PREFIX.length + 1, KEY_CHECK_PREFIX.length, KEY_CHECK_PREFIX) as Array<{
    keyId: string;
    sealed: string;
  }>;
  return new Map(rows.map((row) => [row.keyId, row.sealed]));
}

/**
 * One sealed value per key id and sealed column (`v1.<keyId>.…`), with its associated data: the
 * key ids the database's values need, and a value to prove each key on. Checks are left out.
 */
function sealedSamples(db: Db): Map<string, Array<{ sealed: string; aad: string }>> {
  const tables = tablesOf(db);
  const samples = new Map<string, Array<{ sealed: string; aad: string }>>();
  for (const { table, column, id, aadSuffix } of SEALED_COLUMNS) {
    if (!tables.has(table)) continue;
    const skipChecks = table === 'secrets' ? `AND substr(name, 1, ${KEY_CHECK_PREFIX.length}) <> '${KEY_CHECK_PREFIX}'` : '';
    // A bare column beside GROUP BY takes its value from one row of the group: one value per key id.
    const rows = db
      .prepare(`SELECT substr(${column}, 4, instr(substr(${column}, 4), '.') - 1) AS keyId, ${column} AS sealed, ${id} AS rowId FROM ${table} WHERE ${column} LIKE 'v1.%' ${skipChecks} GROUP BY keyId`)
      .all() as Array<{ keyId: string; sealed: string; rowId: string }>;
    for (const row of rows) {
      if (row.keyId === '') continue;
      samples.set(row.keyId, [...(samples.get(row.keyId) ?? []), { sealed: row.sealed, aad: `${table}:${row.rowId}${aadSuffix}` }]);
    }
  }
  return samples;
}
