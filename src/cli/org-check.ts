import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { checkOrganisation, checkOrganisations, type OrganisationCheck } from '../services/organisation-checks';
import { XeroCalls } from '../services/xero-calls';
import { getOrganisation } from '../store/organisations';
import { CLI_PACE_WAIT_MS, withStore } from './context';
import { printData, type Io } from './output';

/** A check's outcome in one or two lines. */
function checkText(check: OrganisationCheck): string {
  if (check.problem) return `${check.name}: not checked: ${check.problem}`;
  const locks = [check.endOfYearLockDate && `end of year lock date ${check.endOfYearLockDate}`, check.periodLockDate && `period lock date ${check.periodLockDate}`].filter(Boolean).join(', ') || 'no lock dates';
  const mappings = check.mappingProblems === 0 ? 'every mapping points at something Xero takes' : `${check.mappingProblems} mapping${check.mappingProblems === 1 ? '' : 's'} point at targets archived or gone in Xero (see Needs attention)`;
  const released = check.released > 0 ? `; ${check.released} document${check.released === 1 ? '' : 's'} held for a lock date sent again` : '';
  return `${check.name}: ${locks}; ${mappings}${released}.`;
}

/** `org check [org]`: what the daily check does, now: plan, edition and lock dates read again, mappings checked. */
export function registerOrgCheck(org: Command, io: Io): void {
  org
    .command('check [org]')
    .description("read each organisation's plan, edition and lock dates from Xero again and check its mappings (the daily check, now)")
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deps = { ...store, logger: silentLogger, transport: fetch };
        const calls = new XeroCalls(deps, { waitMs: CLI_PACE_WAIT_MS });
        const checks = name === undefined ? await checkOrganisations(deps, calls) : [await checkOrganisation(deps, calls, getOrganisation(deps.db, name).id)];
        printData(io, Boolean(options.json), { organisations: checks }, () => (checks.length === 0 ? 'No linked organisation to check.' : checks.map(checkText).join('\n')));
      });
    });
}
