import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { jsonObject } from '../http/json-body';
import { findOrganisation } from '../organisations';
import { payrollApiOf, savePayrollApi } from '../payroll2/payroll-api';
import { organisationOf } from './organisation-routes';

/**
 * `/sandbox/organisations/{organisationId}/payroll`: which payroll API the organisation's
 * payroll answers on. GET reads `{ api: '1.0' | '2.0' | null }`; PUT `{ "api": "2.0" }` moves an
 * Australian organisation between Payroll AU 1.0 and 2.0 (UK and NZ are always on 2.0).
 */
export function payrollApiRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const view = (id: string) => ({ organisationId: id, api: payrollApiOf(deps.db, findOrganisation(deps.db, id)!) ?? null });
  app.get('/:organisationId/payroll', (c) => c.json(view(organisationOf(c, deps))));
  app.put('/:organisationId/payroll', async (c) => {
    const id = organisationOf(c, deps);
    const api = (await jsonObject(c.req))['api'];
    if (api !== '1.0' && api !== '2.0') throw new AppError('invalid', 'api: must be "1.0" or "2.0".', { field: 'api' });
    if (findOrganisation(deps.db, id)!.countryCode !== 'AU') throw new AppError('invalid', 'api: only an Australian organisation can move between Payroll 1.0 and 2.0; UK and NZ payrolls are always on 2.0.', { field: 'api' });
    savePayrollApi(deps.db, id, api);
    return c.json(view(id));
  });
  return app;
}
