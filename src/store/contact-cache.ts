import type { ContactKey } from '../domain/xero/contact-lookup';
import type { Clock } from '../lib/clock';
import type { Db } from './db';

/**
 * How long a contact found at Xero is trusted before it is looked up again: contacts are merged,
 * archived and renamed in Xero without telling the proxy, so a day's trust bounds the damage to
 * a refusal that also drops the entry (forgetContact).
 */
export const FOUND_CONTACT_MS = 24 * 3600_000;
/** How long "Xero has no such contact" holds: long enough for a batch to create it once, short enough for a contact added in Xero meanwhile. */
export const ABSENT_CONTACT_MS = 10 * 60_000;

/** What the cache knows of one key: the contact it finds, or that Xero has none. */
export interface CachedContact {
  contactId: string | null;
  contactName: string | null;
  foundAt: string;
}

/** The cache's fresh entry for a key, or undefined when none or stale (ask Xero). */
export function findCachedContact(db: Db, clock: Clock, organisationId: string, key: ContactKey): CachedContact | undefined {
  const row = db.prepare('SELECT contact_id, contact_name, found_at FROM contact_cache WHERE organisation_id = ? AND key_kind = ? AND key_value = ?').get(organisationId, key.kind, key.value) as
    | { contact_id: string | null; contact_name: string | null; found_at: string }
    | undefined;
  if (!row) return undefined;
  const age = clock.now().getTime() - Date.parse(row.found_at);
  if (age > (row.contact_id === null ? ABSENT_CONTACT_MS : FOUND_CONTACT_MS)) return undefined;
  return { contactId: row.contact_id, contactName: row.contact_name, foundAt: row.found_at };
}

/** Records what Xero said about a key: the contact it finds, or null for none. */
export function saveCachedContact(db: Db, clock: Clock, organisationId: string, key: ContactKey, contact: { id: string; name: string } | null): void {
  db.prepare(
    `INSERT INTO contact_cache (organisation_id, key_kind, key_value, contact_id, contact_name, found_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(organisation_id, key_kind, key_value) DO UPDATE SET contact_id = excluded.contact_id, contact_name = excluded.contact_name, found_at = excluded.found_at`,
  ).run(organisationId, key.kind, key.value, contact?.id ?? null, contact?.name ?? null, clock.now().toISOString());
}

/** Forgets every key that found a contact (Xero refused it as archived), so the next document asks again. */
export function forgetContact(db: Db, organisationId: string, contactId: string): number {
  return db.prepare('DELETE FROM contact_cache WHERE organisation_id = ? AND lower(contact_id) = lower(?)').run(organisationId, contactId).changes;
}

/** Forgets what the cache knows of some keys (Xero said a name is taken, so "none" was wrong). */
export function forgetContactKeys(db: Db, organisationId: string, keys: readonly ContactKey[]): void {
  const remove = db.prepare('DELETE FROM contact_cache WHERE organisation_id = ? AND key_kind = ? AND key_value = ?');
  for (const key of keys) remove.run(organisationId, key.kind, key.value);
}

/** How many contacts the organisation's cache holds (the organisation page shows it). */
export function countCachedContacts(db: Db, organisationId: string): number {
  return db.prepare('SELECT COUNT(DISTINCT contact_id) FROM contact_cache WHERE organisation_id = ? AND contact_id IS NOT NULL').pluck().get(organisationId) as number;
}

/** Forgets what was found before `before` (ISO time): the retention rule's, so no contact's name or e-mail outlives it. */
export function forgetContactsFoundBefore(db: Db, before: string): number {
  return db.prepare('DELETE FROM contact_cache WHERE found_at < ?').run(before).changes;
}
