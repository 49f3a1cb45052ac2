import { buildJsonGet } from '../domain/xero/auth';
import { parseXeroProblem } from '../domain/xero/problem';
import { xeroProblemError } from '../domain/xero/xero-error';
import { AppError, toAppError } from '../lib/errors';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** The reference lists apps may read, and where each lives in Xero. */
export const REFERENCE_KINDS = {
  accounts: { path: 'Accounts', collection: 'Accounts', paged: false },
  'tax-rates': { path: 'TaxRates', collection: 'TaxRates', paged: false },
  items: { path: 'Items', collection: 'Items', paged: false },
  contacts: { path: 'Contacts', collection: 'Contacts', paged: true },
  'tracking-categories': { path: 'TrackingCategories', collection: 'TrackingCategories', paged: false },
} as const;

export type ReferenceKind = keyof typeof REFERENCE_KINDS;

/** How long a cached list is served before it is read again from Xero. */
export const REFERENCE_MAX_AGE_MS = 60 * 60_000;

export interface ReferenceList {
  kind: ReferenceKind;
  fetchedAt: string;
  /** True when Xero could not be reached and an older copy is served. */
  stale: boolean;
  items: unknown[];
}

export function isReferenceKind(kind: string): kind is ReferenceKind {
  return Object.hasOwn(REFERENCE_KINDS, kind);
}

/**
 * An organisation's reference list from the cache, read again from Xero when older than an hour,
 * so apps fill their pick lists without spending Xero calls. When Xero cannot be reached an
 * older copy is served, marked stale; so is it when the organisation's turn at Xero does not come
 * within a few seconds (the calls are paced with delivery).
 */
export async function referenceList(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: ReferenceKind, options: { maxAgeMs?: number } = {}): Promise<ReferenceList> {
  const cached = deps.db.prepare('SELECT body, fetched_at FROM reference_cache WHERE organisation_id = ? AND kind = ?').get(organisationId, kind) as { body: string; fetched_at: string } | undefined;
  const fresh = cached && deps.clock.now().getTime() - Date.parse(cached.fetched_at) < (options.maxAgeMs ?? REFERENCE_MAX_AGE_MS);
  if (cached && fresh) return { kind, fetchedAt: cached.fetched_at, stale: false, items: JSON.parse(cached.body) as unknown[] };
  try {
    return await refreshReferenceList(deps, calls, organisationId, kind);
  } catch (error) {
    if (cached && toAppError(error).retryable) return { kind, fetchedAt: cached.fetched_at, stale: true, items: JSON.parse(cached.body) as unknown[] };
    throw error;
  }
}

/** Reads a reference list from Xero (every page of it) and caches it. */
export async function refreshReferenceList(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: ReferenceKind): Promise<ReferenceList> {
  const spec = REFERENCE_KINDS[kind];
  const items: unknown[] = [];
  for (let page = 1; ; page++) {
    const url = `${deps.config.xero.apiUrl}/api.xro/2.0/${spec.path}${spec.paged ? `?page=${page}` : ''}`;
    const response = await calls.call(organisationId, (auth) => buildJsonGet(auth, url));
    if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
    const list = (JSON.parse(response.body) as Record<string, unknown>)[spec.collection];
    if (!Array.isArray(list)) throw new AppError('upstream', `Xero's ${spec.path} answer has no ${spec.collection} list.`, { retryable: false });
    items.push(...list);
    // Xero pages hold 100; a shorter page is the last.
    if (!spec.paged || list.length < 100) break;
  }
  const fetchedAt = deps.clock.now().toISOString();
  deps.db
    .prepare('INSERT INTO reference_cache (organisation_id, kind, body, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT(organisation_id, kind) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at')
    .run(organisationId, kind, JSON.stringify(items), fetchedAt);
  return { kind, fetchedAt, stale: false, items };
}
