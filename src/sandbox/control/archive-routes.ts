import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import { immediate } from '../../store/db';
import { archiveRefusal, setAccountStatus } from '../accounting/account-writes';
import { findContact, findContactByName, findContactByNumber, saveContact } from '../accounting/contact-records';
import type { Contact } from '../accounting/model';
import { findAccountByCode } from '../accounting/reference-data';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { storedTimestamp } from '../store/stored-dates';
import { organisationOf } from './organisation-routes';

/**
 * `/sandbox/organisations/{organisationId}/accounts/{code}/archive|restore` and
 * `/contacts/{ContactID or ContactNumber}/archive|restore`: what a person does in Xero's chart
 * of accounts and contact list, so integrations meet an archived mapping. No body; each answers
 * the changed record as stored.
 */
export function archiveRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  for (const [action, status] of [['archive', 'ARCHIVED'], ['restore', 'ACTIVE']] as const) {
    app.post(`/:organisationId/accounts/:code/${action}`, (c) => {
      const organisationId = organisationOf(c, deps);
      const code = c.req.param('code');
      const account = immediate(deps.db, () => {
        const found = findAccountByCode(deps.db, organisationId, code);
        if (!found) throw new AppError('not_found', `The organisation has no account with code ${code}.`, { field: 'code' });
        const refusal = status === 'ARCHIVED' ? archiveRefusal(found) : undefined;
        if (refusal) throw new AppError('conflict', `Account ${found.Code} (${found.Name}) is a system account; Xero does not let system accounts be archived.`, { field: 'code' });
        return setAccountStatus(deps.db, organisationId, found, status, deps.clock.now());
      });
      return c.json({ account });
    });

    app.post(`/:organisationId/contacts/:contact/${action}`, (c) => {
      const organisationId = organisationOf(c, deps);
      const key = c.req.param('contact');
      const contact = immediate(deps.db, () => {
        const found = findContact(deps.db, organisationId, key) ?? findContactByNumber(deps.db, organisationId, key);
        if (!found) throw new AppError('not_found', `The organisation has no contact with ContactID or ContactNumber ${key}.`, { field: 'contact' });
        // Active contact names are unique in Xero, so a restore must not make a second one.
        const twin = status === 'ACTIVE' ? findContactByName(deps.db, organisationId, found.Name, found.ContactID) : undefined;
        if (twin) throw new AppError('conflict', `Another active contact is already named ${found.Name}; Xero keeps active contact names unique.`, { field: 'contact' });
        const changed: Contact = { ...found, ContactStatus: status, UpdatedDateUTC: storedTimestamp(deps.clock.now()) };
        saveContact(deps.db, organisationId, changed, false, deps.clock.now().toISOString());
        return changed;
      });
      return c.json({ contact });
    });
  }

  return app;
}
