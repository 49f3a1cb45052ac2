import { Hono } from 'hono';
import { reconcileDay } from '../../services/reconciliation';
import { reconciliationReport, reviewRun, runView, type RunView } from '../../services/reconciliation-report';
import type { XeroCalls } from '../../services/xero-calls';
import type { XeroDeps } from '../../services/xero-app';
import { findOrganisation } from '../../store/organisations';
import { findRunById } from '../../store/reconciliations';
import { ReconciliationPage } from '../../../views/reconciliation';
import { page } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

/**
 * `GET /reconciliation`: what the daily comparisons with Xero found, newest day first (`?organisation=` narrows it);
 * `POST /reconciliation/run`: **Compare with Xero** for one organisation and day;
 * `POST /reconciliation/{run}/review`: **Mark as dealt with**, which stops the run's alert.
 */
export function reconciliationRoutes(deps: XeroDeps, calls: XeroCalls): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const back = { href: '/reconciliation', label: 'Back to Reconciliation' };
  app.use('/reconciliation', requireAdmin(deps));
  app.use('/reconciliation/*', requireAdmin(deps));

  const viewOf = (runId: string | undefined): RunView | undefined => {
    const run = runId ? findRunById(deps.db, runId) : undefined;
    return run ? runView(deps, run, findOrganisation(deps.db, run.organisationId)?.name ?? run.organisationId) : undefined;
  };

  app.get('/reconciliation', (c) => {
    const organisationId = findOrganisation(deps.db, c.req.query('organisation') ?? '')?.id;
    const ran = viewOf(c.req.query('ran'));
    const reviewed = viewOf(c.req.query('reviewed'));
    const outcome = ran ? { kind: 'ran' as const, run: ran } : reviewed ? { kind: 'reviewed' as const, run: reviewed } : undefined;
    return page(c, <ReconciliationPage signedIn={c.get('session')!} report={reconciliationReport(deps, { organisationId })} organisationId={organisationId} outcome={outcome} />);
  });

  app.post('/reconciliation/run', async (c) => {
    c.set('back', back);
    const run = await reconcileDay(acting(c, deps), calls, await formText(c, 'organisation'), (await formText(c, 'date')).trim(), { trigger: 'console' });
    return c.redirect(`/reconciliation?organisation=${encodeURIComponent(run.organisationId)}&ran=${encodeURIComponent(run.id)}`, 303);
  });

  app.post('/reconciliation/:id/review', (c) => {
    c.set('back', back);
    const run = reviewRun(acting(c, deps), c.req.param('id'));
    return c.redirect(`/reconciliation?organisation=${encodeURIComponent(run.organisationId)}&reviewed=${encodeURIComponent(run.id)}`, 303);
  });
  return app;
}
