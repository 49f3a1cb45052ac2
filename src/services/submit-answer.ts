import { createHash } from 'node:crypto';
import { AppError } from '../lib/errors';
import type { JobKind } from '../store/jobs';
import { statement } from '../store/statements';
import { findSetting, SETTING } from '../store/settings';
import type { MAPPING_MISSING } from '../store/waiting-jobs';
import type { ServiceDeps } from './deps';
import type { RestoreRecord } from './restore';
import type { MissingName } from './waiting-documents';

/** One job as the 202 lists it; a job waiting for mappings says so, with every name it lacks. */
export interface AcceptedJob {
  id: string;
  kind: JobKind;
  documentKey: string;
  status: string;
  duplicateOf?: string;
  cause?: typeof MAPPING_MISSING;
  heldReason?: string;
  missing?: MissingName[];
}

/** What the API answers for an accepted write; stored with the submission for Idempotency-Key replays. */
export interface SubmitAnswer {
  status: 202;
  body: { submissionId: string; jobs: AcceptedJob[] };
}

/** What an Idempotency-Key may be: 1 to 255 printable ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The stable key of one document, written into a field Xero stores (its Reference), so that an
 * unknown send can be settled by looking it up. It derives from the device and the app's own
 * id for the document, or else the Idempotency-Key and the document's place in the request.
 */
export function documentKey(deviceRowId: string, kind: JobKind, identity: string): string {
  const digest = createHash('sha256').update(`${deviceRowId}|${kind}|${identity}`).digest();
  // 60 bits in Crockford base32 letters: short enough for a Reference, far from any collision.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '';
  for (let i = 0; i < 12; i++) out += alphabet[digest[i]! & 31];
  return `XP-${out}`;
}

/** The stored answer to a request already accepted under this Idempotency-Key; 422 when the key was used for another request. */
export function findSubmission(deps: ServiceDeps, deviceRowId: string, key: string, requestHash: string): SubmitAnswer | undefined {
  const row = statement(deps.db, 'SELECT request_hash, response FROM submissions WHERE device_id = ? AND idempotency_key = ?').get(deviceRowId, key) as
    | { request_hash: string; response: string }
    | undefined;
  if (!row) return undefined;
  if (row.request_hash !== requestHash) {
    throw new AppError('unprocessable', 'Idempotency-Key: this key was already used with a different request; use a new key for a new request.', { field: 'Idempotency-Key' });
  }
  return { status: 202, body: JSON.parse(row.response) as SubmitAnswer['body'] };
}


/** Whether the database was restored from a backup less than `api.idempotency_key_days` ago (the restore says until when). */
export function restoredRecently(deps: ServiceDeps): boolean {
  const restored = findSetting(deps.db, SETTING.restoredFrom);
  return restored !== undefined && deps.clock.now().toISOString() < (JSON.parse(restored) as RestoreRecord).lookUpNewUntil;
}
