import { parseXeroDate } from '../payroll/dates';
import type { Timesheet2 } from './model';
import type { InvalidField } from './respond';

/** The query of `GET /Timesheets`, read from its parameters. */
export interface TimesheetQuery {
  employeeId?: string;
  payrollCalendarId?: string;
  status?: string;
  /** Timesheets starting on or after this day. */
  startDate?: string;
  /** Timesheets ending on or before this day. */
  endDate?: string;
  page: number;
  /** `startDate`: newest start first; otherwise oldest created first. */
  sort?: string;
}

const FILTER_KEYS: Record<string, 'employeeId' | 'payrollCalendarId'> = { employeeid: 'employeeId', payrollcalendarid: 'payrollCalendarId' };

/**
 * Reads `filter=employeeId==…,payrollCalendarId==…`, `status`, `startDate`, `endDate`, `page`
 * and `sort`, or lists what is wrong with them.
 * @see xero-payroll-uk.yaml getTimesheets parameters
 */
export function readTimesheetQuery(params: Record<string, string | undefined>): { ok: true; query: TimesheetQuery } | { ok: false; fields: InvalidField[] } {
  const fields: InvalidField[] = [];
  const query: TimesheetQuery = { page: 1 };
  for (const term of (params['filter'] ?? '').split(',').filter((part) => part.trim() !== '')) {
    const match = /^\s*([A-Za-z]+)\s*==\s*(.+?)\s*$/.exec(term);
    const key = match ? FILTER_KEYS[match[1]!.toLowerCase()] : undefined;
    if (!match || !key) fields.push({ name: 'filter', reason: `"${term}" is not a filter this endpoint takes; use employeeId==<id> and/or payrollCalendarId==<id>.` });
    else query[key] = match[2]!.toLowerCase();
  }
  for (const name of ['startDate', 'endDate'] as const) {
    const value = params[name];
    if (value === undefined || value === '') continue;
    const day = parseXeroDate(value);
    if (!day) fields.push({ name, reason: `"${value}" is not a date; use YYYY-MM-DD.` });
    else query[name] = day;
  }
  if (params['status']) query.status = params['status'].toLowerCase();
  if (params['sort']) query.sort = params['sort'];
  if (params['page'] !== undefined) {
    const page = Number(params['page']);
    if (!Number.isInteger(page) || page < 1) fields.push({ name: 'page', reason: 'The page must be a whole number from 1.' });
    else query.page = page;
  }
  return fields.length > 0 ? { ok: false, fields } : { ok: true, query };
}

/** The timesheets that answer `query`, in its order. */
export function applyTimesheetQuery(timesheets: readonly Timesheet2[], query: TimesheetQuery): Timesheet2[] {
  const found = timesheets.filter(
    (t) =>
      (query.employeeId === undefined || t.employeeID.toLowerCase() === query.employeeId) &&
      (query.payrollCalendarId === undefined || t.payrollCalendarID.toLowerCase() === query.payrollCalendarId) &&
      (query.status === undefined || t.status.toLowerCase() === query.status) &&
      (query.startDate === undefined || t.startDate.slice(0, 10) >= query.startDate) &&
      (query.endDate === undefined || t.endDate.slice(0, 10) <= query.endDate),
  );
  return query.sort === 'startDate' ? [...found].sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0)) : found;
}
