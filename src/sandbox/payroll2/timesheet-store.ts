import type { Db } from '../../store/db';
import { findDocument, listDocuments, replaceDocument } from '../store/documents';
import { PAYROLL_TYPES, type EarningsRate, type PayrollCalendar, type PayrollEmployee } from '../payroll/model';
import { TIMESHEET2_TYPE, totalHoursOf, type Timesheet2 } from './model';
import type { Timesheet2Lookups } from './validate-timesheet';

/** An organisation's 2.0 timesheet by id, or undefined. */
export function findTimesheet2(db: Db, organisationId: string, id: string): Timesheet2 | undefined {
  return findDocument<Timesheet2>(db, organisationId, TIMESHEET2_TYPE, id);
}

/** Every 2.0 timesheet of an organisation, oldest first. */
export function listTimesheets2(db: Db, organisationId: string): Timesheet2[] {
  return listDocuments<Timesheet2>(db, organisationId, TIMESHEET2_TYPE);
}

/** Stores a timesheet (new or changed) with its total hours and `updatedDateUTC` set. */
export function saveTimesheet2(db: Db, organisationId: string, timesheet: Timesheet2, now: Date): Timesheet2 {
  const saved: Timesheet2 = { ...timesheet, totalHours: totalHoursOf(timesheet.timesheetLines), updatedDateUTC: now.toISOString().slice(0, 23) };
  replaceDocument(db, organisationId, TIMESHEET2_TYPE, saved.timesheetID, saved, now.toISOString());
  return saved;
}

/** Removes a timesheet; whether there was one. */
export function deleteTimesheet2(db: Db, organisationId: string, id: string): boolean {
  return db.prepare('DELETE FROM documents WHERE organisation_id = ? AND type = ? AND id = ?').run(organisationId, TIMESHEET2_TYPE, id.toLowerCase()).changes === 1;
}

/** The look-ups a 2.0 timesheet check needs, answered from the organisation's documents. */
export function timesheet2Lookups(db: Db, organisationId: string): Timesheet2Lookups {
  return {
    employee: (id) => findDocument<PayrollEmployee>(db, organisationId, PAYROLL_TYPES.employee, id),
    calendar: (id) => findDocument<PayrollCalendar>(db, organisationId, PAYROLL_TYPES.calendar, id),
    earningsRate: (id) => findDocument<EarningsRate>(db, organisationId, PAYROLL_TYPES.earningsRate, id),
    overlapping: (employeeId, start, end) =>
      listTimesheets2(db, organisationId).filter((t) => t.employeeID.toLowerCase() === employeeId.toLowerCase() && t.startDate.slice(0, 10) <= end && t.endDate.slice(0, 10) >= start),
  };
}
