import type { XeroAuth } from './auth';
import { signedXmlWrite } from './batch-write';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { jsonMessages } from './validation-messages';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/** What a timesheet write needs: how it is authorised, and `<Timesheets>…</Timesheets>`. */
export interface TimesheetWriteInput {
  apiUrl: string;
  auth: XeroAuth;
  body: string;
}

/** The natural key of a timesheet at Xero: one timesheet per employee and period start. */
export interface TimesheetKey {
  employeeId: string;
  /** `YYYY-MM-DD` */
  startDate: string;
}

/** What became of one timesheet of a write, by its place in the request. */
export type TimesheetOutcome =
  | { status: 'saved'; item: Record<string, unknown> }
  /**
   * Not saved, with Xero's messages. A period Xero already holds counts as refused: a timesheet
   * whose earlier send may have landed is looked up before it is sent again, so one found here
   * was entered some other way.
   */
  | { status: 'refused'; messages: string[] }
  /** Xero's answer does not say: the timesheet may have been saved. */
  | { status: 'unknown' };

/**
 * Builds `POST /payroll.xro/1.0/Timesheets` with an XML body, asking for JSON. Payroll AU has no
 * summarizeErrors: valid timesheets are saved even when others fail, and the 400 that follows
 * lists only the refused ones. The Idempotency-Key derives from the body, as for batch writes.
 * @see PROTOCOL.md §5.1
 */
export function buildTimesheetWrite(input: TimesheetWriteInput): XeroRequest {
  return signedXmlWrite('POST', `${xeroEndpoints(input.apiUrl).payroll}/Timesheets`, input);
}

/**
 * Reads a timesheet write's answer, one outcome per timesheet sent: 200 lists every saved
 * timesheet in request order; a 400 ValidationException lists the refused ones as sent (so they
 * are matched by employee and period), and the others were saved, though unnamed: `unknown`,
 * for a look-up to settle. Any other answer is thrown as its problem.
 */
export function processTimesheetWrite(response: XeroResponse, sent: readonly TimesheetKey[]): TimesheetOutcome[] {
  const list = timesheetList(response);
  if (response.status === 200) {
    if (!list || list.length !== sent.length) throw unreadableAnswer(`Xero answered ${list?.length ?? 'no'} timesheets for the ${sent.length} sent.`, response);
    return list.map((item) => ({ status: 'saved', item }));
  }
  if (response.status !== 400 || !list || parseXeroProblem(response).kind !== 'validation') throw xeroProblemError(parseXeroProblem(response), response);
  const outcomes: TimesheetOutcome[] = sent.map(() => ({ status: 'unknown' }));
  for (const item of list) {
    const index = sent.findIndex((key, at) => outcomes[at]!.status === 'unknown' && sameTimesheet(item, key));
    if (index === -1) continue;
    const messages = jsonMessages(item, 'ValidationErrors');
    outcomes[index] = { status: 'refused', messages: messages.length > 0 ? messages : ['Xero refused the timesheet without giving a reason.'] };
  }
  return outcomes;
}

/** Whether a timesheet as Xero lists it (JSON dates `/Date(ms+0000)/`) is the one with `key`. */
export function sameTimesheet(item: Record<string, unknown>, key: TimesheetKey): boolean {
  const employee = item['EmployeeID'];
  return typeof employee === 'string' && employee.toLowerCase() === key.employeeId.toLowerCase() && xeroDay(item['StartDate']) === key.startDate;
}

/** The calendar day of a Xero date in JSON (`/Date(1763251200000+0000)/`) or ISO form. */
export function xeroDay(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/** The `Timesheets` list of a JSON answer, if it has one. */
export function timesheetList(response: XeroResponse): Record<string, unknown>[] | undefined {
  try {
    const body = JSON.parse(response.body) as Record<string, unknown>;
    const list = body['Timesheets'];
    return Array.isArray(list) ? list.filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object') : undefined;
  } catch {
    return undefined;
  }
}
