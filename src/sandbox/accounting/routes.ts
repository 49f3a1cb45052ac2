import { Hono } from 'hono';
import { toAppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { sendApiException } from '../http/format';
import { accountRoutes } from './accounts';
import { attachmentRoutes } from './attachments';
import { contactRoutes } from './contacts';
import { creditNoteRoutes } from './credit-notes';
import { invoiceRoutes } from './invoices';
import { paymentRoutes } from './payments';
import { referenceRoutes } from './reference';

/**
 * The Accounting API under /api.xro/2.0, mounted behind the OAuth 1.0a verifier, which sets
 * `auth.organisationId`. XML by default, JSON on `Accept: application/json`.
 * @see PROTOCOL.md §4
 */
export function accountingRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.route('/', referenceRoutes(deps));
  app.route('/', attachmentRoutes(deps));
  app.route('/Accounts', accountRoutes(deps));
  app.route('/Contacts', contactRoutes(deps));
  app.route('/Invoices', invoiceRoutes(deps));
  app.route('/CreditNotes', creditNoteRoutes(deps));
  app.route('/Payments', paymentRoutes(deps));

  app.onError((error, c) => {
    const appError = toAppError(error);
    c.set('problem', appError.message);
    // A body Xero cannot read (bad XML or JSON, wrong root element) is a PostDataInvalidException.
    if (appError.code === 'invalid') return sendApiException(c, 400, 14, 'PostDataInvalidException', appError.message);
    deps.logger.error('sandbox accounting request failed', { path: c.req.path, error });
    return c.text('An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.', 500);
  });
  return app;
}
