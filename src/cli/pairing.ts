import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { silentLogger } from '../lib/logger';
import type { ServiceDeps } from '../services/deps';
import { clearPendingPairings, pendingPairings, type PairingSelection } from '../services/pairing';
import type { Acting } from '../services/audit';
import { withStore, type CliStore } from './context';
import { printData, table, type Io } from './output';

const depsOf = (store: CliStore): ServiceDeps & Acting => ({ ...store, logger: silentLogger });
const COLUMNS = ['code', 'deviceId', 'name', 'sourceAddress', 'createdAt', 'expiresAt'];

/** `xero-proxy pairing list|clear`: the pairing requests devices made that wait for a person. */
export function registerPairing(program: Command, io: Io): void {
  const pairing = program.command('pairing').description('see and clear the pairing requests waiting for approval');

  pairing
    .command('list')
    .description('list the pairing requests waiting for approval, newest first')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const rows = pendingPairings(depsOf(store));
        printData(io, Boolean(options.json), { pairings: rows }, () => table(rows, COLUMNS));
      });
    });

  pairing
    .command('clear [code]')
    .description('deny waiting pairing requests: one by its code, all from one address, or all')
    .option('--address <address>', 'every request from this network address (as `pairing list` shows it)')
    .option('--all', 'every waiting request')
    .option('--json', 'print as JSON')
    .action(async (code: string | undefined, options: { address?: string; all?: boolean; json?: boolean }, command: Command) => {
      const selection = selectionOf(code, options);
      await withStore(command, (store) => {
        const cleared = clearPendingPairings(depsOf(store), selection);
        printData(io, Boolean(options.json), { cleared }, () => clearedText(cleared.map((p) => `${p.code}  ${p.deviceId} (${p.name}) from ${p.sourceAddress}`)));
      });
    });
}

function selectionOf(code: string | undefined, options: { address?: string; all?: boolean }): PairingSelection {
  const given = [code !== undefined, options.address !== undefined, Boolean(options.all)].filter(Boolean).length;
  if (given !== 1) throw new AppError('invalid', 'Name what to clear: a pairing code, --address ADDRESS or --all (one of them).', { hint: 'See the waiting requests with `xero-proxy pairing list`.' });
  if (code !== undefined) return { code };
  if (options.address !== undefined) return { sourceAddress: options.address };
  return { all: true };
}

function clearedText(lines: readonly string[]): string {
  if (lines.length === 0) return 'No such pairing requests were waiting; nothing was cleared.';
  const head = `Denied ${lines.length} waiting pairing ${lines.length === 1 ? 'request' : 'requests'}; ${lines.length === 1 ? 'its device is' : 'their devices are'} told at the next poll:`;
  return [head, ...lines.map((line) => `  ${line}`)].join('\n');
}
