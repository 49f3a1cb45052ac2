import type { Context } from 'hono';
import { AppError } from '../../lib/errors';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { findOrganisationSettings } from '../organisation-settings';
import { findOrganisation, type SandboxOrganisation } from '../organisations';
import { invoiceSequence } from './invoice-writes';
import { viewOptions } from './respond';
import type { InvoiceContext } from './validate-invoice';

/** The calling organisation, as the OAuth layer established it. */
export function currentOrganisation(c: Context<SandboxEnv>, deps: SandboxDeps): SandboxOrganisation {
  const id = c.get('auth').organisationId;
  const org = findOrganisation(deps.db, id);
  if (!org) throw new AppError('internal', `The authenticated organisation ${id} does not exist in the sandbox.`);
  return org;
}

/** What invoice and payment writes need for this request: database, organisation, its settings, clock, unitdp. */
export function writeContext(c: Context<SandboxEnv>, deps: SandboxDeps): InvoiceContext {
  const org = currentOrganisation(c, deps);
  return {
    db: deps.db,
    org,
    settings: findOrganisationSettings(deps.db, org.id),
    now: deps.clock.now(),
    unitdp: viewOptions(c).unitdp,
    app: c.get('auth').consumerKey,
    invoiceNumbers: invoiceSequence(deps.db, org.id),
  };
}

/** A comma-separated query parameter (`IDs=a,b`, `Statuses=DRAFT,PAID`) as a list, or undefined. */
export function listParam(c: Context<SandboxEnv>, name: string): string[] | undefined {
  const value = c.req.query(name);
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((part) => part.trim().replace(/^"(.*)"$/, '$1')).filter((part) => part !== '');
}
