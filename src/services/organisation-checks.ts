import { lockDateHold } from '../domain/lock-dates';
import { toAppError } from '../lib/errors';
import { stoppedJobsOfCause } from '../store/attention';
import { requeueJob } from '../store/jobs';
import { listOrganisations, type Organisation } from '../store/organisations';
import { PROXY_ACTOR, type Acting } from './audit';
import { checkMappingTargets } from './mapping-check';
import { refreshOrganisation } from './organisations';
import type { XeroDeps } from './xero-app';
import type { XeroCalls } from './xero-calls';

/** What checking one organisation found. */
export interface OrganisationCheck {
  organisationId: string;
  name: string;
  /** Why it could not be checked (Xero unreachable, a relink needed); undefined when it was. */
  problem?: string;
  periodLockDate: string | null;
  endOfYearLockDate: string | null;
  /** Mappings whose target Xero no longer offers. */
  mappingProblems: number;
  /** Documents held for a lock date that the lock dates read now let go. */
  released: number;
}

/**
 * Reads an organisation's facts from Xero again (plan, edition, lock dates), lets go of the
 * documents held for a lock date that has since moved, and checks its mappings' targets. The
 * daily `check-organisations` job runs it for every linked organisation; `org check` on demand.
 */
export async function checkOrganisation(deps: XeroDeps & Partial<Acting>, calls: XeroCalls, organisationId: string): Promise<OrganisationCheck> {
  const organisation = await refreshOrganisation({ ...deps, actor: deps.actor ?? PROXY_ACTOR }, calls, organisationId);
  const released = releaseUnlocked(deps, organisation);
  const problems = await checkMappingTargets(deps, calls, organisation.id);
  return { organisationId: organisation.id, name: organisation.name, periodLockDate: organisation.periodLockDate, endOfYearLockDate: organisation.endOfYearLockDate, mappingProblems: problems.length, released };
}

/** Checks every linked organisation; one that cannot be checked does not stop the others. */
export async function checkOrganisations(deps: XeroDeps & Partial<Acting>, calls: XeroCalls): Promise<OrganisationCheck[]> {
  const checks: OrganisationCheck[] = [];
  for (const organisation of listOrganisations(deps.db)) {
    if (organisation.linkState !== 'linked') continue;
    try {
      checks.push(await checkOrganisation(deps, calls, organisation.id));
    } catch (error) {
      const problem = toAppError(error).message;
      deps.logger.warn('organisation check failed', { organisation: organisation.name, reason: problem });
      checks.push({ organisationId: organisation.id, name: organisation.name, problem, periodLockDate: organisation.periodLockDate, endOfYearLockDate: organisation.endOfYearLockDate, mappingProblems: 0, released: 0 });
    }
  }
  return checks;
}

/**
 * Before **Retry all** of documents held for a lock date: the lock dates are read from Xero again,
 * so a date the adviser has just moved counts. Xero out of reach leaves the dates last read.
 */
export async function rereadLockDates(deps: XeroDeps & Acting, calls: XeroCalls, organisationId: string | undefined): Promise<void> {
  const ids = organisationId ? [organisationId] : [...new Set(stoppedJobsOfCause(deps.db, 'lock_date').map((job) => job.organisationId))];
  for (const id of ids) {
    try {
      await refreshOrganisation(deps, calls, id);
    } catch (error) {
      deps.logger.warn('lock dates not read again before retry', { organisation: id, reason: toAppError(error).message });
    }
  }
}

/** Queues again the documents held for a lock date that no longer covers their date. */
function releaseUnlocked(deps: XeroDeps, organisation: Organisation): number {
  let released = 0;
  deps.db.transaction(() => {
    for (const job of stoppedJobsOfCause(deps.db, 'lock_date', organisation.id)) {
      if (job.status !== 'held' || lockDateHold(organisation, job)) continue;
      if (requeueJob(deps.db, deps.clock, job.id, { note: `The lock dates read from Xero now leave its date open.` })) released += 1;
    }
  }).immediate();
  return released;
}
