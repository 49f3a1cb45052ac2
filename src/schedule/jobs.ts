import type { Proxy } from '../app';
import { toAppError } from '../lib/errors';
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

/** Registers the server's recurring work. */
export function registerJobs(scheduler: Scheduler, proxy: Proxy): void {
  scheduler.add({ name: 'renew-tokens', cron: '*/30 * * * * *', work: () => renewExpiringTokens(proxy) });
}
