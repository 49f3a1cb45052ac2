import type { Db } from '../../store/db';
import { findOrganisation, type SandboxOrganisation } from '../organisations';

/** The two Xero payroll APIs: Payroll AU (`payroll.xro/1.0`) and Payroll UK/NZ/AU 2.0 (`payroll.xro/2.0`). */
export type PayrollApi = '1.0' | '2.0';

const metaKey = (organisationId: string) => `payroll-api:${organisationId.toLowerCase()}`;

/**
 * Which payroll API an organisation's payroll answers on: British and New Zealand payrolls only
 * ever had 2.0; an Australian one is on 1.0 until it is moved to 2.0 (a sandbox setting, as at
 * Xero an organisation is moved by Xero, not by the API). Others have no payroll: undefined.
 */
export function payrollApiOf(db: Db, organisation: SandboxOrganisation): PayrollApi | undefined {
  if (organisation.countryCode === 'GB' || organisation.countryCode === 'NZ') return '2.0';
  if (organisation.countryCode !== 'AU') return undefined;
  const row = db.prepare('SELECT value FROM meta WHERE name = ?').get(metaKey(organisation.id)) as { value: string } | undefined;
  return row?.value === '2.0' ? '2.0' : '1.0';
}

/** The API of the organisation with this id, if it exists and has a payroll. */
export function payrollApiOfId(db: Db, organisationId: string): PayrollApi | undefined {
  const organisation = findOrganisation(db, organisationId);
  return organisation ? payrollApiOf(db, organisation) : undefined;
}

/** Moves an Australian organisation's payroll to `api`. */
export function savePayrollApi(db: Db, organisationId: string, api: PayrollApi): void {
  db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(metaKey(organisationId), api);
}
