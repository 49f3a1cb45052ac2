import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { addDevice, revoke, rotateDeviceKey } from '../services/devices';
import type { ServiceDeps } from '../services/deps';
import { listDevices } from '../store/devices';
import { listOrganisations } from '../store/organisations';
import { withStore, type CliStore } from './context';
import { printData, table, type Io } from './output';

const depsOf = (store: CliStore): ServiceDeps => ({ ...store, logger: silentLogger });

/** `xero-proxy device add|list|revoke|rotate-key`: devices managed by the administrator. */
export function registerDevice(program: Command, io: Io): void {
  const device = program.command('device').description('manage the devices (apps) that may use the proxy');

  device
    .command('add <deviceId>')
    .description('link a device to an organisation and print its API key (shown once)')
    .requiredOption('--org <org>', 'organisation: its name, short code or id (see `org list`)')
    .option('--name <name>', 'a name people recognise, e.g. "Front counter till"')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, options: { org: string; name?: string; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const issued = addDevice(depsOf(store), { deviceId, organisation: options.org, ...(options.name ? { name: options.name } : {}) });
        printKey(io, Boolean(options.json), issued.device.deviceId, issued.apiKey);
      });
    });

  device
    .command('list')
    .description('list devices, their organisation and state')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, ({ db }) => {
        const names = new Map(listOrganisations(db).map((org) => [org.id, org.name]));
        const rows = listDevices(db).map((d) => ({
          deviceId: d.deviceId,
          name: d.name,
          organisation: d.organisationId ? (names.get(d.organisationId) ?? d.organisationId) : null,
          status: d.status,
          key: d.keyPrefix ? `xpk_${d.keyPrefix}_…` : null,
          lastSeenAt: d.lastSeenAt,
        }));
        printData(io, Boolean(options.json), { devices: rows }, () => table(rows, ['deviceId', 'name', 'organisation', 'status', 'key', 'lastSeenAt']));
      });
    });

  device
    .command('revoke <deviceId>')
    .description('revoke a device: its key stops working at once')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const revoked = revoke(depsOf(store), deviceId);
        printData(io, Boolean(options.json), { deviceId: revoked.deviceId, status: revoked.status }, () => `Revoked ${revoked.deviceId}; its key no longer works.`);
      });
    });

  device
    .command('rotate-key <deviceId>')
    .description('issue a new API key; the old one stops working at once')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const issued = rotateDeviceKey(depsOf(store), deviceId);
        printKey(io, Boolean(options.json), issued.device.deviceId, issued.apiKey);
      });
    });
}

function printKey(io: Io, json: boolean, deviceId: string, apiKey: string): void {
  printData(io, json, { deviceId, apiKey }, () =>
    [`API key for ${deviceId} (shown once; store it in the app's settings):`, '', `  ${apiKey}`, '', 'The app sends it as "Authorization: Bearer <key>".'].join('\n'),
  );
}
