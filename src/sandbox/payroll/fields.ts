import type { FieldType, QueryDialect, Schema } from '../query/dialect';
import { PAYROLL_TYPES } from './model';
import { payrollWording } from './query-wording';

/** `names` all of one type, so each table below reads as a few lines per type. */
const typed = (type: FieldType, ...names: string[]): Record<string, FieldType> => Object.fromEntries(names.map((name) => [name, type]));

/**
 * The fields `where` and `order` may name on each Payroll AU list, with their types, keyed by
 * the stored type (which is also the name Xero's errors quote, e.g. 'Employee').
 * @see xero-payroll-au.yaml `Employee`, `EarningsRate`, `PayrollCalendar`, `Timesheet`
 */
export const PAYROLL_FIELDS: Schema = {
  [PAYROLL_TYPES.employee]: {
    ...typed('guid', 'EmployeeID', 'OrdinaryEarningsRateID', 'PayrollCalendarID'),
    ...typed('string', 'Title', 'FirstName', 'MiddleNames', 'LastName', 'Status', 'Email', 'Gender', 'JobTitle', 'Classification', 'EmployeeGroupName'),
    ...typed('date', 'DateOfBirth', 'StartDate', 'TerminationDate', 'UpdatedDateUTC'),
  },
  [PAYROLL_TYPES.earningsRate]: {
    ...typed('guid', 'EarningsRateID'),
    ...typed('string', 'Name', 'EarningsType', 'RateType', 'AccountCode', 'TypeOfUnits'),
    ...typed('number', 'RatePerUnit', 'Multiplier', 'Amount'),
    ...typed('bool', 'IsExemptFromTax', 'IsExemptFromSuper', 'IsReportableAsW1', 'CurrentRecord'),
    ...typed('date', 'UpdatedDateUTC'),
  },
  [PAYROLL_TYPES.calendar]: {
    ...typed('guid', 'PayrollCalendarID'),
    ...typed('string', 'Name', 'CalendarType'),
    ...typed('date', 'StartDate', 'PaymentDate', 'ReferenceDate', 'UpdatedDateUTC'),
  },
  [PAYROLL_TYPES.timesheet]: {
    ...typed('guid', 'TimesheetID', 'EmployeeID'),
    ...typed('string', 'Status'),
    ...typed('number', 'Hours'),
    ...typed('date', 'StartDate', 'EndDate', 'UpdatedDateUTC'),
  },
};

/** Payroll AU's list queries: its fields, its own error wording, and a `page` below 1 refused. */
export const PAYROLL_QUERY: QueryDialect = { schema: PAYROLL_FIELDS, wording: payrollWording, pages: 'strict' };
