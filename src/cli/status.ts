import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { utcText } from '../lib/utc-text';
import { backupStatus, type BackupStatus } from '../services/backup-status';
import { overview, type Overview } from '../services/overview';
import { withStore } from './context';
import { printData, table, type Io } from './output';

/**
 * `xero-proxy status [--json]`: what the console's overview says, for a terminal: whether
 * everything reached Xero, what needs a person and where, and each organisation's queue and
 * budget. Pauses the server's pacer keeps in memory are not visible from here; relinks are.
 */
export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description('whether everything reached Xero, what needs a person, and each organisation')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const result = overview({ ...store, logger: silentLogger });
        const backups = backupStatus(store);
        printData(io, Boolean(options.json), { ...result, backups: { last: backups.last ?? null, failure: backups.failure ?? null, schedule: backups.schedule ?? 'off' } }, () => `${statusText(result)}\n\n${backupLine(backups)}`);
      });
    });
}

// The problem, if any, is among the warnings above; this line says where the last backup is.
function backupLine(backups: BackupStatus): string {
  const schedule = backups.schedule ? `scheduled "${backups.schedule}"` : 'scheduled backups off';
  return backups.last ? `Last backup: ${utcText(backups.last.at)}, ${backups.last.file} (${schedule}).` : `No backup made yet (${schedule}).`;
}

function statusText(result: Overview): string {
  const rows = result.organisations.map((org) => ({
    organisation: org.name,
    link: org.linkState,
    queued: org.counts.queued,
    sending: org.counts.sending,
    held: org.counts.held,
    failed: org.counts.failed,
    dead: org.counts.dead,
    oldestWaiting: org.oldestWaitingAt ?? '',
    lastDelivery: org.lastDeliveredAt ?? '',
    callsToday: `${org.usage.callsToday}/${org.usage.dayLimit}`,
  }));
  const headline = result.allDelivered
    ? 'Everything has reached Xero.'
    : result.warnings.length === 0
      ? result.organisations.some((org) => org.linkState === 'linked')
        ? `${result.totals.waiting} document(s) on the way to Xero; nothing needs you.`
        : 'No Xero organisation is linked yet.'
      : result.warnings.map((warning) => `! ${warning.message} (fix it at ${warning.href})`).join('\n');
  return rows.length === 0 ? headline : `${headline}\n\n${table(rows, Object.keys(rows[0]!))}`;
}
