import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendEnvelope } from '../http/format';
import { catchQueryError } from '../http/list-query';
import { PAYROLL_TYPES } from './model';
import { queryDocuments, renderAll, sendNotModelled } from './respond';

/**
 * GET /PayItems: one `PayItems` object (not a list) holding EarningsRates, DeductionTypes,
 * LeaveTypes and ReimbursementTypes. The sandbox models earnings rates only (the others are
 * empty); where, order, page and If-Modified-Since apply to the earnings rates.
 * @see xero-payroll-au.yaml getPayItems
 */
export function payItemRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/PayItems', (c) =>
    catchQueryError(c, () => {
      const rates = renderAll(c, queryDocuments(c, deps, PAYROLL_TYPES.earningsRate));
      return sendEnvelope(c, deps.clock.now(), 'PayItems', { EarningsRates: rates, DeductionTypes: [], LeaveTypes: [], ReimbursementTypes: [] });
    }),
  );
  app.post('/PayItems', (c) => sendNotModelled(c, 'creating pay items'));
  return app;
}
