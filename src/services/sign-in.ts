import { findAdministratorById, findAdministratorByName, listAdministrators, recordSignIn } from '../store/administrators';
import { checkSecondFactor } from './admin-mfa';
import { passwordMatches } from './admin-password';
import { completeSession, startSession, type ActiveSession, type StartedSession } from './admin-sessions';
import { ANONYMOUS, recordAudit, type Actor } from './audit';
import type { ServiceDeps } from './deps';
import { loginSucceeded, takeLoginAttempt } from './login-limits';

type Deps = Pick<ServiceDeps, 'db' | 'clock' | 'keyring' | 'config'>;

/** The browser signing in: its address (the socket's own) and how it names itself. */
export interface SignInClient {
  address: string;
  userAgent: string;
}

/** A limit is used up: even the right password or code waits. */
export type Paused = { kind: 'paused'; limit: 'address' | 'account'; retryAfterSeconds: number };

export type PasswordOutcome = Paused | { kind: 'wrong'; remaining: number } | ({ kind: 'started'; stage: ActiveSession['stage'] } & StartedSession);

export type CodeOutcome = Paused | { kind: 'wrong'; remaining: number } | { kind: 'reused'; remaining: number } | ({ kind: 'signed_in'; recoveryCodesLeft: number | undefined } & StartedSession);

const adminActor = (name: string, client: SignInClient): Actor => ({ name: `admin:${name}`, from: client.address });

/**
 * The first step of signing in: a name and a password. Counted against the address and the
 * name's limits before any hashing (`hash` runs the scrypt work, one at a time). A right
 * password starts a session: signed in at once for an administrator without two-step sign-in
 * where it is not required; otherwise halfway, with the code (or enrolment) still to come.
 */
export async function signInWithPassword(deps: Deps, input: { name: string; password: string }, client: SignInClient, hash: (work: () => Promise<boolean>) => Promise<boolean>): Promise<PasswordOutcome> {
  const name = input.name.trim().slice(0, 100);
  const decision = takeLoginAttempt(deps, { address: client.address, account: name });
  if (!decision.allowed) return { kind: 'paused', limit: decision.limit, retryAfterSeconds: decision.retryAfterSeconds };
  const admin = name === '' ? undefined : findAdministratorByName(deps.db, name);
  const like = admin?.passwordHash ?? listAdministrators(deps.db)[0]?.passwordHash;
  if (!(await hash(() => passwordMatches(input.password, admin?.passwordHash, like))) || !admin) {
    // A name nobody has is not recorded: people type their password into the name field.
    recordAudit(deps, { actor: admin ? adminActor(admin.name, client) : ANONYMOUS(client.address), action: 'admin.sign_in_failed', subject: admin?.name ?? null, changes: { step: admin ? 'password' : 'unknown name' } });
    return { kind: 'wrong', remaining: decision.remaining };
  }
  const stage = admin.totpSealed !== null ? 'code' : deps.config.admin.requireMfa ? 'enrol' : 'signed_in';
  const started = startSession(deps, { administratorId: admin.id, stage, ...client });
  if (stage === 'signed_in') signedIn(deps, admin.id, client, 'password');
  return { kind: 'started', stage, ...started };
}

/**
 * The second step: a TOTP code or a recovery code, for a session halfway. Counted against the
 * same limits as passwords, so codes cannot be guessed faster than passwords. Right, the
 * session is signed in under a new cookie.
 */
export function signInWithCode(deps: Deps, session: ActiveSession, code: string, client: SignInClient): CodeOutcome {
  const admin = session.administrator;
  const decision = takeLoginAttempt(deps, { address: client.address, account: admin.name });
  if (!decision.allowed) return { kind: 'paused', limit: decision.limit, retryAfterSeconds: decision.retryAfterSeconds };
  const checked = checkSecondFactor(deps, admin.id, code.slice(0, 100));
  if (checked.kind === 'wrong' || checked.kind === 'reused') {
    recordAudit(deps, { actor: adminActor(admin.name, client), action: 'admin.sign_in_failed', subject: admin.name, changes: { step: checked.kind === 'reused' ? 'code used before' : 'code' } });
    return checked.kind === 'reused' ? { kind: 'reused', remaining: decision.remaining } : { kind: 'wrong', remaining: decision.remaining };
  }
  const started = completeSession(deps, session.idHash, client);
  if (!started) return { kind: 'wrong', remaining: decision.remaining };
  if (checked.kind === 'recovery') recordAudit(deps, { actor: adminActor(admin.name, client), action: 'admin.recovery_code_used', subject: admin.name, changes: { codesLeft: checked.left } });
  signedIn(deps, admin.id, client, checked.kind === 'recovery' ? 'recovery code' : 'authenticator code');
  return { kind: 'signed_in', recoveryCodesLeft: checked.kind === 'recovery' ? checked.left : undefined, ...started };
}

/** After enrolment on the way in: the session is signed in under a new cookie. */
export function signInAfterEnrolment(deps: Deps, session: ActiveSession, client: SignInClient): StartedSession | undefined {
  const started = completeSession(deps, session.idHash, client);
  if (started) signedIn(deps, session.administrator.id, client, 'authenticator code');
  return started;
}

function signedIn(deps: Deps, administratorId: string, client: SignInClient, method: string): void {
  const admin = findAdministratorById(deps.db, administratorId)!;
  loginSucceeded(deps, client.address);
  recordSignIn(deps.db, deps.clock, admin.id);
  recordAudit(deps, { actor: adminActor(admin.name, client), action: 'admin.signed_in', subject: admin.name, changes: { method } });
}
