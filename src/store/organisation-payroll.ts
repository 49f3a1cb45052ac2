import { payrollApiFor, type PayrollApi } from '../domain/documents/payroll-api';
import type { Clock } from '../lib/clock';
import type { Db } from './db';
import { findOrganisation } from './organisations';

/** The payroll API an organisation was set to (Australian organisations only), if ever set. */
export function findPayrollApiSetting(db: Db, organisationId: string): '1.0' | '2.0' | undefined {
  return (db.prepare('SELECT payroll_api FROM organisation_payroll WHERE organisation_id = ?').pluck().get(organisationId) as '1.0' | '2.0' | undefined) ?? undefined;
}

/** The payroll API the organisation's timesheets go to now (1.0 for an organisation whose country is not yet known). */
export function payrollApiOf(db: Db, organisationId: string): PayrollApi {
  return payrollApiFor(findOrganisation(db, organisationId)?.countryCode ?? null, findPayrollApiSetting(db, organisationId)) ?? '1.0';
}

/** Records the payroll API an organisation's timesheets go to. */
export function savePayrollApiSetting(db: Db, clock: Clock, organisationId: string, api: '1.0' | '2.0'): void {
  db.prepare(
    `INSERT INTO organisation_payroll (organisation_id, payroll_api, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(organisation_id) DO UPDATE SET payroll_api = excluded.payroll_api, updated_at = excluded.updated_at`,
  ).run(organisationId, api, clock.now().toISOString());
}

/**
 * An organisation's timesheet jobs that have not reached Xero and are known not to have (never
 * sent, refused, or given up on before any send could land): those a change of payroll API may
 * rebuild for the new API.
 */
export function unsentTimesheetJobs(db: Db, organisationId: string): Array<{ id: string; kind: 'timesheet'; organisationId: string; documentKey: string }> {
  return db
    .prepare(
      `SELECT id, kind, organisation_id AS organisationId, document_key AS documentKey FROM jobs
       WHERE organisation_id = ? AND kind = 'timesheet' AND status IN ('queued', 'held', 'failed', 'dead') AND outcome_unknown = 0 AND xero_id IS NULL
       ORDER BY rowid`,
    )
    .all(organisationId) as Array<{ id: string; kind: 'timesheet'; organisationId: string; documentKey: string }>;
}
