import { Hono } from 'hono';
import { isOAuth2AppType } from '../../config/oauth2';
import type { Disconnected } from '../../services/disconnect';
import type { LinkDeps } from '../../services/linking';
import { disconnect, disconnectPreview, organisationSummaries, refreshOrganisation } from '../../services/organisations';
import type { XeroCalls } from '../../services/xero-calls';
import { findOrganisation } from '../../store/organisations';
import { rebuiltText, setPayrollApi } from '../../services/payroll-api';
import { DisconnectPage, OrganisationsPage } from '../../../views/organisations';
import { page } from '../render';
import { acting, requireAdmin, type PageEnv } from '../session';

const CONNECTION: Record<Disconnected['connection'], string> = {
  deleted: 'Xero was told and its access is ended.',
  already_gone: 'Xero had already ended its access.',
  not_reached: 'Xero could not be told: remove the app in Xero too (Settings > Connected apps).',
  not_applicable: 'Remove the app in Xero too (Settings > Connected apps).',
};

/** The words for how Xero took the disconnection; a value from the URL that is not one of them says nothing. */
const connectionText = (value: string | undefined): string => (value !== undefined && Object.hasOwn(CONNECTION, value) ? CONNECTION[value as Disconnected['connection']] : CONNECTION.not_applicable);

/**
 * `/organisations`: every organisation with its link, credentials, plan, devices and waiting
 * documents and payroll API; **Refresh from Xero**, the payroll API of an Australian
 * organisation, and **Disconnect** after a confirmation. Linking (new or
 * again) posts to `/connect/link`.
 */
export function organisationRoutes(deps: LinkDeps, calls: XeroCalls): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const back = { href: '/organisations', label: 'Back to the organisations' };
  // '/organisations/*' covers '/organisations' itself too.
  app.use('/organisations/*', requireAdmin(deps));

  app.get('/organisations', (c) => {
    const name = findOrganisation(deps.db, c.req.query('org') ?? '')?.name;
    const done = c.req.query('done');
    const notice =
      name && done === 'refreshed'
        ? { tone: 'success' as const, text: `${name} is linked and answers; its details, plan and edition are read from Xero again.` }
        : name && done === 'payroll'
          ? { tone: 'success' as const, text: `${name}'s timesheets now go to ${c.req.query('api') === '2.0' ? 'Payroll 2.0 (payroll.xro/2.0)' : 'Payroll AU (payroll.xro/1.0)'}.${rebuiltText(Number(c.req.query('rebuilt') ?? '0'))}` }
        : name && done === 'disconnected'
          ? { tone: 'success' as const, text: `${name} is disconnected and its credentials are forgotten. ${connectionText(c.req.query('xero'))}` }
          : undefined;
    return page(c, <OrganisationsPage signedIn={c.get('session')!} organisations={organisationSummaries(deps)} notice={notice} />);
  });

  app.post('/organisations/:id/refresh', async (c) => {
    c.set('back', back);
    const updated = await refreshOrganisation(acting(c, deps), calls, c.req.param('id'));
    return c.redirect(`/organisations?done=refreshed&org=${encodeURIComponent(updated.id)}`, 303);
  });

  app.post('/organisations/:id/payroll', async (c) => {
    c.set('back', back);
    const form = await c.req.parseBody();
    const set = setPayrollApi(acting(c, deps), c.req.param('id'), typeof form['api'] === 'string' ? form['api'] : '');
    return c.redirect(`/organisations?done=payroll&org=${encodeURIComponent(set.organisation.id)}&api=${set.api}&rebuilt=${set.rebuilt}`, 303);
  });

  app.get('/organisations/:id/disconnect', (c) => {
    c.set('back', back);
    const preview = disconnectPreview(deps, c.req.param('id'));
    return page(c, <DisconnectPage signedIn={c.get('session')!} preview={preview} oauth2={isOAuth2AppType(preview.summary.organisation.appType)} />);
  });

  app.post('/organisations/:id/disconnect', async (c) => {
    c.set('back', back);
    const { organisation, done } = await disconnect(acting(c, deps), calls, c.req.param('id'));
    return c.redirect(`/organisations?done=disconnected&org=${encodeURIComponent(organisation.id)}&xero=${done.connection}`, 303);
  });
  return app;
}
