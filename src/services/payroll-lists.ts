import { buildJsonGet } from '../domain/xero/auth';
import { xeroEndpoints } from '../domain/xero/endpoints';
import { parseXeroProblem } from '../domain/xero/problem';
import { xeroProblemError } from '../domain/xero/xero-error';
import { AppError } from '../lib/errors';
import type { Db } from '../store/db';
import { findCachedList, saveCachedList } from '../store/reference-cache';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/**
 * Whether a 2.0 employee has left: 2.0 has no status, only `endDate`, the last day of
 * employment, so one whose end date is still to come (or today) is still employed.
 */
const leftBy = (endDate: unknown, today: string) => typeof endDate === 'string' && endDate !== '' && endDate.slice(0, 10) < today;

/** The Payroll 2.0 lists a timesheet takes ids from, where each lives, and how an item reads in the cache. */
const LISTS = {
  employees: {
    path: 'Employees',
    key: 'employees',
    // Cached in Payroll AU's keys, so the mappings page and checks read both APIs' lists alike.
    item: (e: Record<string, unknown>, today: string) => ({ EmployeeID: e['employeeID'], FirstName: e['firstName'], LastName: e['lastName'], PayrollCalendarID: e['payrollCalendarID'] ?? null, Status: leftBy(e['endDate'], today) ? 'TERMINATED' : 'ACTIVE' }),
  },
  'earnings-rates': {
    path: 'EarningsRates',
    key: 'earningsRates',
    // `currentRecord: false` is an earnings rate archived in Xero (AU 1.0 has the same `CurrentRecord`).
    item: (r: Record<string, unknown>) => ({ EarningsRateID: r['earningsRateID'], Name: r['name'], EarningsType: r['earningsType'], TypeOfUnits: r['typeOfUnits'] ?? null, CurrentRecord: r['currentRecord'] !== false }),
  },
  calendars: { path: 'PayRunCalendars', key: 'payRunCalendars', item: (c: Record<string, unknown>) => ({ PayrollCalendarID: c['payrollCalendarID'], Name: c['name'], CalendarType: c['calendarType'], PeriodStartDate: c['periodStartDate'] ?? null }) },
} as const;

export type Payroll2ListKind = keyof typeof LISTS;

/**
 * Reads a Payroll UK/NZ/AU 2.0 list from Xero now (every page of 100) and keeps it in the
 * reference cache as `payroll-<kind>`, its items in Payroll AU's keys.
 * @see xero-payroll-uk.yaml getEmployees, getEarningsRates, getPayRunCalendars
 */
export async function readPayroll2List(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: Payroll2ListKind): Promise<Array<Record<string, unknown>>> {
  const spec = LISTS[kind];
  const items: Array<Record<string, unknown>> = [];
  const today = deps.clock.now().toISOString().slice(0, 10);
  for (let page = 1; ; page++) {
    const url = `${xeroEndpoints(deps.config.xero.apiUrl).payroll2}/${spec.path}?page=${page}`;
    const response = await calls.call(organisationId, (auth) => buildJsonGet(auth, url));
    if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
    const list = (JSON.parse(response.body) as Record<string, unknown>)[spec.key];
    const read = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
    items.push(...read.map((item) => spec.item(item, today) as Record<string, unknown>));
    if (read.length < 100) break;
  }
  saveCachedList(deps.db, organisationId, `payroll-${kind}`, { items, fetchedAt: deps.clock.now().toISOString() });
  return items;
}

/** The pay run calendar of an employee, from the cached employees list, if it was read. */
export function cachedPayrollCalendarOf(db: Db, organisationId: string, employeeId: string): string | undefined {
  const cached = findCachedList(db, organisationId, 'payroll-employees');
  const employee = (cached?.items as Array<Record<string, unknown>> | undefined)?.find((item) => String(item['EmployeeID']).toLowerCase() === employeeId.toLowerCase());
  const calendar = employee?.['PayrollCalendarID'];
  return typeof calendar === 'string' && calendar !== '' ? calendar : undefined;
}

/**
 * Refuses to map a staff number to a Payroll 2.0 employee whose timesheets Xero would refuse for
 * want of a pay run calendar: none set (Xero leaves it empty until a salary and wage is added),
 * or one not among the organisation's `/PayRunCalendars` (read now, and cached).
 */
export async function requirePayRunCalendar(deps: XeroDeps, calls: XeroCalls, organisationId: string, employee: Record<string, unknown>): Promise<void> {
  const who = `${String(employee['FirstName'] ?? '')} ${String(employee['LastName'] ?? '')}`.trim() || String(employee['EmployeeID']);
  const calendar = typeof employee['PayrollCalendarID'] === 'string' ? employee['PayrollCalendarID'].toLowerCase() : '';
  if (calendar === '') throw new AppError('invalid', `--employee: ${who} is on no pay run calendar in Xero Payroll, so Xero would refuse their timesheets; set their pay calendar in Xero first.`, { field: 'employee' });
  const calendars = await readPayroll2List(deps, calls, organisationId, 'calendars');
  if (!calendars.some((item) => String(item['PayrollCalendarID']).toLowerCase() === calendar)) {
    throw new AppError('invalid', `--employee: ${who}'s pay run calendar ${calendar} is not among this organisation's pay run calendars in Xero Payroll.`, { field: 'employee' });
  }
}
