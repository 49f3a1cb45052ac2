import type { Command } from 'commander';
import { payrollApiOf, rebuiltText, setPayrollApi } from '../services/payroll-api';
import { getOrganisation } from '../store/organisations';
import { withStore } from './context';
import { printData, type Io } from './output';

const NAMES = { '1.0': 'Payroll AU (payroll.xro/1.0)', '2.0': 'Payroll 2.0 (payroll.xro/2.0)' } as const;

/** `org payroll <org> [api]`: which Xero payroll API the organisation's timesheets go to; `1.0` or `2.0` sets it (Australian organisations). */
export function registerOrgPayroll(org: Command, io: Io): void {
  org
    .command('payroll <org> [api]')
    .description("show which Xero payroll API the organisation's timesheets go to; give 1.0 or 2.0 to set it for an Australian organisation")
    .option('--json', 'print as JSON')
    .action(async (name: string, api: string | undefined, options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        if (api === undefined) {
          const organisation = getOrganisation(store.db, name);
          const current = payrollApiOf(store.db, organisation.id);
          printData(io, Boolean(options.json), { id: organisation.id, name: organisation.name, payrollApi: current }, () => `${organisation.name}'s timesheets go to ${NAMES[current]}.`);
          return;
        }
        const set = setPayrollApi(store, name, api);
        printData(io, Boolean(options.json), { id: set.organisation.id, name: set.organisation.name, payrollApi: set.api, changed: set.changed, timesheetsRebuilt: set.rebuilt }, () =>
          set.changed ? `${set.organisation.name}'s timesheets now go to ${NAMES[set.api]}.${rebuiltText(set.rebuilt)}` : `${set.organisation.name}'s timesheets already go to ${NAMES[set.api]}.`,
        );
      });
    });
}
