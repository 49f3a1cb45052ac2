import { Hono, type Context } from 'hono';
import { AppError } from '../../lib/errors';
import { immediate } from '../../store/db';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { jsonObject } from '../http/json-body';
import { findOrganisationSettings, saveOrganisationSettings, type OrganisationSettings } from '../organisation-settings';
import { findOrganisation } from '../organisations';
import { lockDatesView, planView, withLockDates, withPlan } from './settings-input';

/**
 * `/sandbox/organisations/{organisationId}/lock-dates` and `/plan`: what an adviser would set
 * in Xero's financial settings and what the organisation's subscription allows. GET reads,
 * PUT merges (see settings-input.ts); both answer the resulting settings.
 */
export function organisationSettingsRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const settingsEndpoint = (path: string, view: (s: OrganisationSettings) => object, merge: (s: OrganisationSettings, body: Record<string, unknown>) => OrganisationSettings) => {
    app.get(`/:organisationId/${path}`, (c) => c.json({ organisationId: organisationOf(c, deps), ...view(findOrganisationSettings(deps.db, organisationOf(c, deps))) }));
    app.put(`/:organisationId/${path}`, async (c) => {
      const id = organisationOf(c, deps);
      const body = await jsonObject(c.req);
      const next = immediate(deps.db, () => {
        const merged = merge(findOrganisationSettings(deps.db, id), body);
        saveOrganisationSettings(deps.db, id, merged, deps.clock);
        return merged;
      });
      return c.json({ organisationId: id, ...view(next) });
    });
  };
  settingsEndpoint('lock-dates', lockDatesView, withLockDates);
  settingsEndpoint('plan', planView, withPlan);

  return app;
}

/** The path's organisation id, which must name a sandbox organisation. */
export function organisationOf(c: Context<SandboxEnv>, deps: SandboxDeps): string {
  const id = c.req.param('organisationId') ?? '';
  if (!findOrganisation(deps.db, id.toLowerCase())) throw new AppError('not_found', `There is no organisation ${id} in the sandbox; GET /sandbox/organisations lists them.`, { field: 'organisationId' });
  return id.toLowerCase();
}
