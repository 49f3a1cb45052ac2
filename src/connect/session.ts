import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config/types';
import { AppError } from '../lib/errors';
import { sameSecret } from '../lib/password';
import { resumeSession, type ActiveSession } from '../services/admin-sessions';
import type { Acting } from '../services/audit';
import type { ServiceDeps } from '../services/deps';
import { normaliseUserCode } from '../services/pairing';
import { sourceAddress } from '../server/source-address';

/** What page handlers find on the context. */
export type PageEnv = { Variables: { session: ActiveSession | undefined; back: { href: string; label: string } | undefined } };

/**
 * Cookie names and flags. Over https the `__Host-` prefix makes the browser refuse a cookie that
 * is not Secure, has a Domain or another Path, so nothing on a sibling host can plant or widen
 * it. Browsers reject both `Secure` and the prefix on plain http, hence the fallback names.
 */
export function cookiePolicy(config: Config): { session: string; login: string; secure: boolean } {
  const secure = new URL(config.server.publicUrl).protocol === 'https:';
  return secure ? { session: '__Host-xp_session', login: '__Host-xp_login', secure } : { session: 'xp_session', login: 'xp_login', secure };
}

/** Sets an HttpOnly, SameSite=Strict cookie for the whole proxy (and Secure over https). */
export function setPageCookie(c: Context, config: Config, name: string, value: string, maxAgeSeconds: number): void {
  setCookie(c, name, value, { httpOnly: true, sameSite: 'Strict', path: '/', secure: cookiePolicy(config).secure, maxAge: maxAgeSeconds });
}

export function clearPageCookie(c: Context, config: Config, name: string): void {
  deleteCookie(c, name, { httpOnly: true, sameSite: 'Strict', path: '/', secure: cookiePolicy(config).secure });
}

/** The session the cookie names, at whatever stage of signing in (a signed-in one slides its idle expiry). */
export function anySession(c: Context, deps: ServiceDeps): ActiveSession | undefined {
  return resumeSession(deps, getCookie(c, cookiePolicy(deps.config).session));
}

/** The signed-in session, if the cookie names a live one that has passed every step. */
export function currentSession(c: Context, deps: ServiceDeps): ActiveSession | undefined {
  const session = anySession(c, deps);
  return session?.stage === 'signed_in' ? session : undefined;
}

/** Where a sign-in halfway goes next: the code, or setting up two-step sign-in. */
export const stagePath = (stage: 'code' | 'enrol') => (stage === 'code' ? '/login/code' : '/login/enrol');

/**
 * The deps a change made on a page is made with: the signed-in administrator and the address
 * their browser calls from, for the audit log.
 */
export function acting<D extends ServiceDeps>(c: Context<PageEnv>, deps: D): D & Acting {
  const session = c.get('session');
  if (!session) throw new AppError('unauthorized', 'Sign in first.');
  return { ...deps, actor: { name: `admin:${session.administrator.name}`, from: sourceAddress(c.env) } };
}

/**
 * A text field of a posted form. The pages' forms are all `application/x-www-form-urlencoded`:
 * another type (a multipart body, with its boundary and file parts) is refused rather than handed
 * to a parser the pages do not need. The first of repeated fields counts.
 */
export async function formText(c: Context, name: string): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new AppError('invalid', 'The form was not sent as a browser sends this page\'s forms (application/x-www-form-urlencoded); nothing was changed.', { field: 'Content-Type' });
  }
  // Hono caches the parsed body per request, so each field read parses the form once only.
  const value = (await c.req.parseBody())[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Pages behind the administrator's sign-in. Without a session a GET goes to the sign-in page and
 * comes back after it; a POST is sent there too, back to the page its form was on. Every POST must
 * carry the session's CSRF token, compared in constant time.
 */
export function requireAdmin(deps: ServiceDeps): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const found = anySession(c, deps);
    const session = found?.stage === 'signed_in' ? found : undefined;
    if (!session) {
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search ?? '') : await postedFrom(c);
      // Halfway through signing in, the next step comes before any page.
      const step = found && found.stage !== 'signed_in' ? stagePath(found.stage) : '/login';
      return c.redirect(`${step}?next=${encodeURIComponent(back)}`, 303);
    }
    c.set('session', session);
    if (c.req.method === 'POST' && !sameSecret(await formText(c, 'csrf'), session.csrfToken)) {
      throw new AppError('forbidden', 'This form is out of date or did not come from this proxy, so nothing was changed.', { hint: 'Reload the page and try again.' });
    }
    await next();
  };
}

// A form that outlived its session returns to its page after signing in, not to a POST-only URL.
async function postedFrom(c: Context): Promise<string> {
  const code = normaliseUserCode((await formText(c, 'code')).slice(0, 40));
  return /^[A-Z]{4}-[A-Z]{4}$/.test(code) ? `/connect?code=${code}` : '/connect';
}

/** Only local paths are followed after signing in, so the page cannot be used to send people elsewhere. */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return '/';
  return next;
}
