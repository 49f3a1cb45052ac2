import { dayOf, parseXeroDate } from '../payroll/dates';
import { isGuid, type EarningsRate, type PayrollCalendar, type PayrollEmployee } from '../payroll/model';
import { payPeriodContaining } from '../payroll/pay-period';
import type { Timesheet2, Timesheet2Line } from './model';
import type { InvalidField } from './respond';

/** What checking a 2.0 timesheet looks up in one organisation. */
export interface Timesheet2Lookups {
  employee(id: string): PayrollEmployee | undefined;
  calendar(id: string): PayrollCalendar | undefined;
  earningsRate(id: string): EarningsRate | undefined;
  /** The employee's 2.0 timesheets sharing a day with `start`–`end` (`YYYY-MM-DD`, inclusive). */
  overlapping(employeeId: string, start: string, end: string): Timesheet2[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; fields: InvalidField[] };

const MAX_UNITS_PER_LINE = 24 * 31;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * Checks `POST /Timesheets` as Payroll 2.0 does and builds the Draft to store: a known, active
 * employee on the named pay run calendar, a period that is exactly one of that calendar's pay
 * periods, lines dated inside it with a known earnings rate and zero or more units, and no
 * other timesheet of the employee on those days. Every fault is reported, each under its field.
 * The reasons are the sandbox's words; Xero's exact texts for these are UNCONFIRMED.
 * @see PROTOCOL.md §5.2
 */
export function checkNewTimesheet(input: Record<string, unknown>, lookups: Timesheet2Lookups, options: { now: string; newId: () => string }): Checked<Timesheet2> {
  const fields: InvalidField[] = [];
  const calendarId = text(input['payrollCalendarID']);
  const employeeId = text(input['employeeID']);
  const calendar = calendarId && isGuid(calendarId) ? lookups.calendar(calendarId) : undefined;
  const employee = employeeId && isGuid(employeeId) ? lookups.employee(employeeId) : undefined;
  if (!calendarId) fields.push({ name: 'payrollCalendarID', reason: 'The payroll calendar is required.' });
  else if (!calendar) fields.push({ name: 'payrollCalendarID', reason: `The payroll calendar ${calendarId} could not be found.` });
  if (!employeeId) fields.push({ name: 'employeeID', reason: 'The employee is required.' });
  else if (!employee) fields.push({ name: 'employeeID', reason: `The employee ${employeeId} could not be found.` });
  else if (employee.Status !== 'ACTIVE') fields.push({ name: 'employeeID', reason: `${employee.FirstName} ${employee.LastName} is not an active employee.` });
  else if (calendar && employee.PayrollCalendarID?.toLowerCase() !== calendar.PayrollCalendarID.toLowerCase()) {
    fields.push({ name: 'payrollCalendarID', reason: `${employee.FirstName} ${employee.LastName} is not paid on the ${calendar.Name} calendar.` });
  }
  const start = parseXeroDate(input['startDate']);
  const end = parseXeroDate(input['endDate']);
  if (!start) fields.push({ name: 'startDate', reason: 'The start date is required, as YYYY-MM-DD.' });
  if (!end) fields.push({ name: 'endDate', reason: 'The end date is required, as YYYY-MM-DD.' });
  if (start && end && calendar) {
    const period = payPeriodContaining(calendar.CalendarType, dayOf(calendar.StartDate), start);
    if (period.start !== start || period.end !== end) {
      fields.push({ name: 'startDate', reason: `The timesheet must cover one pay period of the ${calendar.Name} calendar, e.g. ${period.start} to ${period.end}.` });
    }
  }
  const rawLines = input['timesheetLines'] ?? [];
  const lines: Timesheet2Line[] = [];
  if (!Array.isArray(rawLines)) fields.push({ name: 'timesheetLines', reason: 'The timesheet lines must be a list.' });
  else {
    rawLines.forEach((raw, index) => {
      const line = checkLine(raw, start && end ? { start, end } : undefined, lookups, options.newId, `timesheetLines[${index}].`);
      if (line.ok) lines.push(line.value);
      else fields.push(...line.fields);
    });
  }
  if (fields.length === 0 && employee && start && end && lookups.overlapping(employee.EmployeeID, start, end).length > 0) {
    fields.push({ name: 'startDate', reason: `A timesheet already exists for ${employee.FirstName} ${employee.LastName} in the period ${start} to ${end}.` });
  }
  if (fields.length > 0) return { ok: false, fields };
  return {
    ok: true,
    value: {
      timesheetID: options.newId(),
      payrollCalendarID: calendar!.PayrollCalendarID,
      employeeID: employee!.EmployeeID,
      startDate: `${start}T00:00:00`,
      endDate: `${end}T00:00:00`,
      status: 'Draft',
      totalHours: 0,
      updatedDateUTC: options.now,
      timesheetLines: lines,
    },
  };
}

/**
 * Checks one timesheet line: a date inside the period (when it is known), a known earnings rate,
 * an optional tracking item id, and a number of units from 0 up. `prefix` names its fields.
 */
export function checkLine(raw: unknown, period: { start: string; end: string } | undefined, lookups: Pick<Timesheet2Lookups, 'earningsRate'>, newId: () => string, prefix = ''): Checked<Timesheet2Line> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, fields: [{ name: prefix.replace(/\.$/, '') || 'timesheetLine', reason: 'Each timesheet line must be an object.' }] };
  const input = raw as Record<string, unknown>;
  const fields: InvalidField[] = [];
  const date = parseXeroDate(input['date']);
  if (!date) fields.push({ name: `${prefix}date`, reason: 'The date is required, as YYYY-MM-DD.' });
  else if (period && (date < period.start || date > period.end)) fields.push({ name: `${prefix}date`, reason: `The date ${date} is outside the timesheet's period, ${period.start} to ${period.end}.` });
  const rateId = text(input['earningsRateID']);
  if (!rateId) fields.push({ name: `${prefix}earningsRateID`, reason: 'The earnings rate is required.' });
  else if (!isGuid(rateId) || !lookups.earningsRate(rateId)) fields.push({ name: `${prefix}earningsRateID`, reason: `The earnings rate ${rateId} could not be found.` });
  const tracking = input['trackingItemID'];
  if (tracking !== undefined && tracking !== null && !(typeof tracking === 'string' && isGuid(tracking))) fields.push({ name: `${prefix}trackingItemID`, reason: 'The tracking item must be a GUID.' });
  const units = input['numberOfUnits'];
  if (typeof units !== 'number' || !Number.isFinite(units)) fields.push({ name: `${prefix}numberOfUnits`, reason: 'The number of units is required.' });
  else if (units < 0) fields.push({ name: `${prefix}numberOfUnits`, reason: 'The number of units must be zero or more.' });
  else if (units > MAX_UNITS_PER_LINE) fields.push({ name: `${prefix}numberOfUnits`, reason: `The number of units must be at most ${MAX_UNITS_PER_LINE}.` });
  if (fields.length > 0) return { ok: false, fields };
  return { ok: true, value: { timesheetLineID: newId(), date: `${date}T00:00:00`, earningsRateID: rateId!.toLowerCase(), trackingItemID: typeof tracking === 'string' ? tracking.toLowerCase() : null, numberOfUnits: units as number } };
}

/** The inclusive period of a stored timesheet, as `YYYY-MM-DD`. */
export const periodOf = (timesheet: Timesheet2) => ({ start: dayOf(timesheet.startDate), end: dayOf(timesheet.endDate) });
