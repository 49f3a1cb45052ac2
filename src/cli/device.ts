import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { addDevice, deviceSummaries, grantRights, moveDevice, renameDevice, revoke, revokeRights, rotateDeviceKey } from '../services/devices';
import type { ServiceDeps } from '../services/deps';
import type { Device } from '../store/devices';
import type { Acting } from '../services/audit';
import { withStore, type CliStore } from './context';
import { printData, table, type Io } from './output';

const depsOf = (store: CliStore): ServiceDeps & Acting => ({ ...store, logger: silentLogger });

/** `xero-proxy device add|list|rename|move|grant|revoke-right|revoke|rotate-key`: devices managed by the administrator. */
export function registerDevice(program: Command, io: Io): void {
  const device = program.command('device').description('manage the devices (apps) that may use the proxy');

  device
    .command('add <deviceId>')
    .description('link a device to an organisation and print its API key (shown once)')
    .requiredOption('--org <org>', 'organisation: its name, short code or id (see `org list`)')
    .option('--name <name>', 'a name people recognise, e.g. "Front counter till"')
    .option('--rights <rights>', 'comma-separated: reference, accounting.read, payroll.read, write (default: reference)')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, options: { org: string; name?: string; rights?: string; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const issued = addDevice(depsOf(store), { deviceId, organisation: options.org, ...(options.name ? { name: options.name } : {}), ...(options.rights !== undefined ? { rights: [options.rights] } : {}) });
        printKey(io, Boolean(options.json), issued.device, issued.apiKey);
      });
    });

  device
    .command('list')
    .description('list devices, their organisation, state and rights')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const devices = deviceSummaries(store);
        const rows = devices.map((d) => ({ ...d, rights: d.rights.join(',') || '(none)' }));
        printData(io, Boolean(options.json), { devices }, () => table(rows, ['deviceId', 'name', 'organisation', 'status', 'rights', 'key', 'lastSeenAt', 'lastSeenAddress']));
      });
    });

  device
    .command('rename <deviceId> <name>')
    .description('give a device a name people recognise; its key and rights stay')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, name: string, options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const renamed = renameDevice(depsOf(store), deviceId, name);
        printData(io, Boolean(options.json), { deviceId: renamed.deviceId, name: renamed.name }, () => `${renamed.deviceId} is now called "${renamed.name}".`);
      });
    });

  device
    .command('move <deviceId>')
    .description('send what a device sends from now on to another organisation; its key and rights stay')
    .requiredOption('--org <org>', 'organisation: its name, short code or id (see `org list`)')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, options: { org: string; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const moved = moveDevice(depsOf(store), deviceId, options.org);
        const organisation = deviceSummaries(store).find((d) => d.deviceId === moved.deviceId)?.organisation ?? moved.organisationId;
        printData(io, Boolean(options.json), { deviceId: moved.deviceId, organisationId: moved.organisationId, organisation }, () => `${moved.deviceId} now sends to ${organisation}; documents it sent before stay where they went.`);
      });
    });

  device
    .command('grant <deviceId> <right...>')
    .description('give a device rights: reference, accounting.read, payroll.read, write')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, rights: string[], options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => printRights(io, Boolean(options.json), grantRights(depsOf(store), deviceId, rights)));
    });

  device
    .command('revoke-right <deviceId> <right...>')
    .description('take rights away from a device; it keeps its key and its other rights')
    .option('--json', 'print as JSON')
    .action(async (deviceId: string, rights: string[], options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => printRights(io, Boolean(options.json), revokeRights(depsOf(store), deviceId, rights)));
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
        printKey(io, Boolean(options.json), issued.device, issued.apiKey);
      });
    });
}

function printKey(io: Io, json: boolean, device: Device, apiKey: string): void {
  printData(io, json, { deviceId: device.deviceId, apiKey, rights: device.rights }, () =>
    [
      `API key for ${device.deviceId} (shown once; store it in the app's settings):`,
      '',
      `  ${apiKey}`,
      '',
      'The app sends it as "Authorization: Bearer <key>".',
      `Rights: ${rightsText(device)} (change them with \`xero-proxy device grant|revoke-right ${device.deviceId} <right...>\`).`,
    ].join('\n'),
  );
}

function printRights(io: Io, json: boolean, device: Device): void {
  printData(io, json, { deviceId: device.deviceId, rights: device.rights }, () => `${device.deviceId} now has the rights: ${rightsText(device)}.`);
}

const rightsText = (device: Device): string => device.rights.join(', ') || 'none';
