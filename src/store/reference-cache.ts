import type { Db } from './db';

/** A list read from Xero and kept, with when it was read. */
export interface CachedList {
  items: unknown[];
  fetchedAt: string;
}

/** A cached list of an organisation (`accounts`, `payroll-employees` …), if one was read. */
export function findCachedList(db: Db, organisationId: string, kind: string): CachedList | undefined {
  const row = db.prepare('SELECT body, fetched_at FROM reference_cache WHERE organisation_id = ? AND kind = ?').get(organisationId, kind) as { body: string; fetched_at: string } | undefined;
  return row ? { items: JSON.parse(row.body) as unknown[], fetchedAt: row.fetched_at } : undefined;
}

/** Keeps a list just read from Xero, replacing the older copy. */
export function saveCachedList(db: Db, organisationId: string, kind: string, list: CachedList): void {
  db.prepare('INSERT INTO reference_cache (organisation_id, kind, body, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT(organisation_id, kind) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at').run(
    organisationId,
    kind,
    JSON.stringify(list.items),
    list.fetchedAt,
  );
}
