import type { Command } from 'commander';
import { answerNeedsPasting, isLoopbackRedirect, isOAuth2AppType } from '../config/oauth2';
import { pastedAnswer } from '../domain/oauth2/authorize';
import { AppError } from '../lib/errors';
import { silentLogger } from '../lib/logger';
import { addDevice } from '../services/devices';
import type { Acting } from '../services/audit';
import { completeLink, startLink, type LinkDeps } from '../services/linking';
import { proxyAnswers } from '../services/proxy-probe';
import { findLinkRequest } from '../store/link-requests';
import { findOrganisation, organisationsOfTokenSet, type Organisation } from '../store/organisations';
import { withStore, type CliStore } from './context';
import { printData, type Io } from './output';
import { readStdinLines, type StdinLines } from './stdin-lines';

const linkDeps = (store: CliStore): LinkDeps & Acting => ({ ...store, logger: silentLogger, transport: fetch });

interface ConnectOptions {
  device?: string;
  name?: string;
  organisation?: string;
  timeout: string;
  json?: boolean;
}

/**
 * `xero-proxy org connect`: prints the Xero authorisation URL on a line of its own, waits for the
 * running server to receive Xero's answer (the browser may be on any machine of the LAN) or, with
 * a localhost redirect, for the person to paste the address the browser landed on; then prints
 * the linked organisations, and with `--device` a key for that device. An OAuth 2.0 grant may
 * cover several organisations: the device's is never guessed (`--organisation`, or asked).
 */
export function registerOrgConnect(org: Command, io: Io): void {
  org
    .command('connect')
    .description('link a Xero organisation: open the printed URL in a browser, approve, and wait here')
    .option('--device <deviceId>', 'also link this device to the organisation and print its API key')
    .option('--name <name>', 'with --device: a name people recognise')
    .option('--organisation <org>', 'with --device: the organisation it sends to, when Xero allowed several (asked for if left out)')
    .option('--timeout <seconds>', 'how long to wait for the approval', '900')
    .option('--json', 'print the result as JSON (the URL is still printed first, on its own line)')
    .action(async (options: ConnectOptions, command: Command) => {
      await withStore(command, async (store) => {
        const deps = linkDeps(store);
        const { appType, redirectUri } = store.config.xero;
        const pasting = isOAuth2AppType(appType) && isLoopbackRedirect(redirectUri);
        if (appType !== 'private' && appType !== 'custom_connection' && !pasting) await requireRunningServer(store);
        const started = await startLink(deps, {});
        let organisations: Organisation[];
        let lines: StdinLines | undefined;
        try {
          if (started.kind === 'linked') {
            organisations = [started.organisation];
          } else {
            io.out(started.authorizeUrl);
            lines = pasting || (isOAuth2AppType(appType) && options.device && !options.organisation) ? readStdinLines() : undefined;
            if (!options.json) io.err(waitingText(options.timeout, pasting, answerNeedsPasting(store.config)));
            organisations = await waitForLink(store, deps, started.linkRequestId, Number(options.timeout) * 1000, pasting ? lines : undefined);
          }
          // Only a grant made in the browser can cover several organisations (a custom connection reaches one).
          const target = options.device ? await organisationFor(io, options, organisations, started.kind === 'redirect' && isOAuth2AppType(appType), lines) : undefined;
          const device = options.device && target ? addDevice(deps, { deviceId: options.device, organisation: target.id, ...(options.name ? { name: options.name } : {}) }) : undefined;
          const summary = (o: Organisation) => ({ id: o.id, name: o.name, shortCode: o.shortCode, xeroOrganisationId: o.xeroOrganisationId, countryCode: o.countryCode, baseCurrency: o.baseCurrency });
          const result = {
            organisation: summary(target ?? organisations[0]!),
            organisations: organisations.map(summary),
            ...(device ? { device: { deviceId: device.device.deviceId, apiKey: device.apiKey, organisationId: target!.id } } : {}),
          };
          printData(io, Boolean(options.json), result, () =>
            [
              `Linked ${organisations.map((o) => `${o.name} (${o.shortCode ?? o.xeroOrganisationId})`).join(', ')}.`,
              ...(device ? ['', `API key for ${device.device.deviceId}, sending to ${target!.name} (shown once):`, '', `  ${device.apiKey}`] : []),
            ].join('\n'),
          );
        } finally {
          lines?.close();
        }
      });
    });
}

function waitingText(timeout: string, pasting: boolean, elsewhere: boolean): string {
  const wait = `waiting up to ${timeout} seconds…`;
  if (!pasting) return `Open the URL above in a browser, sign in to Xero and allow access; ${wait}`;
  return `Open the URL above in a browser, sign in to Xero and allow access. Xero then sends the browser to a localhost address${
    elsewhere ? ' that may not load on another computer' : ''
  }: paste that whole address here and press Enter; ${wait}`;
}

/** Xero's answer goes to the server, so it must be up before the person is sent to Xero. */
async function requireRunningServer(store: CliStore): Promise<void> {
  const publicUrl = store.config.server.publicUrl;
  if (!(await proxyAnswers(store))) {
    throw new AppError('unavailable', `The proxy does not answer at ${publicUrl}, so it cannot receive Xero's answer.`, { hint: 'Start it with `xero-proxy serve` (and check server.public_url), then run this again.' });
  }
}

/** Waits for the link to complete: at the server (its callback) or here (a pasted address). */
async function waitForLink(store: CliStore, deps: LinkDeps & Acting, linkRequestId: string, timeoutMs: number, pasted: StdinLines | undefined): Promise<Organisation[]> {
  const deadline = Date.now() + timeoutMs;
  let input = pasted;
  while (Date.now() < deadline) {
    const line = input?.take();
    // Once input has ended (`</dev/null`, cron) and its last line is taken, nothing more can be
    // pasted: stop reading and wait for the server alone, since `wait` would return at once.
    if (line === undefined && input?.ended) input = undefined;
    if (line !== undefined) {
      const outcome = await completeLink(deps, Object.fromEntries(pastedAnswer(line)));
      if (outcome.kind === 'denied' || outcome.kind === 'failed') throw new AppError(outcome.kind === 'denied' ? 'upstream' : outcome.code, outcome.message);
    }
    const request = findLinkRequest(store.db, linkRequestId);
    if (request?.state === 'completed' && request.tokenSetId) return organisationsOfTokenSet(store.db, request.tokenSetId);
    if (request?.state === 'completed' && request.organisationId) return [findOrganisation(store.db, request.organisationId)!];
    if (request && request.state !== 'pending') throw new AppError('upstream', request.error ?? `The link ended as ${request.state}.`);
    await (input ? input.wait(500) : new Promise((resolve) => setTimeout(resolve, 500)));
  }
  throw new AppError('unavailable', 'Nobody approved the link at Xero in time.', { hint: 'Run `xero-proxy org connect` again and open the URL it prints.' });
}

/** The organisation a new device sends to: the only one an OAuth 1.0a link or a custom connection reaches, else named by --organisation or chosen here, even when there is one. */
async function organisationFor(io: Io, options: ConnectOptions, organisations: Organisation[], ask: boolean, lines: StdinLines | undefined): Promise<Organisation> {
  const match = (text: string) => organisations.find((o) => [o.id, o.name, o.shortCode, o.xeroOrganisationId].includes(text)) ?? organisations[Number(text) - 1];
  if (options.organisation) {
    const found = match(options.organisation);
    if (!found) throw new AppError('invalid', `--organisation: "${options.organisation}" is not one of ${organisations.map((o) => o.name).join(', ')}.`, { field: 'organisation' });
    return found;
  }
  if (!ask) return organisations[0]!;
  io.err(`Which organisation does ${options.device} send to?`);
  organisations.forEach((o, i) => io.err(`  ${i + 1}) ${o.name}${o.shortCode ? ` (${o.shortCode})` : ''}`));
  io.err('Type its number and press Enter:');
  for (;;) {
    const answer = await lines?.next(10 * 60_000);
    if (answer === undefined) {
      throw new AppError('invalid', `No organisation was chosen for ${options.device}; the organisations are linked, the device is not.`, {
        hint: `Run \`xero-proxy device add ${options.device} --org "<organisation>"\`, or \`org connect\` again with --organisation.`,
      });
    }
    const found = match(answer);
    if (found) return found;
    io.err(`"${answer}" is not one of the numbers 1 to ${organisations.length}; type a number:`);
  }
}
