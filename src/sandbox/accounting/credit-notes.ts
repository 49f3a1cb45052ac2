import { Hono, type Context } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { collectionItems, readXeroBody, sendNotFound } from '../http/format';
import { catchQueryError, readListQuery } from '../http/list-query';
import { applyQuery } from '../query/apply-query';
import { listDocuments } from '../store/documents';
import { allocateCreditNote } from './allocation-writes';
import { runBatch, summarizeErrors, type BatchSpec } from './batch';
import { currentOrganisation, listParam, writeContext } from './context';
import { findCreditNote, saveCreditNote } from './credit-note-writes';
import { ACCOUNTING_QUERY } from './fields';
import type { CreditNote } from './model';
import { sendDocuments } from './respond';

const SPEC = { collection: 'CreditNotes', type: 'CreditNote', errorFlag: 'HasErrors' } as const;
const ALLOCATIONS = { collection: 'Allocations', type: 'Allocation', errorFlag: 'HasErrors' } as const;

/**
 * `/CreditNotes`: GET (where, order, page, If-Modified-Since, IDs, Statuses, ContactIDs), PUT
 * (create only) and POST (create), batches with `summarizeErrors`; `/CreditNotes/{id or
 * number}` GET; `/CreditNotes/{id}/Allocations` PUT (apply credit to invoices).
 * @see https://developer.xero.com/documentation/api/accounting/creditnotes
 */
export function creditNoteRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/', (c) => {
    const org = currentOrganisation(c, deps);
    let notes = listDocuments<CreditNote>(deps.db, org.id, 'CreditNote');
    const ids = listParam(c, 'IDs')?.map((id) => id.toLowerCase());
    const statuses = listParam(c, 'Statuses')?.map((status) => status.toUpperCase());
    const contacts = listParam(c, 'ContactIDs')?.map((id) => id.toLowerCase());
    if (ids) notes = notes.filter((note) => ids.includes(note.CreditNoteID));
    if (statuses) notes = notes.filter((note) => statuses.includes(note.Status));
    if (contacts) notes = notes.filter((note) => contacts.includes(note.Contact.ContactID.toLowerCase()));
    return catchQueryError(c, () => {
      const query = readListQuery(c);
      const queried = applyQuery(notes, 'CreditNote', query, ACCOUNTING_QUERY);
      // As with invoices, unpaged lists leave the line items out.
      const shown = query.page === undefined ? queried.map((note) => ({ ...note, LineItems: [] })) : queried;
      return sendDocuments(c, deps, 'CreditNotes', shown);
    });
  });

  app.get('/:id', (c) => {
    const note = findCreditNote(deps.db, currentOrganisation(c, deps).id, c.req.param('id'));
    return note ? sendDocuments(c, deps, 'CreditNotes', [note]) : sendNotFound(c);
  });

  const write = (mode: 'create' | 'createOrUpdate') => async (c: Context<SandboxEnv>) => {
    const items = collectionItems(await readXeroBody(c), 'CreditNotes', 'CreditNote');
    const context = writeContext(c, deps);
    const spec: BatchSpec = { ...SPEC, process: (item) => saveCreditNote(context, item, mode) };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  };
  app.put('/', write('create'));
  app.post('/', write('createOrUpdate'));

  app.put('/:id/Allocations', async (c) => {
    const context = writeContext(c, deps);
    const id = c.req.param('id');
    if (!findCreditNote(deps.db, context.org.id, id)) return sendNotFound(c);
    const items = collectionItems(await readXeroBody(c), 'Allocations', 'Allocation');
    // Re-read per element inside the transaction: each allocation uses what the last one left.
    const spec: BatchSpec = { ...ALLOCATIONS, process: (item) => allocateCreditNote(context, findCreditNote(deps.db, context.org.id, id)!, item) };
    return runBatch(c, deps, spec, items, summarizeErrors(c));
  });

  return app;
}
