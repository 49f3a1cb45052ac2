import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { collectionItems, readXeroBody, sendNotFound } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { applyQuery } from '../query/apply-query';
import { listDocuments, listDocumentsCreatedBy } from '../store/documents';
import { runBatch, summarizeErrors, type BatchSpec } from './batch';
import { currentOrganisation, listParam, writeContext } from './context';
import { ACCOUNTING_QUERY } from './fields';
import { flagParam, invoiceSummary } from './invoice-summary';
import { findInvoice, saveInvoice, update } from './invoice-writes';
import type { Invoice } from './model';
import { sendDocuments } from './respond';

const SPEC = { collection: 'Invoices', type: 'Invoice', errorFlag: 'HasErrors' } as const;

/**
 * `/Invoices`: GET (where, order, page, If-Modified-Since, IDs, InvoiceNumbers, Statuses,
 * ContactIDs, createdByMyApp: only what the calling app created, summaryOnly: the lighter shape
 * without line items), PUT (create only), POST (create or update), and `/Invoices/{InvoiceID or
 * InvoiceNumber}` GET and POST (update one).
 * @see https://developer.xero.com/documentation/api/accounting/invoices
 */
export function invoiceRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/', (c) => {
    const org = currentOrganisation(c, deps);
    let invoices = flagParam(c.req.query('createdByMyApp')) ? listDocumentsCreatedBy<Invoice>(deps.db, org.id, 'Invoice', c.get('auth').consumerKey) : listDocuments<Invoice>(deps.db, org.id, 'Invoice');
    const ids = listParam(c, 'IDs')?.map((id) => id.toLowerCase());
    const numbers = listParam(c, 'InvoiceNumbers');
    const statuses = listParam(c, 'Statuses')?.map((status) => status.toUpperCase());
    const contacts = listParam(c, 'ContactIDs')?.map((id) => id.toLowerCase());
    if (ids) invoices = invoices.filter((invoice) => ids.includes(invoice.InvoiceID));
    if (numbers) invoices = invoices.filter((invoice) => invoice.InvoiceNumber !== undefined && numbers.includes(invoice.InvoiceNumber));
    if (statuses) invoices = invoices.filter((invoice) => statuses.includes(invoice.Status));
    if (contacts) invoices = invoices.filter((invoice) => contacts.includes(invoice.Contact.ContactID.toLowerCase()));
    return catchQueryError(c, () => {
      const query = readListQuery(c);
      const queried = applyQuery(invoices, 'Invoice', query, ACCOUNTING_QUERY);
      // Xero leaves line items out of unpaged lists; a page (or a single invoice) has them, unless
      // only the summary was asked for.
      const shown = flagParam(c.req.query('summaryOnly')) ? queried.map(invoiceSummary) : query.page === undefined ? queried.map((invoice) => ({ ...invoice, LineItems: [] })) : queried;
      return sendDocuments(c, deps, 'Invoices', shown);
    });
  });

  app.get('/:id', (c) => {
    const invoice = findInvoice(deps.db, currentOrganisation(c, deps).id, c.req.param('id'));
    return invoice ? sendDocuments(c, deps, 'Invoices', [invoice]) : sendNotFound(c);
  });

  const write = (mode: 'create' | 'createOrUpdate') => async (c: Context<SandboxEnv>) => {
    const items = collectionItems(await readXeroBody(c), 'Invoices', 'Invoice');
    const context = writeContext(c, deps);
    const spec: BatchSpec = { ...SPEC, process: (item) => saveInvoice(context, item, mode) };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  };
  app.put('/', write('create'));
  app.post('/', write('createOrUpdate'));

  app.post('/:id', async (c) => {
    const context = writeContext(c, deps);
    const existing = findInvoice(deps.db, context.org.id, c.req.param('id'));
    if (!existing) return sendNotFound(c);
    const items = collectionItems(await readXeroBody(c), 'Invoices', 'Invoice').slice(0, 1);
    const spec: BatchSpec = {
      ...SPEC,
      // The invoice is re-read inside the transaction so a concurrent write is not lost.
      process: (item) => update(context, findInvoice(deps.db, context.org.id, existing.InvoiceID) ?? existing, item),
    };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  });

  return app;
}
