import { Hono } from 'hono';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { collectionItems, readXeroBody, sendNotFound } from '../http/format';
import { updateAccount } from './account-writes';
import { runBatch, type BatchSpec } from './batch';
import { currentOrganisation, writeContext } from './context';
import { findAccountById } from './reference-data';
import { sendDocuments } from './respond';
import { isGuid } from './values';

/**
 * `/Accounts/{AccountID}`: GET one account, and POST to change its Status (archive or restore).
 * The list and its `where` live with the other settings (reference.ts). Xero takes one account
 * per update, so only the first element of the body is read.
 * @see https://developer.xero.com/documentation/api/accounting/accounts
 */
export function accountRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const account = isGuid(id) ? findAccountById(deps.db, currentOrganisation(c, deps).id, id) : undefined;
    return account ? sendDocuments(c, deps, 'Accounts', [account]) : sendNotFound(c);
  });

  app.post('/:id', async (c) => {
    const id = c.req.param('id');
    const context = writeContext(c, deps);
    if (!isGuid(id) || !findAccountById(deps.db, context.org.id, id)) return sendNotFound(c);
    const items = collectionItems(await readXeroBody(c), 'Accounts', 'Account').slice(0, 1);
    const spec: BatchSpec = {
      collection: 'Accounts',
      type: 'Account',
      errorFlag: 'HasValidationErrors',
      // Re-read inside the batch's transaction so a concurrent change is not overwritten.
      process: (item) => updateAccount(context, findAccountById(deps.db, context.org.id, id)!, item),
    };
    return runBatch(c, deps, spec, items, true);
  });

  return app;
}
