import type { Proxy } from '../app';
import { toAppError } from '../lib/errors';
import { forgetOldIdempotencyKeys } from '../queue/housekeeping';
import { REFERENCE_KINDS, refreshReferenceList, type ReferenceKind } from '../services/reference-data';
import { listOrganisations } from '../store/organisations';
import type { Scheduler } from './registry';

/** The sweep renews partner tokens this far ahead, well before any call would need to. */
export const SWEEP_MARGIN_MS = 10 * 60_000;

/**
 * Renews every linked organisation's token that ends soon, and moves public apps whose 30
 * minutes are over to needs_relink. One organisation's failure does not stop the others.
 */
export async function renewExpiringTokens(proxy: Proxy): Promise<void> {
  for (const organisation of listOrganisations(proxy.db)) {
    if (organisation.linkState !== 'linked' || organisation.appType === 'private') continue;
    try {
      await proxy.calls.fresh(organisation, organisation.appType === 'partner' ? SWEEP_MARGIN_MS : 0);
    } catch (error) {
      proxy.deps.logger.warn('token renewal sweep: organisation not renewed', { organisation: organisation.name, reason: toAppError(error).message });
    }
  }
}

/**
 * Reads every linked organisation's reference lists again, so apps' pick lists stay current. The
 * reads are paced with delivery; an organisation whose turn does not come soon (Xero asked for a
 * pause, or the day's budget is spent) keeps its cached lists until the next run.
 */
export async function refreshReferenceData(proxy: Proxy): Promise<void> {
  for (const organisation of listOrganisations(proxy.db)) {
    if (organisation.linkState !== 'linked') continue;
    for (const kind of Object.keys(REFERENCE_KINDS) as ReferenceKind[]) {
      try {
        await refreshReferenceList(proxy.deps, proxy.calls, organisation.id, kind);
      } catch (error) {
        const reason = toAppError(error);
        proxy.deps.logger.warn('reference refresh failed', { organisation: organisation.name, kind, reason: reason.message });
        if (reason.code === 'rate_limited') break;
      }
    }
  }
}

/** Registers the server's recurring work. */
export function registerJobs(scheduler: Scheduler, proxy: Proxy): void {
  scheduler.add({ name: 'renew-tokens', cron: '*/30 * * * * *', work: () => renewExpiringTokens(proxy) });
  scheduler.add({ name: 'refresh-reference-data', cron: '17 * * * *', work: () => refreshReferenceData(proxy) });
  scheduler.add({
    name: 'forget-idempotency-keys',
    cron: '41 * * * *',
    work: () => {
      forgetOldIdempotencyKeys(proxy.deps);
    },
  });
}
