import { Hono } from 'hono';
import { attentionReport, retryAll } from '../../services/attention';
import type { ServiceDeps } from '../../services/deps';
import { rereadLockDates } from '../../services/organisation-checks';
import type { XeroDeps } from '../../services/xero-app';
import type { XeroCalls } from '../../services/xero-calls';
import { AttentionPage } from '../../../views/attention';
import { page } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

const count = (text: string | undefined) => (text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined);

/** `GET /attention`: documents that did not reach Xero, by cause; `POST /attention/retry`: **Retry all** for one cause. */
export function attentionRoutes(deps: ServiceDeps & XeroDeps, calls: XeroCalls): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.get('/attention', requireAdmin(deps), (c) => {
    const retried = count(c.req.query('retried'));
    return page(
      c,
      <AttentionPage signedIn={c.get('session')!} report={attentionReport(deps)} retried={retried === undefined ? undefined : { count: retried, lookedUpFirst: count(c.req.query('lookedUp')) ?? 0 }} />,
    );
  });
  app.post('/attention/retry', requireAdmin(deps), async (c) => {
    c.set('back', { href: '/attention', label: 'Back to Needs attention' });
    const [organisationId, cause] = [await formText(c, 'organisation'), await formText(c, 'cause')];
    // A lock date the adviser has just moved must count: the dates are read from Xero again first.
    if (cause === 'lock_date') await rereadLockDates(acting(c, deps), calls, organisationId || undefined);
    const result = retryAll(acting(c, deps), { organisationId, cause });
    return c.redirect(`/attention?retried=${result.retried}&lookedUp=${result.lookedUpFirst}`, 303);
  });
  return app;
}
