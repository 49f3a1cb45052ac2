import { Hono } from 'hono';
import { randomBase32 } from '../../lib/ids';
import { toAppError } from '../../lib/errors';
import type { Delivery } from '../../services/alert-channels';
import { sendTestAlert } from '../../services/alerts';
import type { ServiceDeps } from '../../services/deps';
import { recoveryCodesLeft } from '../../services/admin-mfa';
import { sessionsOf } from '../../services/admin-sessions';
import { administratorSummaries } from '../../services/administrators';
import { settingsSummary } from '../../services/settings';
import type { SectionNotice } from '../../../views/administrators';
import { SettingsPage, type TestOutcome } from '../../../views/settings';
import { page } from '../render';
import { acting, requireAdmin, type PageEnv } from '../session';

/** How long the settings page waits for Xero in its checks: a page should come quickly. */
const CHECK_TIMEOUT_MS = 3_000;
/** Test outcomes kept for the page after the redirect; they are small and few. */
const KEPT_OUTCOMES = 20;

/** `GET /settings` and `POST /settings/test-alert`; the forms for administrators are administrators.tsx's. */
export function settingsRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  // The outcome of a test travels to the page by a random id, so a link cannot make the page say
  // that a test went somewhere it did not.
  const outcomes = new Map<string, TestOutcome>();
  app.get('/settings', requireAdmin(deps), async (c) => {
    const session = c.get('session')!;
    const summary = await settingsSummary(deps, { timeoutMs: CHECK_TIMEOUT_MS });
    const test = outcomes.get(c.req.query('test') ?? '');
    const account = { name: session.administrator.name, mfaEnrolled: session.administrator.mfaEnrolled, recoveryCodesLeft: recoveryCodesLeft(deps, session.administrator.id), sessions: sessionsOf(deps, session.administrator.id, session.idHash) };
    return page(
      c,
      <SettingsPage signedIn={session} now={deps.clock.now()} summary={summary} test={test} account={account} administrators={administratorSummaries(deps)} requireMfa={deps.config.admin.requireMfa} notice={noticeOf(c.req.query(), deps.config.admin.requireMfa)} />,
    );
  });
  app.post('/settings/test-alert', requireAdmin(deps), async (c) => {
    let outcome: TestOutcome;
    try {
      outcome = { deliveries: await sendTestAlert(acting(c, deps)) };
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

/** The sentence a redirect after an administrator's change asks for (`?done=added&name=alice`). */
function noticeOf(query: Record<string, string>, requireMfa: boolean): SectionNotice | undefined {
  const name = query['name'] ?? '';
  const count = (text: string | undefined) => (text !== undefined && /^\d{1,4}$/.test(text) ? Number(text) : 0);
  const signedOut = count(query['signedOut']);
  switch (query['done']) {
    case 'added':
      return { section: 'administrators', text: `Added the administrator ${name}.${requireMfa ? ' They set up two-step sign-in at their first sign-in.' : ''}` };
    case 'removed':
      return { section: 'administrators', text: `Removed ${name}; their browsers are signed out.` };
    case 'reset':
      return { section: 'administrators', text: `${name} has a new password; their browsers are signed out.` };
    case 'reset-both':
      return { section: 'administrators', text: `${name} has a new password and sets up two-step sign-in again at the next sign-in; their browsers are signed out.` };
    case 'mfa-reset':
      return { section: 'administrators', text: `The two-step sign-in of ${name} is reset: they set it up again, from a new QR code, at their next sign-in.` };
    case 'password':
      return { section: 'account', text: `Your password is changed.${signedOut > 0 ? ` ${signedOut} other ${signedOut === 1 ? 'browser was' : 'browsers were'} signed out.` : ''}` };
    case 'session-ended':
      return { section: 'sessions', text: `The session of ${query['browser'] ?? 'that browser'} has ended; it must sign in again.` };
    case 'recovery': {
      const left = count(query['left']);
      return { section: 'two-step', text: `You signed in with a recovery code; it will not work again. ${left} ${left === 1 ? 'code is' : 'codes are'} left.` };
    }
    default:
      return undefined;
  }
}
