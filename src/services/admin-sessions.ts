import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors';
import { findAdministratorById } from '../store/administrators';
import { deleteExpiredSessions, deleteSession, findSession, insertSession, listSignedInSessions, touchSession, type SessionStage } from '../store/sessions';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'db' | 'clock'>;

/** A session ends after this long unused… */
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** …and in any case this long after signing in. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** A sign-in halfway (the password right, the code not yet typed) lasts this long; setting up two-step sign-in, longer. */
const STAGE_MS: Record<Exclude<SessionStage, 'signed_in'>, number> = { code: 10 * 60_000, enrol: 30 * 60_000 };

/** A browser of an administrator as the pages see it. */
export interface ActiveSession {
  idHash: string;
  stage: SessionStage;
  /** The per-session token every form carries. */
  csrfToken: string;
  administrator: { id: string; name: string; mfaEnrolled: boolean };
}

const hashOf = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('hex');
const token = () => randomBytes(32).toString('base64url');

/** A new cookie, for a session that starts or moves to its next stage. */
export interface StartedSession {
  cookieValue: string;
  csrfToken: string;
  maxAgeSeconds: number;
}

/**
 * Starts a session at `stage` after a correct password. Only the SHA-256 of the cookie value is
 * stored, so a copy of the database does not let anyone sign in.
 */
export function startSession(deps: Deps, input: { administratorId: string; stage: SessionStage; address: string; userAgent: string }): StartedSession {
  const now = deps.clock.now();
  const cookieValue = token();
  const csrfToken = token();
  const lifetime = input.stage === 'signed_in' ? SESSION_IDLE_MS : STAGE_MS[input.stage];
  deps.db.transaction(() => {
    deleteExpiredSessions(deps.db, now.toISOString());
    insertSession(deps.db, {
      idHash: hashOf(cookieValue),
      administratorId: input.administratorId,
      stage: input.stage,
      csrfToken,
      address: input.address,
      userAgent: input.userAgent.slice(0, 300),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + lifetime).toISOString(),
    });
  }).immediate();
  return { cookieValue, csrfToken, maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 };
}

/**
 * Completes a sign-in halfway: the session becomes signed in under a new id (a cookie seen
 * before the second step is worth nothing after it). `undefined` if it is gone meanwhile.
 */
export function completeSession(deps: Deps, idHash: string, input: { address: string; userAgent: string }): StartedSession | undefined {
  return deps.db.transaction(() => {
    const session = findSession(deps.db, idHash);
    if (!session || !deleteSession(deps.db, idHash)) return undefined;
    return startSession(deps, { administratorId: session.administratorId, stage: 'signed_in', ...input });
  }).immediate();
}

/**
 * The session a cookie names if it is still valid, at whatever stage. A signed-in one slides
 * its idle expiry forward; one halfway keeps its short life.
 */
export function resumeSession(deps: Deps, cookieValue: string | undefined): ActiveSession | undefined {
  if (!cookieValue || cookieValue.length > 100) return undefined;
  const idHash = hashOf(cookieValue);
  const session = findSession(deps.db, idHash);
  if (!session) return undefined;
  const now = deps.clock.now().getTime();
  const absoluteEnd = Date.parse(session.createdAt) + SESSION_ABSOLUTE_MS;
  const admin = findAdministratorById(deps.db, session.administratorId);
  if (!admin || now >= Date.parse(session.expiresAt) || now >= absoluteEnd) {
    deleteSession(deps.db, idHash);
    return undefined;
  }
  if (session.stage === 'signed_in') touchSession(deps.db, idHash, new Date(now).toISOString(), new Date(Math.min(now + SESSION_IDLE_MS, absoluteEnd)).toISOString());
  return { idHash, stage: session.stage, csrfToken: session.csrfToken, administrator: { id: admin.id, name: admin.name, mfaEnrolled: admin.totpSealed !== null } };
}

/** Signs a browser out: its session row is deleted, so the cookie is worthless even if kept. */
export function endSession(deps: Deps & Acting, session: ActiveSession): void {
  deps.db.transaction(() => {
    if (deleteSession(deps.db, session.idHash) && session.stage === 'signed_in') recordAudit(deps, { actor: deps.actor, action: 'admin.signed_out', subject: session.administrator.name });
  }).immediate();
}

/** A signed-in browser as the settings page lists it. */
export interface SessionView {
  idHash: string;
  address: string;
  browser: string;
  startedAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** An administrator's signed-in browsers, the one in use marked. */
export function sessionsOf(deps: Deps, administratorId: string, currentIdHash: string): SessionView[] {
  return listSignedInSessions(deps.db, administratorId).map((s) => ({ idHash: s.idHash, address: s.address, browser: browserName(s.userAgent), startedAt: s.createdAt, lastSeenAt: s.lastSeenAt, current: s.idHash === currentIdHash }));
}

/** Ends one of the administrator's own other sessions (from the settings page). */
export function endOwnSession(deps: Deps & Acting, administratorId: string, idHash: string): SessionView {
  return deps.db.transaction(() => {
    const session = findSession(deps.db, idHash);
    if (!session || session.administratorId !== administratorId || session.stage !== 'signed_in') throw new AppError('not_found', 'That session has ended already.');
    deleteSession(deps.db, idHash);
    const admin = findAdministratorById(deps.db, administratorId)!;
    recordAudit(deps, { actor: deps.actor, action: 'admin.session_ended', subject: admin.name, changes: { address: session.address, browser: browserName(session.userAgent), startedAt: session.createdAt } });
    return { idHash, address: session.address, browser: browserName(session.userAgent), startedAt: session.createdAt, lastSeenAt: session.lastSeenAt, current: false };
  }).immediate();
}

const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Edg\/(\d+)/, 'Edge'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+).*Safari/, 'Safari'],
];
const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** A browser's own name for itself in a few words ("Chrome 140 on Linux"), for people to tell sessions apart. */
export function browserName(userAgent: string): string {
  const browser = BROWSERS.map(([pattern, name]) => {
    const version = pattern.exec(userAgent)?.[1];
    return version === undefined ? undefined : `${name} ${version}`;
  }).find((found) => found !== undefined);
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (userAgent.trim() === '' ? 'an unnamed browser' : userAgent.slice(0, 60));
}
