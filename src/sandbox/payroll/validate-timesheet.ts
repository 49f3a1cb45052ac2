import { addDays, dayOf, daysBetween, parseXeroDate, storedDate } from './dates';
import { isGuid, isHourly, type EarningsRate, type PayrollCalendar, type PayrollEmployee, type Timesheet, type TimesheetLine, type TimesheetStatus } from './model';
import { payPeriodContaining } from './pay-period';

/** What checking a timesheet needs to look up, answered from one organisation's documents. */
export interface TimesheetLookups {
  employee(id: string): PayrollEmployee | undefined;
  calendar(id: string): PayrollCalendar | undefined;
  earningsRate(id: string): EarningsRate | undefined;
  timesheet(id: string): Timesheet | undefined;
  /** The employee's timesheets sharing a day with the period (stored dates, both inclusive). */
  overlapping(employeeId: string, start: string, end: string): Timesheet[];
}

export type TimesheetCheck = { ok: true; timesheet: Timesheet } | { ok: false; errors: string[] };

/** The statuses a client may set; REJECTED and REQUESTED belong to Xero Me's approval flow. */
export const SETTABLE_STATUSES: readonly TimesheetStatus[] = ['DRAFT', 'PROCESSED', 'APPROVED'];
/** Xero's own words for a second timesheet on the same period without a TimesheetID. */
export const DUPLICATE_PERIOD = 'This timesheet already exists, please provide the timesheet ID';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Checks one submitted timesheet as Payroll AU does and, when it passes, builds the document to
 * store: an active employee, a period that is exactly one pay period of the employee's calendar,
 * lines whose earnings rates exist and carry one non-negative number per day, no more than 24
 * hours on a day, and no other timesheet for the same employee on those days. `TimesheetID` (or
 * `pathId`) turns the submission into a replacement of that timesheet.
 * @see PROTOCOL.md §5.1
 */
export function checkTimesheet(input: Record<string, unknown>, lookups: TimesheetLookups, options: { now: string; newId: () => string; pathId?: string }): TimesheetCheck {
  const errors: string[] = [];

  let existing: Timesheet | undefined;
  const bodyId = text(input['TimesheetID']);
  const id = options.pathId ?? bodyId;
  if (options.pathId && bodyId && bodyId.toLowerCase() !== options.pathId.toLowerCase()) errors.push(`The TimesheetID ${bodyId} does not match the ${options.pathId} in the URL.`);
  if (id !== undefined) {
    if (!isGuid(id)) errors.push(`The TimesheetID "${id}" is not a valid identifier.`);
    else if (!(existing = lookups.timesheet(id))) errors.push(`The timesheet ${id} could not be found.`);
    else if (existing.Status === 'PROCESSED') errors.push(`The timesheet ${id} has been processed in a pay run and can no longer be changed.`);
  }

  const employeeId = text(input['EmployeeID']);
  let employee: PayrollEmployee | undefined;
  if (employeeId === undefined) errors.push('The EmployeeID is required.');
  else if (!isGuid(employeeId)) errors.push(`The EmployeeID "${employeeId}" is not a valid identifier.`);
  else if (!(employee = lookups.employee(employeeId))) errors.push(`The employee ${employeeId} could not be found.`);
  else if (employee.Status !== 'ACTIVE') errors.push(`The employee ${employee.FirstName} ${employee.LastName} is not active (${employee.Status}); timesheets can only be added for active employees.`);

  const start = dateField(input, 'StartDate', errors);
  const end = dateField(input, 'EndDate', errors);
  if (start && end && end < start) errors.push('The EndDate must be on or after the StartDate.');
  const period = start && end && end >= start ? { start, end, days: daysBetween(start, end) + 1 } : undefined;

  if (employee && period) {
    const calendar = employee.PayrollCalendarID ? lookups.calendar(employee.PayrollCalendarID) : undefined;
    if (!calendar) {
      errors.push(`The employee ${employee.FirstName} ${employee.LastName} has no payroll calendar; assign one before adding timesheets.`);
    } else {
      const expected = payPeriodContaining(calendar.CalendarType, dayOf(calendar.StartDate), period.start);
      if (expected.start !== period.start || expected.end !== period.end) {
        errors.push(
          `The timesheet must cover exactly one pay period of the employee's ${calendar.CalendarType} payroll calendar "${calendar.Name}": ` +
            `the period containing ${period.start} runs from ${expected.start} to ${expected.end}.`,
        );
      }
    }
  }

  // Case is ignored: one integrator's XML sent <Status>Draft</Status> to live Xero for years.
  const statusText = text(input['Status']);
  const status = (statusText?.toUpperCase() ?? (existing && SETTABLE_STATUSES.includes(existing.Status) ? existing.Status : 'DRAFT')) as TimesheetStatus;
  if (!SETTABLE_STATUSES.includes(status)) errors.push(`The Status "${statusText}" is not valid; a timesheet can be DRAFT, PROCESSED or APPROVED.`);

  const lines = checkLines(input['TimesheetLines'], lookups, period, options.now, errors);

  if (employee && period) {
    for (const clash of lookups.overlapping(employee.EmployeeID, storedDate(period.start), storedDate(period.end))) {
      if (clash.TimesheetID === existing?.TimesheetID) continue;
      const samePeriod = dayOf(clash.StartDate) === period.start && dayOf(clash.EndDate) === period.end;
      errors.push(samePeriod && !existing ? DUPLICATE_PERIOD : `The timesheet overlaps with an existing timesheet for this employee (${dayOf(clash.StartDate)} to ${dayOf(clash.EndDate)}).`);
    }
  }

  if (errors.length > 0 || !employee || !period) return { ok: false, errors };
  return {
    ok: true,
    timesheet: {
      TimesheetID: existing?.TimesheetID ?? options.newId(),
      EmployeeID: employee.EmployeeID,
      StartDate: storedDate(period.start),
      EndDate: storedDate(period.end),
      Status: status,
      Hours: lines.hours,
      TimesheetLines: lines.lines,
      UpdatedDateUTC: options.now,
    },
  };
}

function dateField(input: Record<string, unknown>, name: 'StartDate' | 'EndDate', errors: string[]): string | undefined {
  const raw = input[name];
  if (text(raw) === undefined) {
    errors.push(`The ${name} is required.`);
    return undefined;
  }
  const day = parseXeroDate(raw);
  if (!day) errors.push(`The ${name} "${String(raw)}" is not a valid date.`);
  return day;
}

function checkLines(raw: unknown, lookups: TimesheetLookups, period: { start: string; end: string; days: number } | undefined, now: string, errors: string[]): { lines: TimesheetLine[]; hours: number } {
  const lines: TimesheetLine[] = [];
  if (raw !== undefined && raw !== null && raw !== '' && !Array.isArray(raw)) {
    errors.push('The TimesheetLines must be a list of TimesheetLine elements.');
    return { lines, hours: 0 };
  }
  const hourlyByDay: number[] = new Array<number>(period?.days ?? 0).fill(0);
  let hours = 0;
  ((raw as unknown[] | undefined) ?? []).forEach((line, index) => {
    const at = `TimesheetLine ${index + 1}`;
    if (!isRecord(line)) return void errors.push(`${at} must be an object with an EarningsRateID and NumberOfUnits.`);
    const rateId = text(line['EarningsRateID']);
    let rate: EarningsRate | undefined;
    if (rateId === undefined) errors.push(`${at}: the EarningsRateID is required.`);
    else if (!isGuid(rateId)) errors.push(`${at}: the EarningsRateID "${rateId}" is not a valid identifier.`);
    else if (!(rate = lookups.earningsRate(rateId))) errors.push(`${at}: the earnings rate ${rateId} could not be found.`);
    else if (rate.RateType === 'FIXEDAMOUNT') errors.push(`${at}: the earnings rate "${rate.Name}" is a fixed amount and cannot be used on a timesheet.`);
    const tracking = text(line['TrackingItemID']);
    if (tracking !== undefined && !isGuid(tracking)) errors.push(`${at}: the TrackingItemID "${tracking}" is not a valid identifier.`);

    const rawUnits = line['NumberOfUnits'];
    const units: unknown[] = Array.isArray(rawUnits) ? rawUnits : text(rawUnits) === undefined ? [] : [rawUnits];
    if (period && units.length !== period.days) {
      errors.push(`${at}: NumberOfUnits must have ${period.days} numbers, one for each day from ${period.start} to ${period.end}, but it has ${units.length}.`);
    }
    const numbers = units.map((unit, day) => {
      const value = typeof unit === 'number' ? unit : text(unit) !== undefined ? Number(unit) : Number.NaN;
      const label = `day ${day + 1}${period ? ` (${addDays(period.start, day)})` : ''}`;
      if (!Number.isFinite(value)) errors.push(`${at}: NumberOfUnits ${label} is not a number: "${String(unit)}".`);
      else if (value < 0) errors.push(`${at}: NumberOfUnits ${label} is negative (${value}); units cannot be negative.`);
      return value;
    });
    if (rate && isHourly(rate)) {
      numbers.forEach((value, day) => {
        if (!Number.isFinite(value) || value < 0) return;
        hours += value;
        if (day < hourlyByDay.length) hourlyByDay[day]! += value;
      });
    }
    lines.push({ EarningsRateID: (rateId ?? '').toLowerCase(), ...(tracking ? { TrackingItemID: tracking.toLowerCase() } : {}), NumberOfUnits: numbers, UpdatedDateUTC: now });
  });
  hourlyByDay.forEach((total, day) => {
    if (total > 24 && period) errors.push(`${addDays(period.start, day)}: the timesheet has ${round(total)} hours on this day, more than the 24 hours a day has.`);
  });
  return { lines, hours: round(hours) };
}
