import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendEnvelope } from '../http/format';
import { PAYROLL_TYPES } from './model';
import { QueryParseError } from './query';
import { queryDocuments, renderAll, sendNotModelled, sendQueryParseError } from './respond';

const EARNINGS_RATE_FIELDS = ['EarningsRateID', 'Name', 'EarningsType', 'RateType', 'AccountCode', 'TypeOfUnits', 'RatePerUnit', 'Multiplier', 'Amount', 'IsExemptFromTax', 'IsExemptFromSuper', 'IsReportableAsW1', 'CurrentRecord', 'UpdatedDateUTC'];

/**
 * GET /PayItems: one `PayItems` object (not a list) holding EarningsRates, DeductionTypes,
 * LeaveTypes and ReimbursementTypes. The sandbox models earnings rates only (the others are
 * empty); where, order, page and If-Modified-Since apply to the earnings rates.
 * @see xero-payroll-au.yaml getPayItems
 */
export function payItemRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/PayItems', (c) => {
    let rates: Record<string, unknown>[];
    try {
      rates = queryDocuments(c, deps, { type: PAYROLL_TYPES.earningsRate, typeName: 'EarningsRate', fields: EARNINGS_RATE_FIELDS });
    } catch (error) {
      if (error instanceof QueryParseError) return sendQueryParseError(c, error.message);
      throw error;
    }
    return sendEnvelope(c, deps.clock.now(), 'PayItems', { EarningsRates: renderAll(c, rates), DeductionTypes: [], LeaveTypes: [], ReimbursementTypes: [] });
  });
  app.post('/PayItems', (c) => sendNotModelled(c, 'creating pay items'));
  return app;
}
