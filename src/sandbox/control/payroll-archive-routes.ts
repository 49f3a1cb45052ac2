import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import { immediate } from '../../store/db';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { jsonObject } from '../http/json-body';
import { isGuid, PAYROLL_TYPES, type EarningsRate, type PayrollEmployee } from '../payroll/model';
import { findDocument, replaceDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import { organisationOf } from './organisation-routes';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `/sandbox/organisations/{organisationId}/employees/{EmployeeID}/terminate|reinstate` and
 * `/earnings-rates/{EarningsRateID}/archive|restore`: what a payroll officer does in Xero Payroll,
 * so integrations meet a mapped employee who has left or an earnings rate no longer in use. Both
 * Payroll AU 1.0 and 2.0 (UK, NZ, AU) read the same records. `terminate` takes an optional
 * `{ "endDate": "YYYY-MM-DD" }` (the last day of employment; the sandbox's today when absent).
 * Each answers the changed record as stored.
 */
export function payrollArchiveRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const findEmployee = (organisationId: string, id: string) => {
    const found = isGuid(id) ? findDocument<PayrollEmployee>(deps.db, organisationId, PAYROLL_TYPES.employee, id) : undefined;
    if (!found) throw new AppError('not_found', `The organisation has no employee with EmployeeID ${id}.`, { field: 'employeeId' });
    return found;
  };

  app.post('/:organisationId/employees/:employeeId/terminate', async (c) => {
    const organisationId = organisationOf(c, deps);
    const body = await jsonObject(c.req);
    const endDate = body['endDate'] ?? deps.clock.now().toISOString().slice(0, 10);
    if (typeof endDate !== 'string' || !DAY.test(endDate) || Number.isNaN(Date.parse(endDate))) throw new AppError('invalid', 'endDate: must be a date, YYYY-MM-DD.', { field: 'endDate' });
    const employee = immediate(deps.db, () => {
      const found = findEmployee(organisationId, c.req.param('employeeId'));
      if (found.StartDate && endDate < found.StartDate.slice(0, 10)) throw new AppError('invalid', `endDate: ${found.FirstName} ${found.LastName} started on ${found.StartDate.slice(0, 10)}; employment cannot end before it starts.`, { field: 'endDate' });
      const changed: PayrollEmployee = { ...found, Status: 'TERMINATED', TerminationDate: `${endDate}T00:00:00`, UpdatedDateUTC: storedTimestamp(deps.clock.now()) };
      replaceDocument(deps.db, organisationId, PAYROLL_TYPES.employee, changed.EmployeeID, changed, deps.clock.now().toISOString());
      return changed;
    });
    return c.json({ employee });
  });

  app.post('/:organisationId/employees/:employeeId/reinstate', (c) => {
    const organisationId = organisationOf(c, deps);
    const employee = immediate(deps.db, () => {
      const { TerminationDate: _ended, TerminationReason: _reason, ...found } = findEmployee(organisationId, c.req.param('employeeId'));
      const changed: PayrollEmployee = { ...found, Status: 'ACTIVE', UpdatedDateUTC: storedTimestamp(deps.clock.now()) };
      replaceDocument(deps.db, organisationId, PAYROLL_TYPES.employee, changed.EmployeeID, changed, deps.clock.now().toISOString());
      return changed;
    });
    return c.json({ employee });
  });

  for (const [action, current] of [['archive', false], ['restore', true]] as const) {
    app.post(`/:organisationId/earnings-rates/:rateId/${action}`, (c) => {
      const organisationId = organisationOf(c, deps);
      const id = c.req.param('rateId');
      const earningsRate = immediate(deps.db, () => {
        const found = isGuid(id) ? findDocument<EarningsRate>(deps.db, organisationId, PAYROLL_TYPES.earningsRate, id) : undefined;
        if (!found) throw new AppError('not_found', `The organisation has no earnings rate with EarningsRateID ${id}.`, { field: 'earningsRateId' });
        const changed: EarningsRate = { ...found, CurrentRecord: current, UpdatedDateUTC: storedTimestamp(deps.clock.now()) };
        replaceDocument(deps.db, organisationId, PAYROLL_TYPES.earningsRate, changed.EarningsRateID, changed, deps.clock.now().toISOString());
        return changed;
      });
      return c.json({ earningsRate });
    });
  }

  return app;
}
