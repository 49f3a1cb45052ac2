import type { Db } from '../../store/db';
import { PAYROLL_TYPES, type Timesheet } from './model';

/**
 * An employee's timesheets whose period shares a day with `start`–`end` (stored dates), oldest
 * first. It reads inside the body with json_extract, which only Payroll AU needs, so it stays
 * beside the payroll code rather than in the shared documents store.
 */
export function overlappingTimesheets(db: Db, organisationId: string, employeeId: string, start: string, end: string): Timesheet[] {
  const rows = db
    .prepare(
      `SELECT body FROM documents
       WHERE organisation_id = ? AND type = ? AND json_extract(body, '$.EmployeeID') = ?
         AND json_extract(body, '$.StartDate') <= ? AND json_extract(body, '$.EndDate') >= ?
       ORDER BY seq`,
    )
    .all(organisationId, PAYROLL_TYPES.timesheet, employeeId.toLowerCase(), end, start) as Array<{ body: string }>;
  return rows.map((row) => JSON.parse(row.body) as Timesheet);
}
