import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { collectionItems, readXeroBody, sendNotFound } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { applyQuery } from '../query/apply-query';
import { listDocuments } from '../store/documents';
import { runBatch, summarizeErrors, type BatchSpec } from './batch';
import { findContact, findContactByNumber } from './contact-records';
import { apply, saveContactInput } from './contact-writes';
import { currentOrganisation, listParam, writeContext } from './context';
import { ACCOUNTING_QUERY } from './fields';
import type { Contact } from './model';
import { sendDocuments } from './respond';

/**
 * `/Contacts`: GET (where, order, page, If-Modified-Since, IDs, includeArchived), PUT (create),
 * POST (create or update), `/Contacts/{ContactID or ContactNumber}` GET, and
 * `/Contacts/{ContactID}` POST (update one, e.g. ContactStatus ARCHIVED or ACTIVE).
 * @see https://developer.xero.com/documentation/api/accounting/contacts
 */
export function contactRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/', (c) => {
    let contacts = listDocuments<Contact>(deps.db, currentOrganisation(c, deps).id, 'Contact');
    const ids = listParam(c, 'IDs')?.map((id) => id.toLowerCase());
    if (ids) contacts = contacts.filter((contact) => ids.includes(contact.ContactID));
    if ((c.req.query('includeArchived') ?? '').toLowerCase() !== 'true') contacts = contacts.filter((contact) => contact.ContactStatus === 'ACTIVE');
    return catchQueryError(c, () => sendDocuments(c, deps, 'Contacts', applyQuery(contacts, 'Contact', readListQuery(c), ACCOUNTING_QUERY)));
  });

  app.get('/:id', (c) => {
    const org = currentOrganisation(c, deps);
    const key = c.req.param('id');
    const contact = findContact(deps.db, org.id, key) ?? findContactByNumber(deps.db, org.id, key);
    return contact ? sendDocuments(c, deps, 'Contacts', [contact]) : sendNotFound(c);
  });

  for (const [method, mode] of [['put', 'create'], ['post', 'createOrUpdate']] as const) {
    app[method]('/', async (c) => {
      const items = collectionItems(await readXeroBody(c), 'Contacts', 'Contact');
      const context = writeContext(c, deps);
      const spec: BatchSpec = { collection: 'Contacts', type: 'Contact', errorFlag: 'HasValidationErrors', process: (item) => saveContactInput(context, item, mode) };
      return runBatch(c, deps, spec, items, summarizeErrors(c));
    });
  }

  app.post('/:id', async (c) => {
    const context = writeContext(c, deps);
    const existing = findContact(deps.db, context.org.id, c.req.param('id'));
    if (!existing) return sendNotFound(c);
    const items = collectionItems(await readXeroBody(c), 'Contacts', 'Contact').slice(0, 1);
    const spec: BatchSpec = {
      collection: 'Contacts',
      type: 'Contact',
      errorFlag: 'HasValidationErrors',
      // Re-read inside the batch's transaction so a concurrent change is not overwritten.
      process: (item) => apply(context, item, findContact(deps.db, context.org.id, existing.ContactID) ?? existing),
    };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  });

  return app;
}
