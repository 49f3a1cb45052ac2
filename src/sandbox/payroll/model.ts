import type { CalendarType } from './pay-period';

/**
 * Payroll AU documents as the sandbox stores them in `documents.body`: Xero's JSON keys, dates
 * as `YYYY-MM-DDT00:00:00`, timestamps as ISO-8601 UTC, ids as lower-case GUIDs.
 * @see xero-payroll-au.yaml `Employee`, `EarningsRate`, `PayrollCalendar`, `Timesheet`
 */
export const PAYROLL_TYPES = {
  employee: 'Employee',
  earningsRate: 'EarningsRate',
  calendar: 'PayrollCalendar',
  timesheet: 'Timesheet',
} as const;

export interface PayrollEmployee {
  EmployeeID: string;
  FirstName: string;
  LastName: string;
  Status: 'ACTIVE' | 'TERMINATED';
  Email?: string;
  Gender?: string;
  DateOfBirth?: string;
  StartDate?: string;
  TerminationDate?: string;
  JobTitle?: string;
  EmployeeGroupName?: string;
  OrdinaryEarningsRateID?: string;
  PayrollCalendarID?: string;
  IsAuthorisedToApproveTimesheets?: boolean;
  UpdatedDateUTC: string;
  [key: string]: unknown;
}

export interface EarningsRate {
  EarningsRateID: string;
  Name: string;
  EarningsType: string;
  RateType: 'FIXEDAMOUNT' | 'MULTIPLE' | 'RATEPERUNIT';
  AccountCode: string;
  TypeOfUnits?: string;
  RatePerUnit?: number;
  Multiplier?: number;
  Amount?: number;
  IsExemptFromTax: boolean;
  IsExemptFromSuper: boolean;
  UpdatedDateUTC: string;
  [key: string]: unknown;
}

export interface PayrollCalendar {
  PayrollCalendarID: string;
  Name: string;
  CalendarType: CalendarType;
  StartDate: string;
  PaymentDate: string;
  ReferenceDate?: string;
  UpdatedDateUTC: string;
  [key: string]: unknown;
}

export interface TimesheetLine {
  EarningsRateID: string;
  TrackingItemID?: string;
  NumberOfUnits: number[];
  UpdatedDateUTC: string;
}

export type TimesheetStatus = 'DRAFT' | 'PROCESSED' | 'APPROVED' | 'REJECTED' | 'REQUESTED';

export interface Timesheet {
  TimesheetID: string;
  EmployeeID: string;
  StartDate: string;
  EndDate: string;
  Status: TimesheetStatus;
  Hours: number;
  TimesheetLines: TimesheetLine[];
  UpdatedDateUTC: string;
  [key: string]: unknown;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a GUID as Xero writes them (any case). */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** Whether an earnings rate counts in hours (so the 24-hours-a-day limit and `Hours` apply). */
export function isHourly(rate: EarningsRate): boolean {
  return rate.RateType === 'MULTIPLE' || (rate.TypeOfUnits ?? '').toLowerCase() === 'hours';
}
