import { Hono } from 'hono';
import type { ServiceDeps } from '../../services/deps';
import { overview, type PauseReader } from '../../services/overview';
import { overviewCharts } from '../../services/overview-charts';
import { latestRuns } from '../../services/reconciliation-report';
import { listPendingPairings } from '../../store/pairings';
import { OverviewPage } from '../../../views/overview';
import { page } from '../render';
import { requireAdmin, type PageEnv } from '../session';

/** `GET /`: whether everything reached Xero, what needs a person, each organisation, and the charts. */
export function overviewRoutes(deps: ServiceDeps, pauses?: PauseReader): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.get('/', requireAdmin(deps), (c) => {
    const pending = listPendingPairings(deps.db, deps.clock).map(({ userCode, deviceId, name }) => ({ userCode, deviceId, name }));
    return page(c, <OverviewPage signedIn={c.get('session')!} overview={overview(deps, pauses)} charts={overviewCharts(deps)} pending={pending} reconciliation={latestRuns(deps)} />);
  });
  return app;
}
