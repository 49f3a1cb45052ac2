import { dayOf, daysInPeriod } from './dates';
import type { Issue } from './issues';
import { MAX_PERIOD_DAYS, type TimesheetsDocument } from './timesheets';

/**
 * What the schema cannot say about timesheets: who (exactly one of EmployeeID or staffNumber),
 * which earnings (exactly one of EarningsRateID or earningsType), a period of 1 to 31 days, and
 * one number of units per day of it, as Payroll AU requires.
 */
export function timesheetIssues(document: TimesheetsDocument): Issue[] {
  const issues: Issue[] = [];
  document.Timesheets.forEach((timesheet, index) => {
    const at = ['Timesheets', index] as const;
    const who = exactlyOne(timesheet.EmployeeID, timesheet.staffNumber, 'EmployeeID or staffNumber');
    if (who) issues.push({ path: at, message: who });
    if (timesheet.approve === true && timesheet.Status === 'DRAFT') issues.push({ path: [...at, 'approve'], message: 'must not be true for a timesheet whose Status is DRAFT' });
    const days = daysInPeriod(timesheet.StartDate, timesheet.EndDate);
    if (days < 1) issues.push({ path: [...at, 'EndDate'], message: `must not be before StartDate (${dayOf(timesheet.StartDate)})` });
    else if (days > MAX_PERIOD_DAYS) issues.push({ path: [...at, 'EndDate'], message: `makes a period of ${days} days, longer than any pay period (${MAX_PERIOD_DAYS} days at most)` });
    timesheet.TimesheetLines.forEach((line, lineIndex) => {
      const lineAt = [...at, 'TimesheetLines', lineIndex] as const;
      const which = exactlyOne(line.EarningsRateID, line.earningsType, 'EarningsRateID or earningsType');
      if (which) issues.push({ path: lineAt, message: which });
      if (days >= 1 && days <= MAX_PERIOD_DAYS && line.NumberOfUnits.length !== days) {
        issues.push({
          path: [...lineAt, 'NumberOfUnits'],
          message: `must have ${days} numbers, one for each day from ${dayOf(timesheet.StartDate)} to ${dayOf(timesheet.EndDate)}, but has ${line.NumberOfUnits.length}`,
        });
      }
    });
  });
  return issues;
}

function exactlyOne(a: unknown, b: unknown, names: string): string | undefined {
  if (a === undefined && b === undefined) return `must give one of ${names}`;
  if (a !== undefined && b !== undefined) return `must give only one of ${names}`;
  return undefined;
}
