import { Hono } from 'hono';
import { randomBase32 } from '../../lib/ids';
import { toAppError } from '../../lib/errors';
import type { Delivery } from '../../services/alert-channels';
import { sendTestAlert } from '../../services/alerts';
import type { ServiceDeps } from '../../services/deps';
import { settingsSummary } from '../../services/settings';
import { SettingsPage, type TestOutcome } from '../../../views/settings';
import { page } from '../render';
import { requireAdmin, type PageEnv } from '../session';

/** How long the settings page waits for Xero in its checks: a page should come quickly. */
const CHECK_TIMEOUT_MS = 3_000;
/** Test outcomes kept for the page after the redirect; they are small and few. */
const KEPT_OUTCOMES = 20;

/** `GET /settings` and `POST /settings/test-alert`. */
export function settingsRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  // The outcome of a test travels to the page by a random id, so a link cannot make the page say
  // that a test went somewhere it did not.
  const outcomes = new Map<string, TestOutcome>();
  app.get('/settings', requireAdmin(deps), async (c) => {
    const summary = await settingsSummary(deps, { timeoutMs: CHECK_TIMEOUT_MS });
    const test = outcomes.get(c.req.query('test') ?? '');
    return page(c, <SettingsPage signedIn={c.get('session')!} summary={summary} test={test} />);
  });
  app.post('/settings/test-alert', requireAdmin(deps), async (c) => {
    let outcome: TestOutcome;
    try {
      outcome = { deliveries: await sendTestAlert(deps) };
    } catch (error) {
      outcome = { deliveries: [] as Delivery[], refusal: toAppError(error).code === 'internal' ? 'The test alert could not be sent; the details are in the log.' : toAppError(error).message, hint: toAppError(error).hint };
    }
    const id = randomBase32(16);
    outcomes.set(id, outcome);
    for (const old of [...outcomes.keys()].slice(0, Math.max(0, outcomes.size - KEPT_OUTCOMES))) outcomes.delete(old);
    return c.redirect(`/settings?test=${id}#alerts`, 303);
  });
  return app;
}
