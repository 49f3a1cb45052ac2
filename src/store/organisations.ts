import type { Clock } from '../lib/clock';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { Db } from './db';
import { statement } from './statements';

export type LinkState = 'linked' | 'needs_relink' | 'disconnected';
export type AppType = 'private' | 'public' | 'partner' | 'oauth2' | 'oauth2_pkce' | 'custom_connection';

/** A Xero organisation the proxy is linked to. */
export interface Organisation {
  id: string;
  xeroOrganisationId: string;
  name: string;
  shortCode: string | null;
  countryCode: string | null;
  baseCurrency: string | null;
  appType: AppType;
  tokenSetId: string | null;
  /** OAuth 2.0: the tenant id every call sends as `xero-tenant-id`. */
  tenantId: string | null;
  /** OAuth 2.0: the connection (this app's access to this tenant) that disconnecting deletes. */
  connectionId: string | null;
  linkState: LinkState;
  relinkReason: string | null;
  /** Xero's `Class` (the plan, e.g. STARTER) as last read from Xero; null until read. */
  planClass: string | null;
  /** Xero's `Edition` (`BUSINESS` or `PARTNER`) as last read from Xero; null until read. */
  edition: string | null;
  /** Xero's `PeriodLockDate` (`YYYY-MM-DD`) as last read: no posting on or before it; null when none. */
  periodLockDate: string | null;
  /** Xero's `EndOfYearLockDate` (`YYYY-MM-DD`) as last read; null when none. */
  endOfYearLockDate: string | null;
  /** When the plan, edition and lock dates were last read from Xero; null until read. */
  factsReadAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface OrganisationRow {
  id: string;
  xero_organisation_id: string;
  name: string;
  short_code: string | null;
  country_code: string | null;
  base_currency: string | null;
  app_type: AppType;
  token_set_id: string | null;
  tenant_id: string | null;
  connection_id: string | null;
  link_state: LinkState;
  relink_reason: string | null;
  plan_class: string | null;
  edition: string | null;
  period_lock_date: string | null;
  end_of_year_lock_date: string | null;
  facts_read_at: string | null;
  created_at: string;
  updated_at: string;
}

const toOrganisation = (row: OrganisationRow): Organisation => ({
  id: row.id,
  xeroOrganisationId: row.xero_organisation_id,
  name: row.name,
  shortCode: row.short_code,
  countryCode: row.country_code,
  baseCurrency: row.base_currency,
  appType: row.app_type,
  tokenSetId: row.token_set_id,
  tenantId: row.tenant_id,
  connectionId: row.connection_id,
  linkState: row.link_state,
  relinkReason: row.relink_reason,
  planClass: row.plan_class,
  edition: row.edition,
  periodLockDate: row.period_lock_date ?? null,
  endOfYearLockDate: row.end_of_year_lock_date ?? null,
  factsReadAt: row.facts_read_at ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function findOrganisation(db: Db, id: string): Organisation | undefined {
  const row = statement(db, 'SELECT * FROM organisations WHERE id = ?').get(id) as OrganisationRow | undefined;
  return row ? toOrganisation(row) : undefined;
}

/** Finds by our id, Xero's OrganisationID, short code or exact name (what an operator types). */
export function findOrganisationByAnyName(db: Db, text: string): Organisation | undefined {
  const row = db
    .prepare('SELECT * FROM organisations WHERE id = ? OR xero_organisation_id = ? OR short_code = ? OR name = ? ORDER BY created_at LIMIT 1')
    .get(text, text, text, text) as OrganisationRow | undefined;
  return row ? toOrganisation(row) : undefined;
}

export function getOrganisation(db: Db, text: string): Organisation {
  const found = findOrganisationByAnyName(db, text);
  if (!found) throw new AppError('not_found', `No linked organisation is called "${text}".`, { hint: 'List organisations with `xero-proxy org list`.' });
  return found;
}

export function findOrganisationByXeroId(db: Db, xeroOrganisationId: string): Organisation | undefined {
  const row = db.prepare('SELECT * FROM organisations WHERE xero_organisation_id = ?').get(xeroOrganisationId) as OrganisationRow | undefined;
  return row ? toOrganisation(row) : undefined;
}

export function listOrganisations(db: Db): Organisation[] {
  return (db.prepare('SELECT * FROM organisations ORDER BY created_at, name').all() as OrganisationRow[]).map(toOrganisation);
}

/** Organisations whose credentials live in one token set. */
export function organisationsOfTokenSet(db: Db, tokenSetId: string): Organisation[] {
  return (db.prepare('SELECT * FROM organisations WHERE token_set_id = ?').all(tokenSetId) as OrganisationRow[]).map(toOrganisation);
}

/** What Xero tells about an organisation, as linking records it. */
export type OrganisationDetails = Pick<Organisation, 'xeroOrganisationId' | 'name' | 'shortCode' | 'countryCode' | 'baseCurrency' | 'appType'> &
  Partial<Pick<Organisation, 'tenantId' | 'connectionId' | 'planClass' | 'edition'>> &
  /** The lock dates as Xero answered them (absent from the answer: none); omitted, the recorded ones stay. */
  { lockDates?: { periodLockDate: string | null; endOfYearLockDate: string | null } };

/**
 * Records a (re)linked organisation with its token set; a relink keeps our id, devices and jobs.
 * A plan class or edition Xero did not send (an XML answer) keeps the one recorded before; lock
 * dates given replace the recorded ones (Xero leaves out a date that is not set).
 */
export function upsertLinkedOrganisation(db: Db, clock: Clock, details: OrganisationDetails, tokenSetId: string | null): Organisation {
  const now = clock.now().toISOString();
  const saved = upsertRow(db, now, details, tokenSetId);
  if (details.lockDates) {
    db.prepare('UPDATE organisations SET period_lock_date = ?, end_of_year_lock_date = ?, facts_read_at = ? WHERE id = ?').run(details.lockDates.periodLockDate, details.lockDates.endOfYearLockDate, now, saved.id);
    return findOrganisation(db, saved.id)!;
  }
  return saved;
}

function upsertRow(db: Db, now: string, details: OrganisationDetails, tokenSetId: string | null): Organisation {
  db.prepare(
    `INSERT INTO organisations (id, xero_organisation_id, name, short_code, country_code, base_currency, app_type, token_set_id, tenant_id, connection_id, plan_class, edition, link_state, relink_reason, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'linked', NULL, ?, ?)
     ON CONFLICT(xero_organisation_id) DO UPDATE SET name = excluded.name, short_code = excluded.short_code, country_code = excluded.country_code,
       base_currency = excluded.base_currency, app_type = excluded.app_type, token_set_id = excluded.token_set_id,
       tenant_id = excluded.tenant_id, connection_id = excluded.connection_id,
       plan_class = COALESCE(excluded.plan_class, organisations.plan_class), edition = COALESCE(excluded.edition, organisations.edition),
       link_state = 'linked', relink_reason = NULL, updated_at = excluded.updated_at`,
  ).run(newId('org'), details.xeroOrganisationId, details.name, details.shortCode, details.countryCode, details.baseCurrency, details.appType, tokenSetId, details.tenantId ?? null, details.connectionId ?? null, details.planClass ?? null, details.edition ?? null, now, now);
  return findOrganisationByXeroId(db, details.xeroOrganisationId)!;
}

/** Moves organisations to `needs_relink` with a reason a person can act on; their work is kept. */
export function markNeedsRelink(db: Db, clock: Clock, organisationIds: readonly string[], reason: string): void {
  const update = db.prepare("UPDATE organisations SET link_state = 'needs_relink', relink_reason = ?, updated_at = ? WHERE id = ? AND link_state = 'linked'");
  for (const id of organisationIds) update.run(reason, clock.now().toISOString(), id);
}

/** Marks an organisation disconnected (its token set is dropped by the caller). */
export function markDisconnected(db: Db, clock: Clock, id: string): void {
  db.prepare("UPDATE organisations SET link_state = 'disconnected', token_set_id = NULL, relink_reason = 'Disconnected by the administrator.', updated_at = ? WHERE id = ?").run(
    clock.now().toISOString(),
    id,
  );
}
