import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../lib/errors';
import { randomBase32 } from '../lib/ids';
import { qrModules } from '../lib/qr';
import { open, seal } from '../lib/secret-box';
import { base32Decode, base32Encode, matchTotp, otpauthUri } from '../lib/totp';
import { clearTotp, confirmTotp, findAdministratorById, getAdministratorByName, saveEnrolmentSecret, useTotpStep, type Administrator } from '../store/administrators';
import { deleteRecoveryCodes, replaceRecoveryCodes, unusedRecoveryCodeHashes, useRecoveryCode } from '../store/recovery-codes';
import { deleteSessionsOf } from '../store/sessions';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

type Deps = Pick<ServiceDeps, 'db' | 'clock' | 'keyring'>;

/** RFC 4226 §4 asks for at least 128 bits and recommends 160: 20 bytes, as authenticator apps expect. */
const SECRET_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Xero Comms Proxy';

// Each sealed secret is bound to its administrator and its purpose, so it cannot be moved.
const totpAad = (id: string) => `administrators:${id}:totp`;
const enrolmentAad = (id: string) => `administrators:${id}:enrolment`;

/** What the enrolment page shows: the secret as a QR code and as text to type. */
export interface Enrolment {
  /** Base32, as authenticator apps take it when typed, in groups of four for reading. */
  secret: string;
  uri: string;
  qr: boolean[][];
}

function administrator(deps: Deps, id: string): Administrator {
  const found = findAdministratorById(deps.db, id);
  if (!found) throw new AppError('not_found', 'This administrator no longer exists.');
  return found;
}

/**
 * The secret offered for setting up two-step sign-in: made once and kept (sealed) until a code
 * confirms it, so reloading the page shows the same QR code the phone may already have read.
 */
export function beginEnrolment(deps: Deps, administratorId: string): Enrolment {
  const admin = administrator(deps, administratorId);
  if (admin.totpSealed !== null) throw new AppError('conflict', `Two-step sign-in is already set up for ${admin.name}.`, { hint: 'To set it up on another phone, have it reset (`xero-proxy admin reset-password NAME --reset-mfa`, or Reset on the settings page).' });
  let secret = admin.enrolmentSealed !== null ? open(deps.keyring, admin.enrolmentSealed, enrolmentAad(admin.id)) : undefined;
  if (secret === undefined) {
    secret = base32Encode(randomBytes(SECRET_BYTES));
    const offered = secret;
    // Sealed in the transaction that stores it, so a key rotation cannot come between the two.
    deps.db.transaction(() => saveEnrolmentSecret(deps.db, deps.clock, admin.id, seal(deps.keyring, offered, enrolmentAad(admin.id)))).immediate();
  }
  const uri = otpauthUri({ issuer: ISSUER, account: admin.name, secret });
  return { secret: secret.match(/.{1,4}/g)!.join(' '), uri, qr: qrModules(uri) };
}

/**
 * Confirms enrolment with a code from the offered secret: it becomes the administrator's TOTP
 * secret and ten recovery codes are made, returned here once (only their hashes are kept).
 */
export function confirmEnrolment(deps: Deps & Acting, administratorId: string, typed: string): { recoveryCodes: string[] } {
  const admin = administrator(deps, administratorId);
  if (admin.totpSealed !== null) throw new AppError('conflict', `Two-step sign-in is already set up for ${admin.name}.`);
  if (admin.enrolmentSealed === null) throw new AppError('conflict', 'The enrolment page had expired; it shows a new QR code now.');
  const secret = open(deps.keyring, admin.enrolmentSealed, enrolmentAad(admin.id));
  const matched = matchTotp(base32Decode(secret)!, typed, deps.clock.now(), null);
  if (matched.kind !== 'ok') throw new AppError('invalid', 'Code: that is not the code the app shows now. Type the six digits the app shows for Xero Comms Proxy; if it shows another, wait for the next one.', { field: 'code' });
  const codes = newRecoveryCodes();
  deps.db.transaction(() => {
    confirmTotp(deps.db, deps.clock, admin.id, seal(deps.keyring, secret, totpAad(admin.id)), matched.step);
    replaceRecoveryCodes(deps.db, admin.id, codes.map(recoveryHash));
    recordAudit(deps, { actor: deps.actor, action: 'admin.mfa_enrolled', subject: admin.name, changes: { codesMade: RECOVERY_CODE_COUNT } });
  }).immediate();
  return { recoveryCodes: codes };
}

/** What a code typed at the second step of signing in turned out to be. */
export type SecondFactor = { kind: 'totp' } | { kind: 'recovery'; left: number } | { kind: 'reused' } | { kind: 'wrong' };

/**
 * Checks the code typed at the second step: six digits are a TOTP code (of now or one step
 * either side, and later than the last accepted), anything longer a recovery code, which works
 * once. Using either is recorded as it is checked, so a code cannot be used twice even at once.
 */
export function checkSecondFactor(deps: Deps, administratorId: string, typed: string): SecondFactor {
  const admin = administrator(deps, administratorId);
  if (admin.totpSealed === null) return { kind: 'wrong' };
  const compact = typed.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) {
    const secret = base32Decode(open(deps.keyring, admin.totpSealed, totpAad(admin.id)))!;
    const matched = matchTotp(secret, compact, deps.clock.now(), admin.totpLastStep);
    if (matched.kind !== 'ok') return matched;
    return useTotpStep(deps.db, admin.id, matched.step) ? { kind: 'totp' } : { kind: 'reused' };
  }
  if (compact.length < 16 || compact.length > 40) return { kind: 'wrong' };
  const typedHash = Buffer.from(recoveryHash(compact), 'hex');
  return deps.db.transaction((): SecondFactor => {
    const unused = unusedRecoveryCodeHashes(deps.db, admin.id);
    // Every unused code is compared, in constant time, whichever matches.
    const found = unused.filter((hash) => timingSafeEqual(Buffer.from(hash, 'hex'), typedHash))[0];
    if (found === undefined || !useRecoveryCode(deps.db, deps.clock, admin.id, found)) return { kind: 'wrong' };
    return { kind: 'recovery', left: unused.length - 1 };
  }).immediate();
}

/** Recovery codes not used yet. */
export function recoveryCodesLeft(deps: Pick<ServiceDeps, 'db'>, administratorId: string): number {
  return unusedRecoveryCodeHashes(deps.db, administratorId).length;
}

/** Ten new recovery codes for an enrolled administrator, returned once; the old ones stop working. */
export function renewRecoveryCodes(deps: Deps & Acting, administratorId: string): { recoveryCodes: string[] } {
  const admin = administrator(deps, administratorId);
  if (admin.totpSealed === null) throw new AppError('conflict', 'Set up two-step sign-in first; recovery codes come with it.');
  const codes = newRecoveryCodes();
  deps.db.transaction(() => {
    replaceRecoveryCodes(deps.db, admin.id, codes.map(recoveryHash));
    recordAudit(deps, { actor: deps.actor, action: 'admin.recovery_codes_renewed', subject: admin.name, changes: { codesMade: RECOVERY_CODE_COUNT } });
  }).immediate();
  return { recoveryCodes: codes };
}

/**
 * Forgets an administrator's two-step sign-in (a lost phone) and signs their browsers out: they
 * set it up again, from a new QR code, at their next sign-in.
 */
export function resetMfa(deps: Deps & Acting, name: string): { name: string; signedOut: number } {
  return deps.db.transaction(() => {
    const admin = getAdministratorByName(deps.db, name);
    if (admin.totpSealed === null) throw new AppError('conflict', `${admin.name} has no two-step sign-in set up, so there is nothing to reset.`);
    clearTotp(deps.db, deps.clock, admin.id);
    deleteRecoveryCodes(deps.db, admin.id);
    const signedOut = deleteSessionsOf(deps.db, admin.id);
    recordAudit(deps, { actor: deps.actor, action: 'admin.mfa_reset', subject: admin.name, changes: { signedOut } });
    return { name: admin.name, signedOut };
  }).immediate();
}

/** Ten codes of 16 characters of Crockford's base32 (80 random bits each), written in groups of four. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => randomBase32(16).match(/.{4}/g)!.join('-'));
}

/** The hash a recovery code is kept as: of its characters alone, as Crockford's base32 reads them (I and L as 1, O as 0). */
function recoveryHash(code: string): string {
  const normal = code.replace(/[\s-]/g, '').toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
  return createHash('sha256').update(normal).digest('hex');
}
