import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { collectionItems, readXeroBody, sendNotFound } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { applyQuery } from '../query/apply-query';
import { findDocument, listDocuments } from '../store/documents';
import { runBatch, summarizeErrors, type BatchSpec } from './batch';
import { currentOrganisation, writeContext } from './context';
import { ACCOUNTING_QUERY } from './fields';
import type { Payment } from './model';
import { createPayment, deletePayment } from './payment-writes';
import { sendDocuments } from './respond';
import { isGuid } from './values';

const SPEC = { collection: 'Payments', type: 'Payment', errorFlag: 'HasValidationErrors' } as const;

/**
 * `/Payments`: GET (where, order, page, If-Modified-Since), PUT (many; summarizeErrors),
 * POST (one), `/Payments/{PaymentID}` GET, and POST with Status DELETED to delete.
 * @see https://developer.xero.com/documentation/api/accounting/payments
 */
export function paymentRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/', (c) => {
    const payments = listDocuments<Payment>(deps.db, currentOrganisation(c, deps).id, 'Payment');
    return catchQueryError(c, () => sendDocuments(c, deps, 'Payments', applyQuery(payments, 'Payment', readListQuery(c), ACCOUNTING_QUERY)));
  });

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const payment = isGuid(id) ? findDocument<Payment>(deps.db, currentOrganisation(c, deps).id, 'Payment', id) : undefined;
    return payment ? sendDocuments(c, deps, 'Payments', [payment]) : sendNotFound(c);
  });

  app.put('/', async (c) => {
    const items = collectionItems(await readXeroBody(c), 'Payments', 'Payment');
    const context = writeContext(c, deps);
    const spec: BatchSpec = { ...SPEC, process: (item) => createPayment(context, item) };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  });

  // POST /Payments takes a single payment; Xero's examples wrap it in {"Payments":[…]} too.
  app.post('/', async (c) => {
    const items = collectionItems(await readXeroBody(c), 'Payments', 'Payment').slice(0, 1);
    const context = writeContext(c, deps);
    const spec: BatchSpec = { ...SPEC, process: (item) => createPayment(context, item) };
    return runBatch(c, deps, spec, items, true);
  });

  app.post('/:id', async (c) => {
    const id = c.req.param('id');
    const context = writeContext(c, deps);
    const payment = isGuid(id) ? findDocument<Payment>(deps.db, context.org.id, 'Payment', id) : undefined;
    if (!payment) return sendNotFound(c);
    const items = collectionItems(await readXeroBody(c), 'Payments', 'Payment').slice(0, 1);
    const spec: BatchSpec = { ...SPEC, process: (item) => deletePayment(context, findDocument<Payment>(deps.db, context.org.id, 'Payment', id) ?? payment, item) };
    return runBatch(c, deps, spec, items, true);
  });

  return app;
}
