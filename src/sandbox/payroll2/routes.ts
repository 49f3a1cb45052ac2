import { Hono, type MiddlewareHandler } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOrganisation } from '../organisations';
import { payrollApiOf } from './payroll-api';
import { referenceRoutes } from './reference';
import { sendProblem } from './respond';
import { timesheet2Routes } from './timesheets';

/**
 * Payroll UK, NZ and AU 2.0, mounted at /payroll.xro/2.0: Timesheets (with their lines, Approve
 * and RevertToDraft), Employees, EarningsRates and PayRunCalendars, in camelCase JSON, for
 * British and New Zealand organisations and Australian ones moved to Payroll 2.0.
 * @see PROTOCOL.md §5.2
 */
export function payroll2Routes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.use('*', payroll2Only(deps));
  app.route('/', referenceRoutes(deps));
  app.route('/', timesheet2Routes(deps));
  return app;
}

/**
 * payroll.xro/2.0 is an OAuth 2.0 API whose every operation requires `Xero-Tenant-Id` (the
 * OpenAPI files' `requiredHeader`), and it serves only organisations whose payroll is on 2.0.
 */
function payroll2Only(deps: SandboxDeps): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (auth.appType !== 'oauth2') return sendProblem(c, 401, 'payroll.xro/2.0 takes OAuth 2.0 access tokens only.');
    if (!c.req.header('xero-tenant-id')?.trim()) return sendProblem(c, 400, 'The Xero-Tenant-Id header is required.', [{ name: 'Xero-Tenant-Id', reason: 'The Xero-Tenant-Id header is required.' }]);
    const org = findOrganisation(deps.db, auth.organisationId);
    const api = org ? payrollApiOf(deps.db, org) : undefined;
    if (!org || api !== '2.0') {
      const why = !org || api === undefined ? 'has no Xero Payroll' : 'uses Payroll AU (payroll.xro/1.0)';
      return sendProblem(c, 403, `${org ? `${org.name} (${org.countryCode})` : 'This organisation'} ${why}; payroll.xro/2.0 serves Payroll UK, NZ and AU organisations moved to Payroll 2.0.`);
    }
    await next();
  };
}
