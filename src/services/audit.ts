import { AppError } from '../lib/errors';
import { Secret } from '../lib/secret';
import { auditActors, insertAuditRecord, listAuditRecords, type AuditRecord } from '../store/audit';
import type { ServiceDeps } from './deps';

/**
 * Who makes a change, and from where: `admin:<name>` from a browser's address, or
 * `cli:<OS user>` from `cli`. Every service that changes something takes one.
 */
export interface Actor {
  name: string;
  from: string;
}

/** What a service that changes something needs besides its deps: who is acting. */
export interface Acting {
  actor: Actor;
}

/** An actor as a link request keeps it, for the callback that completes the link without a session. */
export const actorText = (actor: Actor): string => JSON.stringify({ name: actor.name, from: actor.from });

/** The actor `actorText` wrote; a link started before actors were kept is `unknown`. */
export function parseActor(text: string | null): Actor {
  try {
    const parsed = text === null ? undefined : (JSON.parse(text) as Partial<Actor>);
    if (typeof parsed?.name === 'string' && typeof parsed.from === 'string') return { name: parsed.name, from: parsed.from };
  } catch {
    // Not ours: fall through to unknown.
  }
  return { name: 'unknown', from: 'unknown' };
}

/** The proxy itself, for what it changes on its own (renewing its HTTPS certificate). */
export const PROXY_ACTOR: Actor = { name: 'proxy', from: 'proxy' };

/** Sign-ins with a name no administrator has: who typed it is not known. */
export const ANONYMOUS = (from: string): Actor => ({ name: 'anonymous', from });

/**
 * Every action the log records, with the words the audit page shows. Stable: scripts filter by
 * them. `backup.created`, `backup.restored` and `key.rotated` are written by those features.
 */
export const AUDIT_ACTIONS = {
  'organisation.linked': 'Linked an organisation',
  'organisation.relinked': 'Linked an organisation again',
  'organisation.refreshed': 'Read an organisation from Xero again',
  'organisation.disconnected': 'Disconnected an organisation',
  'organisation.payroll_api_changed': "Changed which Xero payroll API an organisation's timesheets go to",
  'pairing.approved': 'Approved a pairing request',
  'pairing.denied': 'Denied a pairing request',
  'pairing.cleared': 'Cleared pairing requests',
  'device.added': 'Added a device',
  'device.renamed': 'Renamed a device',
  'device.moved': 'Moved a device to another organisation',
  'device.rights_changed': "Changed a device's rights",
  'device.key_rotated': "Replaced a device's key",
  'device.revoked': 'Revoked a device',
  'mapping.saved': 'Saved a mapping',
  'mapping.removed': 'Removed a mapping',
  'mapping.imported': 'Imported mappings',
  'document.retried': 'Retried a document',
  'documents.retried': 'Retried documents of one cause',
  'document.cancelled': 'Cancelled a document',
  'reconciliation.run': 'Compared a day of deliveries with Xero',
  'reconciliation.reviewed': 'Marked reconciliation findings dealt with',
  'alerts.test_sent': 'Sent a test alert',
  'admin.added': 'Added an administrator',
  'admin.removed': 'Removed an administrator',
  'admin.password_reset': "Reset an administrator's password",
  'admin.password_changed': 'Changed their own password',
  'admin.mfa_enrolled': 'Set up two-step sign-in',
  'admin.mfa_reset': "Reset an administrator's two-step sign-in",
  'admin.recovery_codes_renewed': 'Made new recovery codes',
  'admin.signed_in': 'Signed in',
  'admin.sign_in_failed': 'Failed to sign in',
  'admin.recovery_code_used': 'Signed in with a recovery code',
  'admin.signed_out': 'Signed out',
  'admin.session_ended': 'Ended a session',
  'backup.created': 'Made a backup',
  'backup.restored': 'Restored a backup',
  'key.rotated': 'Rotated the master key',
  'tls.ca_created': "Made the proxy's HTTPS certificate authority",
  'tls.certificate_issued': 'Issued an HTTPS server certificate',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** A value a change may record: plain facts, lists, or a before and after (`{ from, to }`). */
export type AuditValue = string | number | boolean | null | readonly AuditValue[] | { readonly [key: string]: AuditValue };

// The logger's rule for fields that hold secrets, plus the codes of two-step sign-in.
const SECRET_FIELD = /secret|token|password|passwd|authorization|cookie|signature|private.?key|api.?key|session.?handle|verifier|refresh|credential|totp|recovery.?code|^code$/i;
// What a secret looks like when it arrives under an innocent name: a device key, a sealed value.
const SECRET_VALUE = /^(xpk_[A-Za-z0-9]+_[A-Za-z0-9_-]{20,}|v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,})$/;

/**
 * Refuses (`internal`: it is a bug) changes that would put a secret in the log: a field named
 * like one, a `Secret`, or a value shaped like a device key or a sealed value.
 */
export function checkNoSecrets(changes: Record<string, unknown>, path = 'changes'): void {
  for (const [key, value] of Object.entries(changes)) {
    const at = `${path}.${key}`;
    if (SECRET_FIELD.test(key)) throw new AppError('internal', `An audit entry must not record a secret, but it has ${at}.`);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item instanceof Secret || (typeof item === 'string' && SECRET_VALUE.test(item))) throw new AppError('internal', `An audit entry must not record a secret, but ${at} holds one.`);
      if (typeof item === 'object' && item !== null) checkNoSecrets(item as Record<string, unknown>, at);
    }
  }
}

/**
 * Records one change in the append-only audit log, in the caller's transaction when it has one:
 * a change and its record commit together or not at all.
 * @example recordAudit(deps, { actor: deps.actor, action: 'device.revoked', subject: 'TILL-1' })
 */
export function recordAudit(deps: Pick<ServiceDeps, 'db' | 'clock'>, entry: { actor: Actor; action: AuditAction; subject?: string | null; changes?: Record<string, AuditValue> }): void {
  const changes = entry.changes ?? {};
  checkNoSecrets(changes);
  insertAuditRecord(deps.db, { at: deps.clock.now().toISOString(), actor: entry.actor.name, source: entry.actor.from, action: entry.action, subject: entry.subject ?? null, changes });
}

/** One record as the page and `audit list` show it. */
export type AuditEntry = AuditRecord & { description: string };

/** A page of the log, newest first, and where the next page starts. */
export interface AuditPage {
  entries: AuditEntry[];
  /** The id to pass as `before` for older records; null on the last page. */
  next: number | null;
  actors: string[];
}

const DURATION = /^(\d{1,6})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * The moment `--since` names: an ISO-8601 time (`2026-11-28T09:00:00Z`, or a date) or a
 * duration back from now (`30m`, `12h`, `7d`, `2w`).
 */
export function parseSince(text: string, now: Date, field = 'since'): string {
  const duration = DURATION.exec(text.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]).toISOString();
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw new AppError('invalid', `${field}: must be a time such as 2026-11-28T09:00:00Z or 2026-11-28, or a duration back from now such as 30m, 12h, 7d or 2w.`, { field });
  return new Date(ms).toISOString();
}

/** Reads the log newest first, filtered; `limit` per page (at most 500). */
export function auditEntries(deps: Pick<ServiceDeps, 'db' | 'clock'>, filter: { since?: string; actor?: string; action?: string; before?: string; limit?: number }): AuditPage {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const before = filter.before !== undefined && filter.before !== '' ? Number(filter.before) : undefined;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) throw new AppError('invalid', 'before: not a page of this log; start again from the first page.', { field: 'before' });
  const action = filter.action || undefined;
  if (action !== undefined && !Object.hasOwn(AUDIT_ACTIONS, action) && !(action.endsWith('.') && Object.keys(AUDIT_ACTIONS).some((known) => known.startsWith(action)))) {
    throw new AppError('invalid', `action: "${action}" is not an action the log records; one of ${Object.keys(AUDIT_ACTIONS).join(', ')}, or the part before the dot (e.g. "device.").`, { field: 'action' });
  }
  const records = listAuditRecords(deps.db, {
    ...(filter.since ? { since: parseSince(filter.since, deps.clock.now()) } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(action ? { action } : {}),
    ...(before !== undefined ? { before } : {}),
    limit: limit + 1,
  });
  const entries = records.slice(0, limit).map((record) => ({ ...record, description: AUDIT_ACTIONS[record.action as AuditAction] ?? record.action }));
  return { entries, next: records.length > limit ? entries[entries.length - 1]!.id : null, actors: auditActors(deps.db) };
}

const shown = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(shown).join(', ') || '(none)';
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'object') return Object.entries(value).map(([key, item]) => `${key} ${shown(item)}`).join(', ') || '(none)';
  return String(value);
};
const isChange = (value: unknown): value is { from: unknown; to: unknown } => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).sort().join() === 'from,to';

/** What changed, one line per field, as the page and `audit list` write it: `organisation: Harbourside Café → Kauri Hardware`, `target: (none) → accountCode 200, taxType OUTPUT`. */
export function changeLines(changes: Record<string, unknown>): string[] {
  return Object.entries(changes).map(([key, value]) => (isChange(value) ? `${key}: ${shown(value.from)} → ${shown(value.to)}` : `${key}: ${shown(value)}`));
}
