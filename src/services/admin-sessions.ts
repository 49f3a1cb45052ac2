import { createHash, randomBytes } from 'node:crypto';
import { deleteExpiredSessions, deleteSession, extendSession, findSession, insertSession } from '../store/sessions';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

/** A session ends after this long unused… */
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** …and in any case this long after signing in. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;

/** A signed-in browser as the pages see it. */
export interface ActiveSession {
  idHash: string;
  /** The per-session token every form carries. */
  csrfToken: string;
}

const hashOf = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('hex');
const token = () => randomBytes(32).toString('base64url');

/**
 * Starts a session after a correct password. Only the SHA-256 of the cookie value is stored, so a
 * copy of the database does not let anyone sign in.
 */
export function startSession(deps: Deps): { cookieValue: string; csrfToken: string; maxAgeSeconds: number } {
  const now = deps.clock.now();
  const cookieValue = token();
  const csrfToken = token();
  deps.db.transaction(() => {
    deleteExpiredSessions(deps.db, now.toISOString());
    insertSession(deps.db, {
      idHash: hashOf(cookieValue),
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    });
  }).immediate();
  return { cookieValue, csrfToken, maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 };
}

/** The session a cookie names if it is still valid; using it moves the idle expiry forward. */
export function resumeSession(deps: Deps, cookieValue: string | undefined): ActiveSession | undefined {
  if (!cookieValue || cookieValue.length > 100) return undefined;
  const idHash = hashOf(cookieValue);
  const session = findSession(deps.db, idHash);
  if (!session) return undefined;
  const now = deps.clock.now().getTime();
  const absoluteEnd = Date.parse(session.createdAt) + SESSION_ABSOLUTE_MS;
  if (now >= Date.parse(session.expiresAt) || now >= absoluteEnd) {
    deleteSession(deps.db, idHash);
    return undefined;
  }
  extendSession(deps.db, idHash, new Date(Math.min(now + SESSION_IDLE_MS, absoluteEnd)).toISOString());
  return { idHash, csrfToken: session.csrfToken };
}

/** Signs a browser out: its session row is deleted, so the cookie is worthless even if kept. */
export function endSession(deps: Deps, cookieValue: string | undefined): void {
  if (cookieValue) deleteSession(deps.db, hashOf(cookieValue));
}
