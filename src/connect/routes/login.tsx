import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError, isAppError } from '../../lib/errors';
import { OneAtATime } from '../../lib/one-at-a-time';
import { sameSecret } from '../../lib/password';
import { beginEnrolment, confirmEnrolment } from '../../services/admin-mfa';
import { endSession, type ActiveSession, type StartedSession } from '../../services/admin-sessions';
import { hasAdministrators } from '../../services/administrators';
import type { ServiceDeps } from '../../services/deps';
import { signInAfterEnrolment, signInWithCode, signInWithPassword, type Paused, type SignInClient } from '../../services/sign-in';
import { sourceAddress } from '../../server/source-address';
import { CodePage, EnrolPage, LoginPage, NoAdministratorPage, RecoveryCodesPage, TooManyAttemptsPage } from '../../../views/login';
import { page } from '../render';
import type { ShownOnce } from '../shown-once';
import { anySession, clearPageCookie, cookiePolicy, currentSession, formText, safeNext, setPageCookie, stagePath, type PageEnv } from '../session';

// Sign-ins from many addresses at once queue for the hasher; past this many the rest are refused.
const MAX_QUEUED_HASHES = 8;
const LOGIN_TOKEN_SECONDS = 3600;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const STALE_FORM = 'This form is out of date or did not come from this proxy, so nothing was done.';

const withNext = (path: string, next: string) => (next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`);
const triesLeft = (remaining: number) => (remaining === 0 ? 'This was the last try for now: wait 15 minutes before the next.' : `${remaining} more ${remaining === 1 ? 'try' : 'tries'} in the next 15 minutes.`);

/**
 * `GET/POST /login` (name and password), `/login/code` (the authenticator's code or a recovery
 * code), `/login/enrol` (setting up two-step sign-in, before anything else when it is required),
 * `GET /login/recovery-codes` (shown once) and `POST /logout`. `recoveryCodes` holds new codes for
 * their one showing, keyed by administrator.
 */
export function loginRoutes(deps: ServiceDeps, recoveryCodes: ShownOnce<string[]>): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const names = cookiePolicy(deps.config);
  const hashing = new OneAtATime();
  const client = (c: Context): SignInClient => ({ address: sourceAddress(c.env), userAgent: c.req.header('user-agent') ?? '' });
  const passwordAlone = !deps.config.admin.requireMfa;

  // Before a session exists the form is protected by a double-submit token: a random value in an
  // HttpOnly cookie, repeated in the form; another site can neither read nor set it.
  const loginForm = (c: Context<PageEnv>, next: string, options: { name?: string; error?: string; notice?: string; status?: 200 | 401 | 403 } = {}) => {
    const existing = getCookie(c, names.login);
    const token = existing && TOKEN_SHAPE.test(existing) ? existing : randomBytes(32).toString('base64url');
    setPageCookie(c, deps.config, names.login, token, LOGIN_TOKEN_SECONDS);
    return page(c, <LoginPage csrfToken={token} next={next} name={options.name} error={options.error} notice={options.notice} passwordAlone={passwordAlone} />, options.status ?? 200);
  };
  const paused = (c: Context, outcome: Paused) => {
    deps.logger.warn('admin sign-in refused: too many attempts', { address: sourceAddress(c.env), limit: outcome.limit });
    c.header('Retry-After', String(outcome.retryAfterSeconds));
    return page(c, <TooManyAttemptsPage limit={outcome.limit} minutes={Math.ceil(outcome.retryAfterSeconds / 60)} />, 429);
  };
  const setSession = (c: Context, started: StartedSession) => setPageCookie(c, deps.config, names.session, started.cookieValue, started.maxAgeSeconds);
  // A step of signing in halfway: its session, at that stage, with the form's CSRF token checked on a POST.
  const halfway = async (c: Context<PageEnv>, stage: ActiveSession['stage']): Promise<ActiveSession | undefined> => {
    const session = anySession(c, deps);
    if (!session || session.stage !== stage) return undefined;
    if (c.req.method === 'POST' && !sameSecret(await formText(c, 'csrf'), session.csrfToken)) throw new AppError('forbidden', STALE_FORM, { hint: 'Reload the page and try again.' });
    return session;
  };
  // Where a browser goes that opened a step it is not at.
  const elsewhere = (c: Context<PageEnv>, next: string) => {
    const session = anySession(c, deps);
    if (session?.stage === 'signed_in') return c.redirect(next, 303);
    return c.redirect(session ? withNext(stagePath(session.stage), next) : withNext('/login', next), 303);
  };

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    const session = anySession(c, deps);
    if (session) return elsewhere(c, next);
    if (!hasAdministrators(deps)) return page(c, <NoAdministratorPage />);
    return loginForm(c, next, c.req.query('signed_out') !== undefined ? { notice: 'You have signed out.' } : {});
  });

  app.post('/login', async (c) => {
    const next = safeNext(await formText(c, 'next'));
    const name = (await formText(c, 'name')).slice(0, 100);
    const expected = getCookie(c, names.login);
    if (!expected || !sameSecret(await formText(c, 'csrf'), expected)) {
      return loginForm(c, next, { name, error: 'The sign-in form had expired, so it was not accepted. Enter the password again.', status: 403 });
    }
    if (!hasAdministrators(deps)) return page(c, <NoAdministratorPage />, 503);
    if (hashing.pending >= MAX_QUEUED_HASHES) throw new AppError('unavailable', 'Too many people are signing in at once. Try again in a minute.');
    const outcome = await signInWithPassword(deps, { name, password: await formText(c, 'password') }, client(c), (work) => hashing.run(work));
    if (outcome.kind === 'paused') return paused(c, outcome);
    if (outcome.kind === 'wrong') {
      deps.logger.warn('admin sign-in failed: wrong name or password', { address: sourceAddress(c.env) });
      return loginForm(c, next, { name, error: `That name and password do not match an administrator. ${triesLeft(outcome.remaining)}`, status: 401 });
    }
    // A new session id at every sign-in: a cookie planted before cannot become a signed-in one.
    setSession(c, outcome);
    clearPageCookie(c, deps.config, names.login);
    if (outcome.stage === 'signed_in') deps.logger.info('admin signed in', { address: sourceAddress(c.env) });
    return c.redirect(outcome.stage === 'signed_in' ? next : withNext(stagePath(outcome.stage), next), 303);
  });

  app.get('/login/code', async (c) => {
    const next = safeNext(c.req.query('next'));
    const session = await halfway(c, 'code');
    if (!session) return elsewhere(c, next);
    return page(c, <CodePage csrfToken={session.csrfToken} next={next} name={session.administrator.name} />);
  });

  app.post('/login/code', async (c) => {
    const next = safeNext(await formText(c, 'next'));
    const session = await halfway(c, 'code');
    if (!session) return elsewhere(c, next);
    const outcome = signInWithCode(deps, session, await formText(c, 'code'), client(c));
    if (outcome.kind === 'paused') return paused(c, outcome);
    if (outcome.kind === 'wrong' || outcome.kind === 'reused') {
      const why = outcome.kind === 'reused' ? 'That code was used already; each code signs in once. Wait for the app to show the next one.' : 'That code is not right: it is not the code of now, nor an unused recovery code.';
      return page(c, <CodePage csrfToken={session.csrfToken} next={next} name={session.administrator.name} error={`${why} ${triesLeft(outcome.remaining)}`} />, 401);
    }
    setSession(c, outcome);
    deps.logger.info('admin signed in', { address: sourceAddress(c.env) });
    // After a recovery code, the settings page says how many are left and makes new ones.
    return c.redirect(outcome.recoveryCodesLeft !== undefined ? `/settings?done=recovery&left=${outcome.recoveryCodesLeft}#two-step` : next, 303);
  });

  // Setting up two-step sign-in: on the way in when it is required, or later from the settings page.
  const enrolling = async (c: Context<PageEnv>) => (await halfway(c, 'enrol')) ?? withoutMfa(currentSession(c, deps));
  const withoutMfa = (session: ActiveSession | undefined) => (session && !session.administrator.mfaEnrolled ? session : undefined);
  const enrolPage = (c: Context<PageEnv>, session: ActiveSession, next: string, error?: string) => {
    const enrolment = beginEnrolment(deps, session.administrator.id);
    return page(c, <EnrolPage csrfToken={session.csrfToken} next={next} name={session.administrator.name} qr={enrolment.qr} secret={enrolment.secret} required={session.stage === 'enrol'} error={error} />, error ? 400 : 200);
  };

  app.get('/login/enrol', async (c) => {
    const next = safeNext(c.req.query('next'));
    const session = await enrolling(c);
    return session ? enrolPage(c, session, next) : elsewhere(c, next);
  });

  app.post('/login/enrol', async (c) => {
    const next = safeNext(await formText(c, 'next'));
    const session = await enrolling(c);
    if (!session) return elsewhere(c, next);
    if (session.stage === 'signed_in' && !sameSecret(await formText(c, 'csrf'), session.csrfToken)) throw new AppError('forbidden', STALE_FORM, { hint: 'Reload the page and try again.' });
    const actor = { name: `admin:${session.administrator.name}`, from: sourceAddress(c.env) };
    let codes: string[];
    try {
      codes = confirmEnrolment({ ...deps, actor }, session.administrator.id, await formText(c, 'code')).recoveryCodes;
    } catch (error) {
      if (!isAppError(error, 'invalid')) throw error;
      const said = error.message.replace(/^Code: /, '');
      return enrolPage(c, session, next, said.charAt(0).toUpperCase() + said.slice(1));
    }
    if (session.stage === 'enrol') {
      const started = signInAfterEnrolment(deps, session, client(c));
      if (!started) return c.redirect('/login', 303);
      setSession(c, started);
    }
    recoveryCodes.put(session.administrator.id, codes);
    return c.redirect(withNext('/login/recovery-codes', session.stage === 'enrol' ? next : '/settings#two-step'), 303);
  });

  app.get('/login/recovery-codes', (c) => {
    const next = safeNext(c.req.query('next'));
    const session = currentSession(c, deps);
    if (!session) return elsewhere(c, next);
    return page(c, <RecoveryCodesPage codes={recoveryCodes.take(session.administrator.id)} next={next} name={session.administrator.name} csrfToken={session.csrfToken} />);
  });

  app.post('/logout', async (c) => {
    const session = anySession(c, deps);
    if (session && !sameSecret(await formText(c, 'csrf'), session.csrfToken)) {
      throw new AppError('forbidden', 'This sign-out form is out of date or did not come from this proxy, so you are still signed in.', { hint: 'Reload the page and try again.' });
    }
    if (session) endSession({ ...deps, actor: { name: `admin:${session.administrator.name}`, from: sourceAddress(c.env) } }, session);
    clearPageCookie(c, deps.config, names.session);
    return c.redirect('/login?signed_out=1', 303);
  });
  return app;
}
