import type { Clock } from '../lib/clock';
import type { Db } from './db';

/** The payroll API an organisation was set to (Australian organisations only), if ever set. */
export function findPayrollApiSetting(db: Db, organisationId: string): '1.0' | '2.0' | undefined {
  return (db.prepare('SELECT payroll_api FROM organisation_payroll WHERE organisation_id = ?').pluck().get(organisationId) as '1.0' | '2.0' | undefined) ?? undefined;
}

/** Records the payroll API an organisation's timesheets go to. */
export function savePayrollApiSetting(db: Db, clock: Clock, organisationId: string, api: '1.0' | '2.0'): void {
  db.prepare(
    `INSERT INTO organisation_payroll (organisation_id, payroll_api, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(organisation_id) DO UPDATE SET payroll_api = excluded.payroll_api, updated_at = excluded.updated_at`,
  ).run(organisationId, api, clock.now().toISOString());
}
