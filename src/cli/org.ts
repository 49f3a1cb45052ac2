import type { Command } from 'commander';
import { findTokenSet } from '../store/token-sets';
import { disconnectOrganisation } from '../services/disconnect';
import { planLabel, planWarnings } from '../domain/organisation-plan';
import { silentLogger } from '../lib/logger';
import { XeroCalls } from '../services/xero-calls';
import { refreshOrganisation } from '../services/organisations';
import { getOrganisation, listOrganisations } from '../store/organisations';
import { CLI_PACE_WAIT_MS, withStore } from './context';
import { printData, table, type Io } from './output';
import { registerOrgCheck } from './org-check';
import { registerOrgConnect } from './org-connect';
import { registerOrgPayroll } from './org-payroll';

/** `xero-proxy org connect|list|disconnect|refresh|payroll|check`: the Xero organisations the proxy is linked to. */
export function registerOrg(program: Command, io: Io): void {
  const org = program.command('org').description('manage the Xero organisations the proxy is linked to');
  registerOrgConnect(org, io);
  registerOrgRefresh(org, io);
  registerOrgPayroll(org, io);
  registerOrgCheck(org, io);

  org
    .command('list')
    .description('list organisations, their link state and token expiry')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db, keyring }) => {
        const rows = listOrganisations(db).map((o) => {
          const tokens = o.tokenSetId ? findTokenSet(db, keyring, o.tokenSetId) : undefined;
          return {
            id: o.id,
            name: o.name,
            shortCode: o.shortCode,
            xeroOrganisationId: o.xeroOrganisationId,
            appType: o.appType,
            linkState: o.linkState,
            relinkReason: o.relinkReason,
            tokenExpiresAt: tokens?.expiresAt ?? null,
          };
        });
        printData(io, Boolean(options.json), { organisations: rows }, () => table(rows, ['id', 'name', 'shortCode', 'appType', 'linkState', 'tokenExpiresAt']));
      });
    });

  org
    .command('disconnect <org>')
    .description("disconnect an organisation (OAuth 2.0: at Xero too) and forget its credentials; its devices stop sending until it is linked again")
    .option('--json', 'print as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deps = { ...store, logger: silentLogger, transport: fetch };
        const found = getOrganisation(store.db, name);
        const done = await disconnectOrganisation(deps, new XeroCalls(deps, { waitMs: CLI_PACE_WAIT_MS }), found);
        const atXero =
          done.connection === 'deleted' || done.connection === 'already_gone'
            ? `Its connection at Xero is removed${done.revoked ? ', and the grant is revoked (no other organisation used it)' : ''}.`
            : done.connection === 'not_applicable'
              ? 'Its credentials are deleted; remove the app in Xero too (Settings > Connected apps).'
              : done.notes.join(' ');
        printData(io, Boolean(options.json), { id: found.id, name: found.name, linkState: 'disconnected', connection: done.connection, revoked: done.revoked, notes: done.notes }, () =>
          `Disconnected ${found.name}. ${atXero}`,
        );
      });
    });
}

/** `org refresh`: reads the organisation's details from Xero again (name, short code…), proving the link works. */
export function registerOrgRefresh(org: Command, io: Io): void {
  org
    .command('refresh <org>')
    .description("read the organisation's details from Xero again; proves the link still works")
    .option('--json', 'print as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deps = { ...store, logger: silentLogger, transport: fetch };
        const updated = await refreshOrganisation(deps, new XeroCalls(deps, { waitMs: CLI_PACE_WAIT_MS }), name);
        const plan = planWarnings(updated.planClass, updated.edition);
        printData(io, Boolean(options.json), { id: updated.id, name: updated.name, shortCode: updated.shortCode, linkState: updated.linkState, planClass: updated.planClass, edition: updated.edition, warnings: plan.map((w) => w.text) }, () =>
          [`${updated.name} (${updated.shortCode ?? updated.xeroOrganisationId}) is linked and answers.`, `Plan: ${planLabel(updated.planClass)}; edition: ${planLabel(updated.edition)}.`, ...plan.map((w) => `Warning: ${w.text}`)].join('\n'),
        );
      });
    });
}
