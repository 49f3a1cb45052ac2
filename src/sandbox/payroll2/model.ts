/**
 * Payroll 2.0 timesheets as the sandbox stores them in `documents.body`: the API's camelCase
 * keys, dates as `YYYY-MM-DDT00:00:00`, timestamps as ISO-8601 UTC without a zone, ids as
 * lower-case GUIDs. Employees, earnings rates and calendars are the Payroll AU documents the
 * demo seeds, rendered in 2.0's shape (reference.ts).
 * @see xero-payroll-uk.yaml, xero-payroll-nz.yaml, xero-payroll-au-v2.yaml `Timesheet`
 */
export const TIMESHEET2_TYPE = 'PayrollTimesheet2';

/** UK and AU 2.0 statuses; NZ adds Requested (Xero Me's approval flow), which no API call sets. */
export type Timesheet2Status = 'Draft' | 'Approved' | 'Completed' | 'Requested';

export interface Timesheet2Line {
  timesheetLineID: string;
  date: string;
  earningsRateID: string;
  trackingItemID: string | null;
  numberOfUnits: number;
}

export interface Timesheet2 {
  timesheetID: string;
  payrollCalendarID: string;
  employeeID: string;
  startDate: string;
  endDate: string;
  status: Timesheet2Status;
  totalHours: number;
  updatedDateUTC: string;
  timesheetLines: Timesheet2Line[];
}

/** The sum of a timesheet's units, as `totalHours` shows it. */
export function totalHoursOf(lines: readonly Timesheet2Line[]): number {
  return Math.round(lines.reduce((sum, line) => sum + line.numberOfUnits, 0) * 10_000) / 10_000;
}
