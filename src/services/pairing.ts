import { createHash, randomBytes, randomInt } from 'node:crypto';
import { issueApiKey } from '../domain/api-key';
import { DEFAULT_RIGHTS } from '../domain/device-rights';
import { AppError } from '../lib/errors';
import { newId } from '../lib/ids';
import { open, seal } from '../lib/secret-box';
import { upsertDeviceKey } from '../store/devices';
import { findOrganisation } from '../store/organisations';
import { secondsUntil, tryAgainAfter } from '../lib/retry-after';
import {
  collectPairing,
  decidePairing,
  findPairingByPollHash,
  findPairingByUserCode,
  insertPairing,
  listPendingPairings,
  pairingsFromAfter,
  pendingPairingsCount,
  recordPoll,
  type Pairing,
} from '../store/pairings';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';
import { tlsPin, type TlsPin } from './tls';
import { validateDeviceId, validateDeviceName } from './devices';

/** What `POST /api/v1/pair` answers (RFC 8628 §3.2 in spirit). */
export interface PairingStarted {
  pairingId: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
  /** With HTTPS on: the CA to pin, so the device can check every later connection against it. */
  tls?: TlsPin;
}

// RFC 8628 §6.1: consonants only, so codes are easy to read and never spell words.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const pollHashOf = (pollId: string) => createHash('sha256').update(pollId).digest('hex');
const keyAad = (pairingId: string) => `pairings:${pairingId}`;

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Normalises a typed code: case, spaces and a missing dash do not matter. */
export function normaliseUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/**
 * A device asks to be linked: it gets a polling id (a secret only it holds), a short code and
 * the connect page's URL for a person. Limited per address and in total.
 */
export function startPairing(deps: ServiceDeps, input: { deviceId: unknown; name: unknown; sourceAddress: string }): PairingStarted {
  const deviceId = validateDeviceId(input.deviceId);
  const name = validateDeviceName(input.name ?? deviceId);
  const { pairing: settings, server } = deps.config;
  const now = deps.clock.now();
  const tls = tlsPin(deps);
  return deps.db.transaction(() => {
    checkPairingLimits(deps, input.sourceAddress, now);
    const pollId = `pair_${randomBytes(32).toString('base64url')}`;
    let userCode = newUserCode();
    while (findPairingByUserCode(deps.db, userCode)) userCode = newUserCode();
    const expiresAt = new Date(now.getTime() + settings.ttlMinutes * 60_000);
    // Created and expiry times come from one reading of the clock: a pairing lasts exactly ttl_minutes.
    insertPairing(deps.db, {
      id: newId('prq'),
      pollHash: pollHashOf(pollId),
      userCode,
      deviceId,
      name,
      sourceAddress: input.sourceAddress,
      intervalSeconds: settings.intervalSeconds,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return {
      pairingId: pollId,
      userCode,
      verificationUri: `${server.publicUrl}/connect`,
      verificationUriComplete: `${server.publicUrl}/connect?code=${encodeURIComponent(userCode)}`,
      expiresIn: settings.ttlMinutes * 60,
      interval: settings.intervalSeconds,
      ...(tls ? { tls } : {}),
    };
  }).immediate();
}

const HOUR_MS = 3_600_000;
const CLEAR_HINT = 'An administrator can list the waiting requests with `xero-proxy pairing list` and deny them with `xero-proxy pairing clear`.';

/**
 * Three limits, each refused with when to try again: requests per address per hour (an app stuck
 * in a loop), requests waiting per address (so one address cannot take the pool) and requests
 * waiting in all (so the table cannot grow without end). The figures are in the config schema.
 */
function checkPairingLimits(deps: ServiceDeps, address: string, now: Date): void {
  const settings = deps.config.pairing;
  const recent = pairingsFromAfter(deps.db, address, new Date(now.getTime() - HOUR_MS).toISOString());
  if (recent.count >= settings.maxPerAddressPerHour) {
    throw rateLimited(now, new Date(Date.parse(recent.firstAt!) + HOUR_MS), `Too many pairing requests from ${address} in the last hour (${settings.maxPerAddressPerHour} at most); %s.`);
  }
  const fromAddress = pendingPairingsCount(deps.db, deps.clock, address);
  if (fromAddress.count >= settings.maxPendingPerAddress) {
    const waiting = `${fromAddress.count} pairing ${fromAddress.count === 1 ? 'request' : 'requests'} from ${address} ${fromAddress.count === 1 ? 'is' : 'are'}`;
    throw rateLimited(now, new Date(fromAddress.firstExpiresAt!), `${waiting} already waiting for approval, the most one address may have; approve or deny them on the connect page, or %s, when the first expires.`, CLEAR_HINT);
  }
  const all = pendingPairingsCount(deps.db, deps.clock);
  if (all.count >= settings.maxPending) {
    throw rateLimited(now, new Date(all.firstExpiresAt!), `Too many pairing requests are waiting for approval (${all.count} from all addresses); approve or deny some on the connect page, or %s, when the first expires.`, CLEAR_HINT);
  }
}

// `%s` in the sentence becomes "try again in 14 minutes (after …)", the time Retry-After gives.
function rateLimited(now: Date, until: Date, sentence: string, hint?: string): AppError {
  return new AppError('rate_limited', sentence.replace('%s', tryAgainAfter(now, until)), { retryAfterSeconds: secondsUntil(now, until), ...(hint ? { hint } : {}) });
}

/** RFC 8628 §3.5 answers while polling, plus the key once approved. */
export type PollResult =
  | { status: 'approved'; apiKey: string; deviceId: string; organisation: { id: string; name: string } }
  | { status: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'invalid_grant'; interval?: number; description: string };

/**
 * A device polls with its pairing id. The key is handed over exactly once; an expired or denied
 * pairing can never yield one.
 */
export function pollPairing(deps: ServiceDeps, pairingId: unknown): PollResult {
  if (typeof pairingId !== 'string' || !pairingId.startsWith('pair_')) {
    throw new AppError('invalid', 'pairingId: must be the pairingId that POST /api/v1/pair returned.', { field: 'pairingId' });
  }
  return deps.db.transaction((): PollResult => {
    const pairing = findPairingByPollHash(deps.db, pollHashOf(pairingId));
    if (!pairing) return { status: 'invalid_grant', description: 'No pairing has this id; start again with POST /api/v1/pair.' };
    const now = deps.clock.now();
    if (pairing.state === 'pending' && now.toISOString() >= pairing.expiresAt) {
      decidePairing(deps.db, deps.clock, pairing.id, { state: 'expired', reason: 'Nobody approved it in time.' });
      return { status: 'expired_token', description: 'The pairing expired before anyone approved it; start again.' };
    }
    switch (pairing.state) {
      case 'pending':
        return pendingAnswer(deps, pairing, now);
      case 'denied':
        return { status: 'access_denied', description: pairing.decidedReason ?? 'The pairing was denied.' };
      case 'expired':
        return { status: 'expired_token', description: 'The pairing expired before anyone approved it; start again.' };
      case 'collected':
        return { status: 'invalid_grant', description: 'The key for this pairing was already collected; it is never shown twice.' };
      case 'approved': {
        if (!pairing.sealedKey || !pairing.organisationId || !collectPairing(deps.db, pairing.id)) {
          return { status: 'invalid_grant', description: 'The key for this pairing was already collected; it is never shown twice.' };
        }
        const organisation = findOrganisation(deps.db, pairing.organisationId)!;
        return { status: 'approved', apiKey: open(deps.keyring, pairing.sealedKey, keyAad(pairing.id)), deviceId: pairing.deviceId, organisation: { id: organisation.id, name: organisation.name } };
      }
    }
  }).immediate();
}

function pendingAnswer(deps: ServiceDeps, pairing: Pairing, now: Date): PollResult {
  const since = pairing.lastPolledAt ? now.getTime() - Date.parse(pairing.lastPolledAt) : Infinity;
  if (since < pairing.intervalSeconds * 1000) {
    // RFC 8628 §3.5: on slow_down the interval grows by 5 seconds for this and later polls.
    const interval = pairing.intervalSeconds + 5;
    recordPoll(deps.db, deps.clock, pairing.id, interval);
    return { status: 'slow_down', interval, description: `Polling too fast; wait ${interval} seconds between polls.` };
  }
  recordPoll(deps.db, deps.clock, pairing.id, pairing.intervalSeconds);
  return { status: 'authorization_pending', interval: pairing.intervalSeconds, description: 'Waiting for a person to approve the pairing on the connect page.' };
}

/** The pending pairing a person typed the code of, or a clear error for every other case. */
export function getPendingPairing(deps: ServiceDeps, userCode: string): Pairing {
  const pairing = findPairingByUserCode(deps.db, normaliseUserCode(userCode));
  if (!pairing) throw new AppError('not_found', 'No pairing request has this code. Check the code shown by the app.');
  if (pairing.state === 'pending' && deps.clock.now().toISOString() >= pairing.expiresAt) {
    throw new AppError('conflict', 'This pairing code has expired. Start the pairing again from the app.');
  }
  if (pairing.state !== 'pending') throw new AppError('conflict', `This pairing request was already ${pairing.state === 'collected' ? 'approved' : pairing.state}.`);
  return pairing;
}

/** A person approves a pairing for a linked organisation: the device gets its key (sealed until collected). */
export function approvePairing(deps: ServiceDeps & Acting, userCode: string, organisationId: string): Pairing {
  return deps.db.transaction(() => {
    const pairing = getPendingPairing(deps, userCode);
    const organisation = findOrganisation(deps.db, organisationId);
    if (!organisation) throw new AppError('not_found', 'That organisation is not linked to this proxy.');
    if (organisation.linkState !== 'linked') throw new AppError('conflict', `${organisation.name} must be linked again before devices can use it.`);
    const issued = issueApiKey();
    // A device paired (again) starts from the least rights: the person approving sees only its id and name.
    upsertDeviceKey(deps.db, deps.clock, { deviceId: pairing.deviceId, name: pairing.name, organisationId: organisation.id, keyPrefix: issued.lookup, keyHash: issued.hash, rights: DEFAULT_RIGHTS });
    decidePairing(deps.db, deps.clock, pairing.id, { state: 'approved', organisationId: organisation.id, sealedKey: seal(deps.keyring, issued.key, keyAad(pairing.id)) });
    recordAudit(deps, { actor: deps.actor, action: 'pairing.approved', subject: pairing.deviceId, changes: { pairingCode: pairing.userCode, name: pairing.name, organisation: organisation.name, rights: DEFAULT_RIGHTS, requestedFrom: pairing.sourceAddress } });
    return { ...pairing, state: 'approved' as const, organisationId: organisation.id };
  }).immediate();
}

/** A person (or Xero, by refusing the authorisation) denies a pairing. */
export function denyPairing(deps: ServiceDeps & Acting, userCode: string, reason: string): void {
  deps.db.transaction(() => {
    const pairing = getPendingPairing(deps, userCode);
    decidePairing(deps.db, deps.clock, pairing.id, { state: 'denied', reason });
    recordAudit(deps, { actor: deps.actor, action: 'pairing.denied', subject: pairing.deviceId, changes: { pairingCode: pairing.userCode, name: pairing.name, reason } });
  }).immediate();
}

/** A pairing request waiting for a person, as an administrator sees it (the CLI, the console). */
export type PendingPairingView = {
  code: string;
  deviceId: string;
  name: string;
  sourceAddress: string;
  createdAt: string;
  expiresAt: string;
};

const pendingView = (pairing: Pairing): PendingPairingView => ({
  code: pairing.userCode,
  deviceId: pairing.deviceId,
  name: pairing.name,
  sourceAddress: pairing.sourceAddress,
  createdAt: pairing.createdAt,
  expiresAt: pairing.expiresAt,
});

/** Every pairing request waiting for approval, newest first. */
export function pendingPairings(deps: ServiceDeps): PendingPairingView[] {
  return listPendingPairings(deps.db, deps.clock).map(pendingView);
}

/** Which waiting pairing requests to clear: one by its code, every one from an address, or all. */
export type PairingSelection = { code: string } | { sourceAddress: string } | { all: true };

/** What a device polling a cleared pairing is told. */
export const CLEARED_REASON = 'An administrator cleared this pairing request. Start the pairing again from the app if it is still wanted.';

/**
 * Denies the waiting pairing requests an administrator picked, freeing their places at once, and
 * returns them. A code that is unknown or no longer waiting is an error; an address or `all` with
 * nothing waiting clears nothing.
 */
export function clearPendingPairings(deps: ServiceDeps & Acting, selection: PairingSelection): PendingPairingView[] {
  const cleared = deps.db.transaction(() => {
    const chosen = 'code' in selection ? [getPendingPairing(deps, selection.code)] : listPendingPairings(deps.db, deps.clock, 'sourceAddress' in selection ? selection.sourceAddress : undefined);
    const denied = chosen.filter((pairing) => decidePairing(deps.db, deps.clock, pairing.id, { state: 'denied', reason: CLEARED_REASON })).map(pendingView);
    if (denied.length > 0) recordAudit(deps, { actor: deps.actor, action: 'pairing.cleared', subject: 'code' in selection ? denied[0]!.deviceId : null, changes: { pairingCodes: denied.map((p) => p.code), devices: denied.map((p) => p.deviceId) } });
    return denied;
  }).immediate();
  deps.logger.info('pending pairing requests cleared', { selection, codes: cleared.map((p) => p.code) });
  return cleared;
}
