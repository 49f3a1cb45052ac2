import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../../lib/errors';
import { OneAtATime } from '../../lib/one-at-a-time';
import { sameSecret } from '../../lib/password';
import { checkAdminPassword, hasAdminPassword } from '../../services/admin-password';
import { endSession, startSession } from '../../services/admin-sessions';
import type { ServiceDeps } from '../../services/deps';
import { loginSucceeded, takeLoginAttempt } from '../../services/login-limits';
import { sourceAddress } from '../../server/source-address';
import { LoginPage, NoPasswordPage, TooManyAttemptsPage } from '../../../views/login';
import { page } from '../render';
import { clearPageCookie, cookiePolicy, currentSession, formText, safeNext, setPageCookie, type PageEnv } from '../session';

// Sign-ins from many addresses at once queue for the hasher; past this many the rest are refused.
const MAX_QUEUED_HASHES = 8;
const LOGIN_TOKEN_SECONDS = 3600;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** `GET/POST /login` and `POST /logout`. */
export function loginRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const names = cookiePolicy(deps.config);
  const hashing = new OneAtATime();

  // Before a session exists the form is protected by a double-submit token: a random value in an
  // HttpOnly cookie, repeated in the form; another site can neither read nor set it.
  const loginForm = (c: Context<PageEnv>, next: string, options: { error?: string; notice?: string; status?: 200 | 401 | 403 } = {}) => {
    const existing = getCookie(c, names.login);
    const token = existing && TOKEN_SHAPE.test(existing) ? existing : randomBytes(32).toString('base64url');
    setPageCookie(c, deps.config, names.login, token, LOGIN_TOKEN_SECONDS);
    return page(c, <LoginPage csrfToken={token} next={next} error={options.error} notice={options.notice} />, options.status ?? 200);
  };

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (currentSession(c, deps)) return c.redirect(next, 303);
    if (!hasAdminPassword(deps)) return page(c, <NoPasswordPage />);
    return loginForm(c, next, c.req.query('signed_out') !== undefined ? { notice: 'You have signed out.' } : {});
  });

  app.post('/login', async (c) => {
    const next = safeNext(await formText(c, 'next'));
    const expected = getCookie(c, names.login);
    if (!expected || !sameSecret(await formText(c, 'csrf'), expected)) {
      return loginForm(c, next, { error: 'The sign-in form had expired, so it was not accepted. Enter the password again.', status: 403 });
    }
    if (!hasAdminPassword(deps)) return page(c, <NoPasswordPage />, 503);
    const address = sourceAddress(c.env);
    // Counted before any hashing, so refused guesses cost no scrypt work.
    const decision = takeLoginAttempt(deps, { address });
    if (!decision.allowed) {
      deps.logger.warn('admin sign-in refused: too many attempts', { address, limit: decision.limit });
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return page(c, <TooManyAttemptsPage limit={decision.limit} minutes={Math.ceil(decision.retryAfterSeconds / 60)} />, 429);
    }
    if (hashing.pending >= MAX_QUEUED_HASHES) throw new AppError('unavailable', 'Too many people are signing in at once. Try again in a minute.');
    const password = await formText(c, 'password');
    if (!(await hashing.run(() => checkAdminPassword(deps, password)))) {
      deps.logger.warn('admin sign-in failed: wrong password', { address });
      const left = decision.remaining === 0 ? 'This was the last try for now: wait 15 minutes before the next.' : `${decision.remaining} more ${decision.remaining === 1 ? 'try' : 'tries'} in the next 15 minutes.`;
      return loginForm(c, next, { error: `That password is not right. ${left}`, status: 401 });
    }
    loginSucceeded(deps, address);
    // A new session id at every sign-in: a cookie planted before cannot become a signed-in one.
    const started = startSession(deps);
    setPageCookie(c, deps.config, names.session, started.cookieValue, started.maxAgeSeconds);
    clearPageCookie(c, deps.config, names.login);
    deps.logger.info('admin signed in', { address });
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    const session = currentSession(c, deps);
    if (session && !sameSecret(await formText(c, 'csrf'), session.csrfToken)) {
      throw new AppError('forbidden', 'This sign-out form is out of date or did not come from this proxy, so you are still signed in.', { hint: 'Reload the page and try again.' });
    }
    endSession(deps, getCookie(c, names.session));
    clearPageCookie(c, deps.config, names.session);
    return c.redirect('/login?signed_out=1', 303);
  });
  return app;
}
