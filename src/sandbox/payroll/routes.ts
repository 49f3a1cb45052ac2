import { Hono, type MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOrganisation } from '../organisations';
import { payrollApiOf } from '../payroll2/payroll-api';
import { calendarRoutes } from './calendars';
import { employeeRoutes } from './employees';
import { payItemRoutes } from './pay-items';
import { timesheetRoutes } from './timesheets';

/**
 * The Payroll AU (v1) API, mounted at /payroll.xro/1.0 behind OAuth 1.0a: Employees, PayItems,
 * PayrollCalendars and Timesheets for the caller's organisation, in XML or JSON.
 * @see PROTOCOL.md §5.1
 */
export function payrollRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.use('*', australianPayrollOnly(deps));
  app.route('/', employeeRoutes(deps));
  app.route('/', payItemRoutes(deps));
  app.route('/', calendarRoutes(deps));
  app.route('/', timesheetRoutes(deps));
  return app;
}

/**
 * Payroll AU exists only for Australian organisations not moved to Payroll 2.0. Others get a
 * plain-text 403, the status Xero gives a connection that may not use a resource; the exact
 * live body is UNCONFIRMED.
 */
function australianPayrollOnly(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const org = findOrganisation(deps.db, c.get('auth').organisationId);
    if (!org || org.countryCode !== 'AU') {
      c.set('problem', 'payroll au not available');
      const who = org ? `${org.name} (${org.countryCode})` : 'This organisation';
      return c.text(`${who} does not use Xero Payroll for Australia; the Payroll AU API (payroll.xro/1.0) is only available to Australian organisations.`, 403);
    }
    if (payrollApiOf(deps.db, org) === '2.0') {
      c.set('problem', 'payroll au moved to 2.0');
      return c.text(`${org.name} (${org.countryCode}) has moved to Payroll 2.0; use payroll.xro/2.0 for its timesheets.`, 403);
    }
    await next();
  };
}
