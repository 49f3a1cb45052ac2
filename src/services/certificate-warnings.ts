import { expiryStatus } from '../domain/certificates';
import type { Clock } from '../lib/clock';
import { findActiveCertificate, findPendingCertificate } from '../store/certificates';
import type { Db } from '../store/db';

import type { AppType } from '../store/organisations';

// Only these sign with an RSA key; public apps use HMAC-SHA1 and OAuth 2.0 apps send Bearer tokens.
const SIGNS_WITH_RSA = new Set<AppType>(['private', 'partner']);

/** One thing about the signing certificates an operator should act on. */
export interface CertificateWarning {
  level: 'warn' | 'fail';
  /** The certificate concerned; undefined when the warning is that there is none. */
  certificateId: string | undefined;
  message: string;
}

/**
 * What the server logs at start-up and the status API reports about the signing pairs: the active
 * certificate expiring (inside 30 days) or expired, a pending pair expiring before it was
 * activated, and, when the app type is given and needs RSA-SHA1, no active pair at all.
 * @example for (const w of certificateWarnings(db, clock)) logger.warn(w.message)
 */
export function certificateWarnings(db: Db, clock: Clock, options: { appType?: AppType } = {}): CertificateWarning[] {
  const warnings: CertificateWarning[] = [];
  const active = findActiveCertificate(db);
  if (active) {
    const status = expiryStatus(active.notAfter, clock);
    if (status.level !== 'ok') warnings.push({ level: status.level === 'expired' ? 'fail' : 'warn', certificateId: active.id, message: `The active signing certificate ${active.id} ${status.detail}` });
  } else if (options.appType && SIGNS_WITH_RSA.has(options.appType)) {
    warnings.push({ level: 'fail', certificateId: undefined, message: noActiveMessage(options.appType) });
  }
  const pending = findPendingCertificate(db);
  if (pending && expiryStatus(pending.notAfter, clock).level !== 'ok') {
    warnings.push({ level: 'warn', certificateId: pending.id, message: `The pending certificate ${pending.id} ${expiryStatus(pending.notAfter, clock).detail}` });
  }
  return warnings;
}

/** The `doctor` line for certificates: status and a sentence. `db` is undefined when there is no database yet. */
export function certificateCheck(db: Db | undefined, clock: Clock, appType: AppType): { status: 'ok' | 'warn' | 'fail'; detail: string } {
  if (appType === 'public') return { status: 'ok', detail: 'not needed: public apps sign with HMAC-SHA1 and the consumer secret' };
  if (!SIGNS_WITH_RSA.has(appType)) return { status: 'ok', detail: 'not needed: OAuth 2.0 apps send Bearer tokens' };
  if (!db) return { status: 'fail', detail: `no database; ${noActiveMessage(appType)}` };
  const active = findActiveCertificate(db);
  if (!active) return { status: 'fail', detail: noActiveMessage(appType) };
  const expiry = expiryStatus(active.notAfter, clock);
  const status = expiry.level === 'expired' ? 'fail' : expiry.level;
  const pending = findPendingCertificate(db);
  const pendingNote = pending ? `; ${pending.id} is pending: upload its publickey.cer to Xero, then run \`xero-proxy cert activate\`` : '';
  return { status, detail: `${active.id} (SHA-1 ${active.fingerprintSha1}) ${expiry.detail}${pendingNote}` };
}

function noActiveMessage(appType: AppType): string {
  return `No active signing certificate: ${appType} apps sign every request with RSA-SHA1. Run \`xero-proxy cert create\` (or \`cert import\`) and upload publickey.cer to the app in the Xero developer portal.`;
}
