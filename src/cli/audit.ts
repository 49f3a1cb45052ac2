import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { auditEntries, changeLines, type AuditEntry } from '../services/audit';
import { withStore } from './context';
import { printData, table, type Io } from './output';

/** `xero-proxy audit list`: the changes made on the pages and with the command line, newest first. */
export function registerAudit(program: Command, io: Io): void {
  const audit = program.command('audit').description('the audit log: every change made on the console pages or with this command line');
  audit
    .command('list')
    .description('list changes newest first: when, who, from where, what changed')
    .option('--since <when>', 'from this time (2026-11-28T09:00:00Z, 2026-11-28) or this long back (30m, 12h, 7d, 2w)')
    .option('--actor <actor>', 'only those of one actor, e.g. admin:alice or cli:root')
    .option('--action <action>', 'only one action, e.g. mapping.saved, or all of a kind: "device."')
    .option('--limit <n>', 'at most this many (1 to 500)', '100')
    .option('--json', 'print as JSON')
    .action(async (options: { since?: string; actor?: string; action?: string; limit: string; json?: boolean }, command: Command) => {
      const limit = /^\d{1,3}$/.test(options.limit) ? Number(options.limit) : Number.NaN;
      if (!(limit >= 1 && limit <= 500)) throw new AppError('invalid', '--limit: must be a whole number from 1 to 500.', { field: 'limit' });
      await withStore(command, (store) => {
        const { entries } = auditEntries(store, { ...(options.since ? { since: options.since } : {}), ...(options.actor ? { actor: options.actor } : {}), ...(options.action ? { action: options.action } : {}), limit });
        printData(io, Boolean(options.json), { entries: entries.map(({ description: _words, ...entry }) => entry) }, () => table(entries.map(row), ['at', 'actor', 'from', 'action', 'subject', 'changes']));
      });
    });
}

const row = (entry: AuditEntry) => ({ at: entry.at, actor: entry.actor, from: entry.source, action: entry.action, subject: entry.subject ?? '', changes: changeLines(entry.changes).join('; ') });
