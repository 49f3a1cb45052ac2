import type { Clock } from '../lib/clock';
import type { Db } from '../store/db';

/** A sandbox organisation, as `/sandbox/organisations` lists it. */
export interface SandboxOrganisation {
  id: string;
  name: string;
  legalName: string;
  shortCode: string;
  countryCode: string;
  baseCurrency: string;
  timezone: string;
}

/**
 * The demo organisations every fresh sandbox starts with. Ids are fixed so tests, the demo and
 * integrators' scripts can rely on them.
 */
export const DEMO_ORGANISATIONS: readonly SandboxOrganisation[] = [
  { id: '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0001', name: 'Harbourside Café', legalName: 'Harbourside Café Pty Ltd', shortCode: '!Hb7Cf', countryCode: 'AU', baseCurrency: 'AUD', timezone: 'AUSEASTERNSTANDARDTIME' },
  { id: '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0002', name: 'Riverbend Medical Practice', legalName: 'Riverbend Medical Practice Pty Ltd', shortCode: '!Rv3Md', countryCode: 'AU', baseCurrency: 'AUD', timezone: 'AUSEASTERNSTANDARDTIME' },
  { id: '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0003', name: 'Kauri Hardware', legalName: 'Kauri Hardware Limited', shortCode: '!Kr9Hw', countryCode: 'NZ', baseCurrency: 'NZD', timezone: 'NEWZEALANDSTANDARDTIME' },
  { id: '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0004', name: 'Thames Bakery', legalName: 'Thames Bakery Ltd', shortCode: '!Th4Bk', countryCode: 'GB', baseCurrency: 'GBP', timezone: 'GMTSTANDARDTIME' },
];

interface OrganisationRow {
  id: string;
  name: string;
  legal_name: string;
  short_code: string;
  country_code: string;
  base_currency: string;
  timezone: string;
}

const fromRow = (row: OrganisationRow): SandboxOrganisation => ({
  id: row.id,
  name: row.name,
  legalName: row.legal_name,
  shortCode: row.short_code,
  countryCode: row.country_code,
  baseCurrency: row.base_currency,
  timezone: row.timezone,
});

export function listOrganisations(db: Db): SandboxOrganisation[] {
  return (db.prepare('SELECT * FROM organisations ORDER BY created_at, id').all() as OrganisationRow[]).map(fromRow);
}

export function findOrganisation(db: Db, id: string): SandboxOrganisation | undefined {
  const row = db.prepare('SELECT * FROM organisations WHERE id = ?').get(id) as OrganisationRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function insertOrganisation(db: Db, org: SandboxOrganisation, clock: Clock): void {
  db.prepare(
    'INSERT INTO organisations (id, name, legal_name, short_code, country_code, base_currency, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(org.id, org.name, org.legalName, org.shortCode, org.countryCode, org.baseCurrency, org.timezone, clock.now().toISOString());
}
