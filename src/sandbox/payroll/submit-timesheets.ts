import { randomUUID } from 'node:crypto';
import { AppError } from '../../lib/errors';
import { immediate, type Db } from '../../store/db';
import { collectionItems, type XeroBody } from '../http/format';
import { findDocument, replaceDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import { PAYROLL_TYPES, type Timesheet } from './model';
import { overlappingTimesheets } from './timesheet-overlaps';
import { checkTimesheet, type TimesheetLookups } from './validate-timesheet';

/**
 * Whether `{"Timesheets":[…]}` is accepted as well as the bare array the OpenAPI spec shows.
 * One integrator reports live Xero refusing the wrapper ("Cannot deserialize the current JSON
 * object into type UpdateTimesheetRequest because the type requires a JSON array.");
 * PROTOCOL.md §5.1 calls it UNCONFIRMED. The sandbox is lenient until that is settled.
 */
export const ACCEPT_WRAPPED_JSON = true;

/** The outcome of one POST: what was stored, and the submitted objects that were refused. */
export interface TimesheetSubmission {
  saved: Timesheet[];
  /** Each refused object as submitted, with `ValidationErrors: [{ Message }]` added. */
  failed: Record<string, unknown>[];
}

/**
 * The timesheets in a POST body: a bare JSON array (the spec's form), `{"Timesheets":[…]}`,
 * `<Timesheets><Timesheet>…` or a bare `<Timesheet>`. Throws AppError 'invalid' otherwise.
 */
export function timesheetItems(body: XeroBody): unknown[] {
  if (body.format === 'json' && !ACCEPT_WRAPPED_JSON && !Array.isArray(body.data)) {
    throw new AppError('invalid', 'The JSON body must be an array of timesheets, e.g. [{"EmployeeID": "…", …}].');
  }
  return collectionItems(body, 'Timesheets', 'Timesheet');
}

/**
 * Checks and stores submitted timesheets in one transaction. Like Xero's batches it is not
 * all-or-nothing: each valid timesheet is saved even when others fail, and later items are
 * checked against earlier ones (two timesheets for one period in one batch clash).
 */
export function submitTimesheets(db: Db, organisationId: string, items: readonly unknown[], now: Date, pathId?: string): TimesheetSubmission {
  const lookups = timesheetLookups(db, organisationId);
  const result: TimesheetSubmission = { saved: [], failed: [] };
  immediate(db, () => {
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        result.failed.push({ ValidationErrors: [{ Message: 'Each timesheet must be an object with EmployeeID, StartDate, EndDate and TimesheetLines.' }] });
        continue;
      }
      const input = item as Record<string, unknown>;
      const check = checkTimesheet(input, lookups, { now: storedTimestamp(now), newId: randomUUID, ...(pathId ? { pathId } : {}) });
      if (!check.ok) {
        result.failed.push({ ...input, ValidationErrors: check.errors.map((message) => ({ Message: message })) });
        continue;
      }
      replaceDocument(db, organisationId, PAYROLL_TYPES.timesheet, check.timesheet.TimesheetID, check.timesheet, now.toISOString());
      result.saved.push(check.timesheet);
    }
  });
  return result;
}

function timesheetLookups(db: Db, organisationId: string): TimesheetLookups {
  return {
    employee: (id) => findDocument(db, organisationId, PAYROLL_TYPES.employee, id),
    calendar: (id) => findDocument(db, organisationId, PAYROLL_TYPES.calendar, id),
    earningsRate: (id) => findDocument(db, organisationId, PAYROLL_TYPES.earningsRate, id),
    timesheet: (id) => findDocument(db, organisationId, PAYROLL_TYPES.timesheet, id),
    overlapping: (employeeId, start, end) => overlappingTimesheets(db, organisationId, employeeId, start, end),
  };
}
