import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findDocument, listDocuments } from '../store/documents';
import { isGuid, PAYROLL_TYPES, type EarningsRate, type PayrollCalendar, type PayrollEmployee } from '../payroll/model';
import { payPeriodContaining } from '../payroll/pay-period';
import { dayOf } from '../payroll/dates';
import { pageOf, sendMissing, sendResult } from './respond';

const title = (text: string) => text.charAt(0) + text.slice(1).toLowerCase();
const CALENDAR_TYPES: Record<string, string> = { WEEKLY: 'Weekly', FORTNIGHTLY: 'Fortnightly', FOURWEEKLY: 'FourWeekly', MONTHLY: 'Monthly', QUARTERLY: 'Quarterly', TWICEMONTHLY: 'TwiceMonthly' };
const EARNINGS_TYPES: Record<string, string> = { ORDINARYTIMEEARNINGS: 'RegularEarnings', OVERTIMEEARNINGS: 'OvertimeEarnings', ALLOWANCE: 'Allowance', BONUSESANDCOMMISSIONS: 'Bonus' };
const RATE_TYPES: Record<string, string> = { RATEPERUNIT: 'RatePerUnit', MULTIPLE: 'MultipleOfOrdinaryEarningsRate', FIXEDAMOUNT: 'FixedAmount' };

/** An employee as payroll.xro/2.0 lists it, with the calendar its timesheets go on. */
export function employee2(employee: PayrollEmployee): Record<string, unknown> {
  return {
    employeeID: employee.EmployeeID,
    firstName: employee.FirstName,
    lastName: employee.LastName,
    email: employee.Email ?? null,
    gender: employee.Gender ?? null,
    dateOfBirth: employee.DateOfBirth ?? null,
    startDate: employee.StartDate ?? null,
    endDate: employee.TerminationDate ?? null,
    payrollCalendarID: employee.PayrollCalendarID ?? null,
    updatedDateUTC: employee.UpdatedDateUTC,
  };
}

/** An earnings rate as payroll.xro/2.0 lists it. */
export function earningsRate2(rate: EarningsRate): Record<string, unknown> {
  return {
    earningsRateID: rate.EarningsRateID,
    name: rate.Name,
    earningsType: EARNINGS_TYPES[rate.EarningsType] ?? title(rate.EarningsType),
    rateType: RATE_TYPES[rate.RateType] ?? rate.RateType,
    typeOfUnits: rate.TypeOfUnits ?? null,
    currentRecord: rate['CurrentRecord'] !== false,
    ratePerUnit: rate.RatePerUnit ?? null,
    multipleOfOrdinaryEarningsRate: rate.Multiplier ?? null,
    fixedAmount: rate.Amount ?? null,
  };
}

/** A pay run calendar as payroll.xro/2.0 lists it: its current period from the sandbox clock. */
export function calendar2(calendar: PayrollCalendar, today: string): Record<string, unknown> {
  const period = payPeriodContaining(calendar.CalendarType, dayOf(calendar.StartDate), today);
  return {
    payrollCalendarID: calendar.PayrollCalendarID,
    name: calendar.Name,
    calendarType: CALENDAR_TYPES[calendar.CalendarType] ?? calendar.CalendarType,
    periodStartDate: `${period.start}T00:00:00`,
    periodEndDate: `${period.end}T00:00:00`,
    paymentDate: calendar.PaymentDate,
    updatedDateUTC: calendar.UpdatedDateUTC,
  };
}

interface Resource {
  path: string;
  type: string;
  many: string;
  one: string;
  what: string;
  render(document: never, today: string): Record<string, unknown>;
}

const RESOURCES: readonly Resource[] = [
  { path: 'Employees', type: PAYROLL_TYPES.employee, many: 'employees', one: 'employee', what: 'employee', render: employee2 as Resource['render'] },
  { path: 'EarningsRates', type: PAYROLL_TYPES.earningsRate, many: 'earningsRates', one: 'earningsRate', what: 'earnings rate', render: earningsRate2 as Resource['render'] },
  { path: 'PayRunCalendars', type: PAYROLL_TYPES.calendar, many: 'payRunCalendars', one: 'payRunCalendar', what: 'pay run calendar', render: calendar2 as Resource['render'] },
];

/**
 * GET /Employees, /EarningsRates and /PayRunCalendars (pages of 100) and each by id, the lists a
 * timesheet needs ids from. AU 2.0's own file has only Timesheets; the sandbox serves these to
 * AU organisations on 2.0 too, as UK and NZ have them.
 * @see xero-payroll-uk.yaml getEmployees, getEarningsRates, getPayRunCalendars
 */
export function referenceRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  for (const resource of RESOURCES) {
    app.get(`/${resource.path}`, (c) => sendList(c, deps, resource));
    app.get(`/${resource.path}/:id`, (c) => {
      const id = c.req.param('id');
      const document = isGuid(id) ? findDocument<never>(deps.db, c.get('auth').organisationId, resource.type, id) : undefined;
      if (!document) return sendMissing(c, resource.what);
      return sendResult(c, deps.clock.now(), resource.one, resource.render(document, today(deps)));
    });
  }
  return app;
}

const today = (deps: SandboxDeps) => deps.clock.now().toISOString().slice(0, 10);

function sendList(c: Context<SandboxEnv>, deps: SandboxDeps, resource: Resource): Response {
  const page = Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1);
  const all = listDocuments<never>(deps.db, c.get('auth').organisationId, resource.type);
  return sendResult(c, deps.clock.now(), resource.many, pageOf(all, page).map((document) => resource.render(document, today(deps))), { page, itemCount: all.length });
}
