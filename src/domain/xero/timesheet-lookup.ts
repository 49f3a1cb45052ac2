import { AppError } from '../../lib/errors';
import { encodeForm } from '../oauth1/form-encoding';
import { buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { sameTimesheet, timesheetList, type TimesheetKey } from './timesheet-write';
import { parseXeroProblem } from './problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/** What a timesheet look-up needs: how it is authorised, and the timesheets to find. */
export interface TimesheetLookupInput {
  apiUrl: string;
  auth: XeroAuth;
  keys: readonly TimesheetKey[];
}

/**
 * Timesheets per look-up: each term names a GUID and a date (about 140 characters encoded), so
 * ten keep the URL near 1,300 characters, under IIS's 2,048, as twenty references do.
 */
export const MAX_TIMESHEETS_PER_LOOKUP = 10;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The `where` filter finding timesheets by employee and period start: timesheets carry no
 * Reference, but Xero keeps one per employee and period, which is as good a key.
 * @example timesheetFilter([{ employeeId: 'e1…', startDate: '2026-11-16' }]) // '(EmployeeID==Guid("e1…") AND StartDate==DateTime(2026,11,16))'
 */
export function timesheetFilter(keys: readonly TimesheetKey[]): string {
  if (keys.length === 0 || keys.length > MAX_TIMESHEETS_PER_LOOKUP) throw new AppError('internal', `A look-up takes 1 to ${MAX_TIMESHEETS_PER_LOOKUP} timesheets, not ${keys.length}.`);
  return keys
    .map((key) => {
      const day = DAY.exec(key.startDate);
      if (!GUID.test(key.employeeId) || !day) throw new AppError('internal', `A timesheet look-up needs an EmployeeID and a start day, not "${key.employeeId}" and "${key.startDate}".`);
      return `(EmployeeID==Guid("${key.employeeId}") AND StartDate==DateTime(${day[1]},${day[2]},${day[3]}))`;
    })
    .join(' OR ');
}

/** Builds `GET /payroll.xro/1.0/Timesheets?where=…` asking for JSON. */
export function buildTimesheetLookup(input: TimesheetLookupInput): XeroRequest {
  const url = `${xeroEndpoints(input.apiUrl).payroll}/Timesheets?${encodeForm([['where', timesheetFilter(input.keys)]])}`;
  return buildJsonGet(input.auth, url);
}

/** For each key (by position), the timesheet Xero holds for that employee and period, if any. */
export function processTimesheetLookup(response: XeroResponse, keys: readonly TimesheetKey[]): Array<Record<string, unknown> | undefined> {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const list = timesheetList(response);
  if (!list) throw unreadableAnswer("Xero's answer listing timesheets has no Timesheets list.", response);
  return keys.map((key) => list.find((item) => sameTimesheet(item, key)));
}
