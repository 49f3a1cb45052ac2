import { addDay } from './dates';
import type { XeroTimesheet } from './xero-types';

/** A Payroll 2.0 timesheet as `POST /payroll.xro/2.0/Timesheets` takes it. */
export interface Payroll2Timesheet {
  /** Empty until known: the delivery step reads it from the employee when the cache has none. */
  payrollCalendarID: string;
  employeeID: string;
  startDate: string;
  endDate: string;
  timesheetLines: Array<{ date: string; earningsRateID: string; numberOfUnits: number; trackingItemID?: string }>;
}

/**
 * The payload of a timesheet job bound for Payroll 2.0: the timesheet, and whether it is to be
 * approved once created (its own call). `payrollApi` tells it from a Payroll AU 1.0 payload.
 */
export interface Payroll2TimesheetPayload {
  payrollApi: '2.0';
  approve: boolean;
  timesheet: Payroll2Timesheet;
}

/** Whether a job's payload is bound for Payroll 2.0. */
export function isPayroll2Payload(payload: Record<string, unknown>): boolean {
  return payload['payrollApi'] === '2.0';
}

/**
 * A timesheet with its ids resolved (as for Payroll AU: a number of units per day) in Payroll
 * 2.0's shape: one dated line per day and earnings rate that has units, the period as
 * `YYYY-MM-DD`, the pay run calendar the employee is on, and approval if the app asked for it
 * (`approve`, or Status APPROVED).
 * @example toPayroll2({ EmployeeID: 'e…', StartDate: '2026-11-16T00:00:00', EndDate: '2026-11-22T00:00:00', Status: 'APPROVED', TimesheetLines: [{ EarningsRateID: 'r…', NumberOfUnits: [8, 0, 0, 0, 0, 0, 0] }] }, 'c…').timesheet.timesheetLines // [{ date: '2026-11-16', earningsRateID: 'r…', numberOfUnits: 8 }]
 */
export function toPayroll2(converted: XeroTimesheet, payrollCalendarId: string | undefined): Payroll2TimesheetPayload {
  const startDate = converted.StartDate.slice(0, 10);
  const lines = converted.TimesheetLines.flatMap((line) =>
    line.NumberOfUnits.flatMap((units, day) =>
      units === 0 ? [] : [{ date: addDay(startDate, day), earningsRateID: line.EarningsRateID, numberOfUnits: units, ...(line.TrackingItemID ? { trackingItemID: line.TrackingItemID } : {}) }],
    ),
  );
  lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    payrollApi: '2.0',
    approve: converted.Status === 'APPROVED',
    timesheet: { payrollCalendarID: payrollCalendarId ?? '', employeeID: converted.EmployeeID, startDate, endDate: converted.EndDate.slice(0, 10), timesheetLines: lines },
  };
}
