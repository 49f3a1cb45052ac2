import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import { listDevices } from '../../store/devices';
import { listOrganisations } from '../../store/organisations';
import { listPendingPairings } from '../../store/pairings';
import { DashboardPage } from '../../../views/dashboard';
import { page } from '../render';
import { requireAdmin, type PageEnv } from '../session';

/** `GET /`: what is waiting, what is linked, and which devices use each organisation. */
export function dashboardRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.get('/', requireAdmin(deps), (c) => {
    const devices = listDevices(deps.db);
    const organisations = listOrganisations(deps.db).map((org) => ({
      name: org.name,
      shortCode: org.shortCode,
      linkState: org.linkState,
      relinkReason: org.relinkReason,
      devices: devices.filter((device) => device.organisationId === org.id),
    }));
    const pending = listPendingPairings(deps.db, deps.clock).map(({ userCode, deviceId, name }) => ({ userCode, deviceId, name }));
    return page(c, <DashboardPage signedIn={c.get('session')!} organisations={organisations} pending={pending} />);
  });
  return app;
}
