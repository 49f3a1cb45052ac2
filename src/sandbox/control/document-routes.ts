import { Hono } from 'hono';
import { AppError } from '../../lib/errors';
import { immediate } from '../../store/db';
import { changeCreditNoteStatus } from '../accounting/credit-note-status';
import { findCreditNote } from '../accounting/credit-note-writes';
import { findInvoice, update } from '../accounting/invoice-writes';
import type { Payment } from '../accounting/model';
import { deletePayment } from '../accounting/payment-writes';
import type { InvoiceContext } from '../accounting/validate-invoice';
import { isGuid } from '../accounting/values';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOrganisationSettings } from '../organisation-settings';
import { findOrganisation } from '../organisations';
import { findDocument } from '../store/documents';
import { organisationOf } from './organisation-routes';

/**
 * `/sandbox/organisations/{organisationId}/invoices/{InvoiceID or InvoiceNumber}/void|delete`,
 * `/credit-notes/{CreditNoteID or CreditNoteNumber}/void|delete` and `/payments/{PaymentID}/delete`:
 * what a person does to a document in Xero after an app sent it (void an approved invoice or
 * credit note, delete a draft one, remove a payment), under the rules the API applies (a document
 * with a payment or allocation is voided only once that is removed; nothing in a locked period). No body; each answers the changed document, or 409 with Xero's message.
 */
export function documentRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const contextOf = (organisationId: string): InvoiceContext => ({
    db: deps.db,
    org: findOrganisation(deps.db, organisationId)!,
    settings: findOrganisationSettings(deps.db, organisationId),
    now: deps.clock.now(),
    unitdp: 2,
  });

  for (const [action, status] of [['void', 'VOIDED'], ['delete', 'DELETED']] as const) {
    app.post(`/:organisationId/invoices/:invoice/${action}`, (c) => {
      const organisationId = organisationOf(c, deps);
      const key = c.req.param('invoice');
      const invoice = immediate(deps.db, () => {
        const found = findInvoice(deps.db, organisationId, key);
        if (!found) throw new AppError('not_found', `The organisation has no invoice with InvoiceID or InvoiceNumber ${key}.`, { field: 'invoice' });
        const outcome = update(contextOf(organisationId), found, { Status: status });
        if (!outcome.ok) throw new AppError('conflict', outcome.errors.join(' '), { field: 'invoice' });
        return outcome.doc;
      });
      return c.json({ invoice });
    });

    app.post(`/:organisationId/credit-notes/:note/${action}`, (c) => {
      const organisationId = organisationOf(c, deps);
      const key = c.req.param('note');
      const creditNote = immediate(deps.db, () => {
        const found = findCreditNote(deps.db, organisationId, key);
        if (!found) throw new AppError('not_found', `The organisation has no credit note with CreditNoteID or CreditNoteNumber ${key}.`, { field: 'creditNote' });
        const outcome = changeCreditNoteStatus(contextOf(organisationId), found, status);
        if (!outcome.ok) throw new AppError('conflict', outcome.errors.join(' '), { field: 'creditNote' });
        return outcome.doc;
      });
      return c.json({ creditNote });
    });
  }

  app.post('/:organisationId/payments/:payment/delete', (c) => {
    const organisationId = organisationOf(c, deps);
    const id = c.req.param('payment');
    const payment = immediate(deps.db, () => {
      const found = isGuid(id) ? findDocument<Payment>(deps.db, organisationId, 'Payment', id) : undefined;
      if (!found) throw new AppError('not_found', `The organisation has no payment with PaymentID ${id}.`, { field: 'payment' });
      const outcome = deletePayment(contextOf(organisationId), found, { Status: 'DELETED' });
      if (!outcome.ok) throw new AppError('conflict', outcome.errors.join(' '), { field: 'payment' });
      return outcome.doc;
    });
    return c.json({ payment });
  });

  return app;
}
