import { Hono } from 'hono';
import { renewRecoveryCodes, resetMfa } from '../../services/admin-mfa';
import { endOwnSession } from '../../services/admin-sessions';
import { addAdministrator, changeOwnPassword, removeAdministrator, resetAdministratorPassword } from '../../services/administrators';
import type { ServiceDeps } from '../../services/deps';
import type { ShownOnce } from '../shown-once';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

const done = (outcome: string, section: string, extra: Record<string, string> = {}) => `/settings?${new URLSearchParams({ done: outcome, ...extra })}#${section}`;

/**
 * The settings page's forms for people: add, remove and reset administrators, and for the one
 * signed in, their password, new recovery codes and their other signed-in browsers. Each is a
 * POST answered by a redirect to the settings page, which says what was done.
 */
export function administratorRoutes(deps: ServiceDeps, recoveryCodes: ShownOnce<string[]>): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const administrators = { href: '/settings#administrators', label: 'Back to the administrators' };
  const account = { href: '/settings#account', label: 'Back to your account' };
  app.use('/settings/administrators/*', requireAdmin(deps));
  app.use('/settings/account/*', requireAdmin(deps));

  app.post('/settings/administrators/add', async (c) => {
    c.set('back', administrators);
    const added = await addAdministrator(acting(c, deps), { name: await formText(c, 'name'), password: await formText(c, 'password') });
    return c.redirect(done('added', 'administrators', { name: added.name }), 303);
  });

  app.post('/settings/administrators/remove', async (c) => {
    c.set('back', administrators);
    const removed = removeAdministrator(acting(c, deps), await formText(c, 'name'));
    // Removing yourself ends your own session with the rest.
    return c.redirect(removed.name.toLowerCase() === c.get('session')!.administrator.name.toLowerCase() ? '/login' : done('removed', 'administrators', { name: removed.name }), 303);
  });

  app.post('/settings/administrators/reset-password', async (c) => {
    c.set('back', administrators);
    const reset = await resetAdministratorPassword(acting(c, deps), await formText(c, 'name'), await formText(c, 'password'), { resetMfa: (await formText(c, 'resetMfa')) === 'yes' });
    return c.redirect(done(reset.mfaReset ? 'reset-both' : 'reset', 'administrators', { name: reset.name }), 303);
  });

  app.post('/settings/administrators/reset-mfa', async (c) => {
    c.set('back', administrators);
    const reset = resetMfa(acting(c, deps), await formText(c, 'name'));
    return c.redirect(done('mfa-reset', 'administrators', { name: reset.name }), 303);
  });

  app.post('/settings/account/password', async (c) => {
    c.set('back', account);
    const session = c.get('session')!;
    const changed = await changeOwnPassword(acting(c, deps), { administratorId: session.administrator.id, current: await formText(c, 'current'), next: await formText(c, 'password'), keepSession: session.idHash });
    return c.redirect(done('password', 'account', { signedOut: String(changed.signedOut) }), 303);
  });

  app.post('/settings/account/recovery-codes', (c) => {
    c.set('back', account);
    const session = c.get('session')!;
    recoveryCodes.put(session.administrator.id, renewRecoveryCodes(acting(c, deps), session.administrator.id).recoveryCodes);
    return c.redirect(`/login/recovery-codes?next=${encodeURIComponent('/settings#two-step')}`, 303);
  });

  app.post('/settings/account/sessions/end', async (c) => {
    c.set('back', account);
    const ended = endOwnSession(acting(c, deps), c.get('session')!.administrator.id, await formText(c, 'session'));
    return c.redirect(done('session-ended', 'sessions', { browser: ended.browser }), 303);
  });
  return app;
}
