import { toXeroDate } from './dates';
import { defined } from './invoice-to-xero';
import { lookUp, missingMappingsError, shellQuote, type MissingMapping } from './mappings';
import type { Timesheet } from './timesheets';
import type { XeroTimesheet } from './xero-types';

/** How a payroll app's own names become Xero ids; made with `xero-proxy map set staff|earnings`. */
export interface PayrollMappings {
  /** Staff number → Xero EmployeeID. */
  staff: Readonly<Record<string, string>>;
  /** Earnings type → Xero EarningsRateID. */
  earnings: Readonly<Record<string, string>>;
}

/**
 * A timesheet as Payroll AU takes it: staff numbers and earnings types replaced by Xero's ids,
 * dates as `xs:dateTime`, DRAFT unless the app said APPROVED. Every missing mapping is listed
 * with its command; field paths are relative to the timesheet.
 * @see PROTOCOL.md §5.1
 */
export function timesheetToXero(timesheet: Timesheet, mappings: PayrollMappings): XeroTimesheet {
  return timesheetsToXero([timesheet], mappings, () => '')[0]!;
}

/**
 * Every timesheet of a request converted, or one error listing every missing mapping of all of
 * them, each under its own path (`Timesheets[2].staffNumber`), so the app fixes them in one go.
 */
export function timesheetsToXero(timesheets: readonly Timesheet[], mappings: PayrollMappings, pathOf = (index: number) => `Timesheets[${index}].`): XeroTimesheet[] {
  const missing: MissingMapping[] = [];
  const converted = timesheets.map((timesheet, index) => convert(timesheet, mappings, pathOf(index), missing));
  if (missing.length > 0) throw missingMappingsError(missing);
  return converted;
}

/**
 * One timesheet converted, with the mappings it lacks (field paths under `path`); while any is
 * missing the result has empty ids where they would go and must not be sent.
 */
export function planTimesheet(timesheet: Timesheet, mappings: PayrollMappings, path = ''): { timesheet: XeroTimesheet; missing: MissingMapping[] } {
  const missing: MissingMapping[] = [];
  return { timesheet: convert(timesheet, mappings, path, missing), missing };
}

function convert(timesheet: Timesheet, mappings: PayrollMappings, path: string, missing: MissingMapping[]): XeroTimesheet {
  let employeeId = timesheet.EmployeeID;
  if (employeeId === undefined && timesheet.staffNumber !== undefined) {
    employeeId = lookUp(mappings.staff, timesheet.staffNumber);
    if (employeeId === undefined) {
      missing.push({ kind: 'staff', name: timesheet.staffNumber, field: `${path}staffNumber`, message: `has no Xero employee mapped for staff number "${timesheet.staffNumber}"`, command: `xero-proxy map set staff ${shellQuote(timesheet.staffNumber)} --employee <EmployeeID>` });
    }
  }
  const lines = timesheet.TimesheetLines.map((line, index) => {
    let rateId = line.EarningsRateID;
    if (rateId === undefined && line.earningsType !== undefined) {
      rateId = lookUp(mappings.earnings, line.earningsType);
      if (rateId === undefined) {
        missing.push({ kind: 'earnings', name: line.earningsType, field: `${path}TimesheetLines[${index}].earningsType`, message: `has no earnings rate mapped for "${line.earningsType}"`, command: `xero-proxy map set earnings ${shellQuote(line.earningsType)} --rate <EarningsRateID>` });
      }
    }
    return defined({ EarningsRateID: rateId ?? '', TrackingItemID: line.TrackingItemID, NumberOfUnits: [...line.NumberOfUnits] });
  });
  return {
    EmployeeID: employeeId ?? '',
    StartDate: toXeroDate(timesheet.StartDate),
    EndDate: toXeroDate(timesheet.EndDate),
    Status: timesheet.Status ?? (timesheet.approve === true ? 'APPROVED' : 'DRAFT'),
    TimesheetLines: lines,
  };
}
