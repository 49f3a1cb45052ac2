import type { Clock } from '../lib/clock';
import type { Db } from '../store/db';

/**
 * Organisation classes (the plan an organisation is on), as Xero's OpenAPI file lists them.
 * @see xero_accounting.yaml, components.schemas.Organisation.Class
 */
export const ORGANISATION_CLASSES = [
  'DEMO', 'TRIAL', 'STARTER', 'STANDARD', 'PREMIUM', 'PREMIUM_20', 'PREMIUM_50', 'PREMIUM_100', 'LEDGER', 'GST_CASHBOOK',
  'NON_GST_CASHBOOK', 'ULTIMATE', 'LITE', 'ULTIMATE_10', 'ULTIMATE_20', 'ULTIMATE_50', 'ULTIMATE_100', 'IGNITE', 'GROW',
  'COMPREHENSIVE', 'SIMPLE', 'BASICLITE', 'ULTRA',
] as const;
export type OrganisationClass = (typeof ORGANISATION_CLASSES)[number];

/** PARTNER organisations are sold through accountants with restricted functionality. */
export const EDITIONS = ['BUSINESS', 'PARTNER'] as const;
export type Edition = (typeof EDITIONS)[number];

/**
 * The settings of an organisation that Xero's API enforces or reports: lock dates (stored
 * like document dates, `YYYY-MM-DDT00:00:00`), Class and Edition, and the plan's caps on
 * approved invoices (ACCREC) and bills (ACCPAY) per calendar month of the document date.
 */
export interface OrganisationSettings {
  /** "Stop all users except advisers" making changes on and before this date. */
  periodLockDate: string | undefined;
  /** "Stop all users" making changes on and before this date. */
  endOfYearLockDate: string | undefined;
  class: OrganisationClass;
  edition: Edition;
  approvedInvoicesPerMonth: number | undefined;
  approvedBillsPerMonth: number | undefined;
}

/** A sandbox organisation before anyone changes its settings: no locks, no caps. */
export const DEFAULT_SETTINGS: OrganisationSettings = {
  periodLockDate: undefined,
  endOfYearLockDate: undefined,
  class: 'STANDARD',
  edition: 'BUSINESS',
  approvedInvoicesPerMonth: undefined,
  approvedBillsPerMonth: undefined,
};

interface SettingsRow {
  period_lock_date: string | null;
  end_of_year_lock_date: string | null;
  class: string;
  edition: string;
  approved_invoices_per_month: number | null;
  approved_bills_per_month: number | null;
}

/** The organisation's settings, or the defaults when none were ever set. */
export function findOrganisationSettings(db: Db, organisationId: string): OrganisationSettings {
  const row = db.prepare('SELECT * FROM organisation_settings WHERE organisation_id = ?').get(organisationId) as SettingsRow | undefined;
  if (!row) return DEFAULT_SETTINGS;
  return {
    periodLockDate: row.period_lock_date ?? undefined,
    endOfYearLockDate: row.end_of_year_lock_date ?? undefined,
    class: row.class as OrganisationClass,
    edition: row.edition as Edition,
    approvedInvoicesPerMonth: row.approved_invoices_per_month ?? undefined,
    approvedBillsPerMonth: row.approved_bills_per_month ?? undefined,
  };
}

/** Replaces the organisation's settings. */
export function saveOrganisationSettings(db: Db, organisationId: string, settings: OrganisationSettings, clock: Clock): void {
  db.prepare(
    `INSERT INTO organisation_settings (organisation_id, period_lock_date, end_of_year_lock_date, class, edition, approved_invoices_per_month, approved_bills_per_month, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(organisation_id) DO UPDATE SET period_lock_date = excluded.period_lock_date, end_of_year_lock_date = excluded.end_of_year_lock_date,
       class = excluded.class, edition = excluded.edition, approved_invoices_per_month = excluded.approved_invoices_per_month,
       approved_bills_per_month = excluded.approved_bills_per_month, updated_at = excluded.updated_at`,
  ).run(
    organisationId,
    settings.periodLockDate ?? null,
    settings.endOfYearLockDate ?? null,
    settings.class,
    settings.edition,
    settings.approvedInvoicesPerMonth ?? null,
    settings.approvedBillsPerMonth ?? null,
    clock.now().toISOString(),
  );
}
