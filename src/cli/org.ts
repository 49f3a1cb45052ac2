import type { Command } from 'commander';
import { deleteTokenSet, findTokenSet } from '../store/token-sets';
import { getOrganisation, listOrganisations, markDisconnected } from '../store/organisations';
import { withStore } from './context';
import { printData, table, type Io } from './output';
import { registerOrgConnect } from './org-connect';

/** `xero-proxy org connect|list|disconnect|refresh`: the Xero organisations the proxy is linked to. */
export function registerOrg(program: Command, io: Io): void {
  const org = program.command('org').description('manage the Xero organisations the proxy is linked to');
  registerOrgConnect(org, io);

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
    .description('forget an organisation\'s Xero credentials; its devices stop sending until it is linked again')
    .option('--json', 'print as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db, clock }) => {
        const found = getOrganisation(db, name);
        db.transaction(() => {
          markDisconnected(db, clock, found.id);
          // OAuth 1.0a has no revocation endpoint: forgetting the token is all the proxy can do;
          // the person removes the app in Xero (Settings > Connected apps) to end it there too.
          if (found.tokenSetId) deleteTokenSet(db, found.tokenSetId);
        }).immediate();
        printData(io, Boolean(options.json), { id: found.id, name: found.name, linkState: 'disconnected' }, () =>
          `Disconnected ${found.name}. Its credentials are deleted; remove the app in Xero too (Settings > Connected apps).`,
        );
      });
    });
}
