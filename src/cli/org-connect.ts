import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { silentLogger } from '../lib/logger';
import { addDevice } from '../services/devices';
import { startLink, type LinkDeps } from '../services/linking';
import { findLinkRequest } from '../store/link-requests';
import { findOrganisation, type Organisation } from '../store/organisations';
import { withStore, type CliStore } from './context';
import { printData, type Io } from './output';

const linkDeps = (store: CliStore): LinkDeps => ({ ...store, logger: silentLogger, transport: fetch });

/**
 * `xero-proxy org connect`: prints the Xero authorisation URL on a line of its own, waits for the
 * running server to receive Xero's callback (the browser may be on any machine of the LAN), then
 * prints the linked organisation, and with `--device` a key for that device.
 */
export function registerOrgConnect(org: Command, io: Io): void {
  org
    .command('connect')
    .description('link a Xero organisation: open the printed URL in a browser, approve, and wait here')
    .option('--device <deviceId>', 'also link this device to the organisation and print its API key')
    .option('--name <name>', 'with --device: a name people recognise')
    .option('--timeout <seconds>', 'how long to wait for the approval', '900')
    .option('--json', 'print the result as JSON (the URL is still printed first, on its own line)')
    .action(async (options: { device?: string; name?: string; timeout: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deps = linkDeps(store);
        if (store.config.xero.appType !== 'private') await requireRunningServer(store.config.server.publicUrl);
        const started = await startLink(deps, {});
        let organisation: Organisation;
        if (started.kind === 'linked') {
          organisation = started.organisation;
        } else {
          io.out(started.authorizeUrl);
          if (!options.json) io.err(`Open the URL above in a browser, sign in to Xero and allow access; waiting up to ${options.timeout} seconds…`);
          organisation = await waitForCallback(store, started.linkRequestId, Number(options.timeout) * 1000);
        }
        const device = options.device ? addDevice(deps, { deviceId: options.device, organisation: organisation.id, ...(options.name ? { name: options.name } : {}) }) : undefined;
        const result = {
          organisation: { id: organisation.id, name: organisation.name, shortCode: organisation.shortCode, xeroOrganisationId: organisation.xeroOrganisationId, countryCode: organisation.countryCode, baseCurrency: organisation.baseCurrency },
          ...(device ? { device: { deviceId: device.device.deviceId, apiKey: device.apiKey } } : {}),
        };
        printData(io, Boolean(options.json), result, () =>
          [`Linked ${organisation.name} (${organisation.shortCode ?? organisation.xeroOrganisationId}).`, ...(device ? ['', `API key for ${device.device.deviceId} (shown once):`, '', `  ${device.apiKey}`] : [])].join('\n'),
        );
      });
    });
}

/** Xero's answer goes to the server, so it must be up before the person is sent to Xero. */
async function requireRunningServer(publicUrl: string): Promise<void> {
  const reachable = await fetch(`${publicUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!reachable) {
    throw new AppError('unavailable', `The proxy does not answer at ${publicUrl}, so it cannot receive Xero's answer.`, { hint: 'Start it with `xero-proxy serve` (and check server.public_url), then run this again.' });
  }
}

async function waitForCallback(store: CliStore, linkRequestId: string, timeoutMs: number): Promise<Organisation> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const request = findLinkRequest(store.db, linkRequestId);
    if (request?.state === 'completed' && request.organisationId) return findOrganisation(store.db, request.organisationId)!;
    if (request && request.state !== 'pending') throw new AppError('upstream', request.error ?? `The link ended as ${request.state}.`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new AppError('unavailable', 'Nobody approved the link at Xero in time.', { hint: 'Run `xero-proxy org connect` again and open the URL it prints.' });
}
