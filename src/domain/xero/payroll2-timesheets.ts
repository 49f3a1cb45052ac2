import { createHash } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { authHeaders, buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { invalidFieldMessages } from './payroll2-problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/** How a Payroll 2.0 call is authorised and where Xero is. */
export interface Payroll2Target {
  apiUrl: string;
  auth: XeroAuth;
}

/** A Payroll 2.0 timesheet's key at Xero: one per employee and period start. */
export interface Timesheet2Key {
  employeeId: string;
  /** `YYYY-MM-DD` */
  startDate: string;
}

/** What a Payroll 2.0 write came to: the timesheet as Xero holds it now, or Xero's reasons for refusing it. */
export type Payroll2Outcome = { status: 'saved'; timesheet: Record<string, unknown> } | { status: 'refused'; messages: string[] };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jsonWrite(method: 'POST', url: string, target: Payroll2Target, body: string): XeroRequest {
  return {
    method,
    url,
    headers: {
      ...authHeaders(target.auth, { method, url }),
      Accept: 'application/json',
      'Content-Type': 'application/json',
      // The same write sent again carries the same key (128 characters at most, Xero says).
      'Idempotency-Key': `xp-${createHash('sha256').update(`${method} ${url}\n${body}`).digest('base64url')}`,
    },
    body,
  };
}

const timesheetsUrl = (target: Payroll2Target) => `${xeroEndpoints(target.apiUrl).payroll2}/Timesheets`;
const guid = (id: string, what: string) => {
  if (!GUID.test(id)) throw new AppError('internal', `A Payroll 2.0 call needs ${what} as a GUID, not "${id}".`);
  return id;
};

/**
 * Builds `POST /payroll.xro/2.0/Timesheets` with one timesheet in camelCase JSON.
 * @see xero-payroll-uk.yaml createTimesheet; PROTOCOL.md §5.2
 */
export function buildTimesheet2Create(target: Payroll2Target, timesheet: Record<string, unknown>): XeroRequest {
  return jsonWrite('POST', timesheetsUrl(target), target, JSON.stringify(timesheet));
}

/** Builds `POST /payroll.xro/2.0/Timesheets/{id}/Approve`. */
export function buildTimesheet2Approve(target: Payroll2Target, timesheetId: string): XeroRequest {
  return jsonWrite('POST', `${timesheetsUrl(target)}/${guid(timesheetId, 'a TimesheetID')}/Approve`, target, '');
}

/**
 * Reads the answer to a create or an approve: 200 carries the timesheet; a 400 problem names
 * the fields Xero refused (`invalidFields`), each as "field: reason"; anything else is thrown.
 */
export function processTimesheet2Write(response: XeroResponse): Payroll2Outcome {
  if (response.status === 200) return { status: 'saved', timesheet: timesheetOf(response) };
  if (response.status === 400) {
    const messages = invalidFieldMessages(response.body);
    if (messages.length > 0) return { status: 'refused', messages };
  }
  throw xeroProblemError(parseXeroProblem(response), response);
}

/**
 * Builds `GET /payroll.xro/2.0/Timesheets?filter=employeeId==…&startDate=…`: the timesheets of
 * the employee starting on or after that day, of which the one starting on it is the key's.
 * @see xero-payroll-uk.yaml getTimesheets (filter, startDate)
 */
export function buildTimesheet2Lookup(target: Payroll2Target, key: Timesheet2Key): XeroRequest {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(key.startDate)) throw new AppError('internal', `A timesheet look-up needs a start day, not "${key.startDate}".`);
  const query = new URLSearchParams({ filter: `employeeId==${guid(key.employeeId, 'an EmployeeID')}`, startDate: key.startDate });
  return buildJsonGet(target.auth, `${timesheetsUrl(target)}?${query.toString()}`);
}

/** The timesheet Xero holds for the key, if any. */
export function processTimesheet2Lookup(response: XeroResponse, key: Timesheet2Key): Record<string, unknown> | undefined {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const list = readJson(response)['timesheets'];
  if (!Array.isArray(list)) throw unreadableAnswer("Xero's answer listing timesheets has no timesheets list.", response);
  return (list as Array<Record<string, unknown>>).find(
    (item) => String(item['employeeID'] ?? '').toLowerCase() === key.employeeId.toLowerCase() && String(item['startDate'] ?? '').slice(0, 10) === key.startDate,
  );
}

/** Builds `GET /payroll.xro/2.0/Timesheets/{id}`. */
export function buildTimesheet2Get(target: Payroll2Target, timesheetId: string): XeroRequest {
  return buildJsonGet(target.auth, `${timesheetsUrl(target)}/${guid(timesheetId, 'a TimesheetID')}`);
}

/** The timesheet as Xero holds it, or undefined when Xero has none by that id (deleted). */
export function processTimesheet2Get(response: XeroResponse): Record<string, unknown> | undefined {
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  return timesheetOf(response);
}

/** Builds `GET /payroll.xro/2.0/Employees/{id}`, for the pay run calendar a timesheet goes on. */
export function buildEmployee2Get(target: Payroll2Target, employeeId: string): XeroRequest {
  return buildJsonGet(target.auth, `${xeroEndpoints(target.apiUrl).payroll2}/Employees/${guid(employeeId, 'an EmployeeID')}`);
}

/** The employee's `payrollCalendarID`; undefined when Xero knows no such employee or it has none. */
export function processEmployee2Get(response: XeroResponse): string | undefined {
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const employee = readJson(response)['employee'];
  const calendar = employee !== null && typeof employee === 'object' ? (employee as Record<string, unknown>)['payrollCalendarID'] : undefined;
  return typeof calendar === 'string' && calendar !== '' ? calendar : undefined;
}

function readJson(response: XeroResponse): Record<string, unknown> {
  try {
    const value = JSON.parse(response.body) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the error below.
  }
  throw unreadableAnswer("Xero's Payroll answer is not a JSON object.", response);
}

function timesheetOf(response: XeroResponse): Record<string, unknown> {
  const timesheet = readJson(response)['timesheet'];
  if (timesheet === null || typeof timesheet !== 'object' || typeof (timesheet as Record<string, unknown>)['timesheetID'] !== 'string') {
    throw unreadableAnswer("Xero's answer has no timesheet with a timesheetID.", response);
  }
  return timesheet as Record<string, unknown>;
}
