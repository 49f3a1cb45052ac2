import type { Proxy } from '../app';
import { toAppError } from '../lib/errors';
import { forgetOldIdempotencyKeys } from '../queue/housekeeping';
import { runAlerts } from '../services/alerts';
import { runScheduledBackup } from '../services/backup';
import { checkOrganisations } from '../services/organisation-checks';
import { eraseOldContent } from '../services/retention';
import { reconcileYesterday } from '../services/reconciliation';
import { REFERENCE_KINDS, refreshReferenceList, type ReferenceKind } from '../services/reference-data';
import { isOAuth2AppType } from '../config/oauth2';
import { REFRESH_TOKEN_IDLE_MS } from '../services/grant-refresh';
import { organisationsWithReadyJobs } from '../store/jobs';
import { listOrganisations, organisationsOfTokenSet, type Organisation } from '../store/organisations';
import { getTokenSet, type TokenSet } from '../store/token-sets';
import { sweepMarginMs, type TokenLife } from '../domain/xero/renewal-margin';
import type { Scheduler } from './registry';

/**
 * An OAuth 2.0 grant unused for this long is refreshed, so Xero's 60-day expiry of unused refresh
 * tokens never comes near, even after weeks with the proxy switched off.
 * @see PROTOCOL.md §6.4
 */
export const IDLE_GRANT_MS = 7 * 24 * 3600_000;

/**
 * Renews every linked organisation's token that ends soon, and moves public apps whose 30
 * minutes are over to needs_relink. OAuth 2.0 grants are refreshed once per grant however many
 * organisations share them: ahead of expiry when one of them has work waiting, and after a week
 * without any refresh in any case. The grants due are renewed one after another, the soonest to
 * end first, spaced by the renewal rate (five a second at most): a thousand due at once take
 * minutes, well inside the sweep's margin, and the most urgent never waits behind the others.
 * One organisation's failure does not stop the others.
 */
export async function renewExpiringTokens(proxy: Proxy): Promise<void> {
  const busy = new Set(organisationsWithReadyJobs(proxy.db, proxy.deps.clock));
  const grantsSeen = new Set<string>();
  const due: Array<{ organisation: Organisation; margin: number | ((life: TokenLife) => number); endsAt: number }> = [];
  for (const organisation of listOrganisations(proxy.db)) {
    if (organisation.linkState !== 'linked' || organisation.appType === 'private') continue;
    try {
      if (isOAuth2AppType(organisation.appType)) {
        if (!organisation.tokenSetId || grantsSeen.has(organisation.tokenSetId)) continue;
        grantsSeen.add(organisation.tokenSetId);
        const tokens = getTokenSet(proxy.db, proxy.keyring, organisation.tokenSetId);
        const margin = grantMargin(proxy, tokens, organisationsOfTokenSet(proxy.db, organisation.tokenSetId).some((org) => busy.has(org.id)));
        if (margin !== undefined && isDue(proxy, tokens, margin)) due.push({ organisation, margin, endsAt: endOf(tokens) });
        continue;
      }
      await proxy.calls.fresh(organisation, organisation.appType === 'partner' ? sweepMarginMs : 0);
    } catch (error) {
      proxy.deps.logger.warn('token renewal sweep: organisation not renewed', { organisation: organisation.name, reason: toAppError(error).message });
    }
  }
  due.sort((a, b) => a.endsAt - b.endsAt);
  for (const { organisation, margin } of due) {
    try {
      // fresh() looks again: a call may have renewed the grant while earlier ones were renewed.
      await proxy.calls.fresh(organisation, margin);
    } catch (error) {
      proxy.deps.logger.warn('token renewal sweep: organisation not renewed', { organisation: organisation.name, reason: toAppError(error).message });
    }
  }
}

function endOf(tokens: TokenSet): number {
  return tokens.expiresAt ? Date.parse(tokens.expiresAt) : Number.POSITIVE_INFINITY;
}

/** Whether the grant ends within `margin` (what fresh() renews), so only grants to renew wait their turn. */
function isDue(proxy: Proxy, tokens: TokenSet, margin: number | ((life: TokenLife) => number)): boolean {
  return endOf(tokens) - proxy.deps.clock.now().getTime() <= (typeof margin === 'number' ? margin : margin(tokens));
}

/** How far ahead a grant is refreshed now: always when idle for a week, ahead of expiry (sweepMarginMs) only with work waiting; undefined leaves it. */
function grantMargin(proxy: Proxy, tokens: TokenSet, workWaiting: boolean): number | ((life: TokenLife) => number) | undefined {
  const now = proxy.deps.clock.now().getTime();
  // authorizationExpiresAt is the refresh token's 60-day end, pushed back by every refresh.
  const idle = tokens.authorizationExpiresAt !== null && Date.parse(tokens.authorizationExpiresAt) - now <= REFRESH_TOKEN_IDLE_MS - IDLE_GRANT_MS;
  if (idle) return Number.POSITIVE_INFINITY;
  return workWaiting ? sweepMarginMs : undefined;
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

/**
 * Reads every linked organisation's plan, edition and lock dates from Xero again and checks its
 * mappings' targets, so a lock date moved or an account archived shows before a document meets it.
 */
export async function checkOrganisationsDaily(proxy: Proxy): Promise<void> {
  await checkOrganisations(proxy.deps, proxy.calls);
}

/** Sends what needs a person by e-mail and webhook, once per cause per repeat window, and recoveries. */
export async function sendAlerts(proxy: Proxy): Promise<void> {
  await runAlerts(proxy.deps);
}

/** Registers the server's recurring work. */
export function registerJobs(scheduler: Scheduler, proxy: Proxy): void {
  scheduler.add({ name: 'renew-tokens', cron: '*/30 * * * * *', work: () => renewExpiringTokens(proxy) });
  scheduler.add({ name: 'send-alerts', cron: '5 * * * * *', work: () => sendAlerts(proxy) });
  scheduler.add({ name: 'refresh-reference-data', cron: '17 * * * *', work: () => refreshReferenceData(proxy) });
  scheduler.add({ name: 'check-organisations', cron: '7 4 * * *', work: () => checkOrganisationsDaily(proxy) });
  // Cheap when nothing changed (a row read, or two small files hashed), so a renewal, a new
  // address of the host or replaced certificate files are served within a minute.
  const tls = proxy.tls;
  if (tls) scheduler.add({ name: 'keep-tls', cron: '23 * * * * *', work: () => tls.check() });
  // Local time, as a person reads "30 2 * * *": every night at 02:30.
  if (proxy.config.backup.schedule) scheduler.add({ name: 'backup', cron: proxy.config.backup.schedule, work: () => void runScheduledBackup(proxy.deps) });
  // Local time like the backup: the day reconciled is the UTC day before, complete by then.
  if (proxy.config.reconcile.schedule) {
    // What it finds is alerted by send-alerts within the minute (one sender, so nothing is sent twice).
    scheduler.add({
      name: 'reconcile',
      cron: proxy.config.reconcile.schedule,
      work: async () => {
        await reconcileYesterday(proxy.deps, proxy.calls);
      },
    });
  }
  scheduler.add({
    name: 'erase-delivered-content',
    cron: '23 * * * *',
    work: () => {
      eraseOldContent(proxy.deps);
    },
  });
  scheduler.add({
    name: 'forget-idempotency-keys',
    cron: '41 * * * *',
    work: () => {
      forgetOldIdempotencyKeys(proxy.deps);
    },
  });
}
