import type { Command } from 'commander';
import { silentLogger } from '../lib/logger';
import { checkDay, reconcileDay, yesterday } from '../services/reconciliation';
import { runView, type RunView } from '../services/reconciliation-report';
import { XeroCalls } from '../services/xero-calls';
import { getOrganisation, listOrganisations } from '../store/organisations';
import { CLI_PACE_WAIT_MS, withStore } from './context';
import { printData, type Io } from './output';

/** The exit code when the comparison found something (0: nothing found; 1: Xero could not be read; 2: usage). */
export const FOUND_EXIT_CODE = 3;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One run as a person reads it at the terminal. */
export function runText(run: RunView): string {
  const head = `${run.organisationName}, ${run.day}:`;
  if (run.state === 'failed') return `${head} could not be compared with Xero (${plural(run.calls, 'call')} made): ${run.error}`;
  const compared = `${plural(run.checked, 'delivered document')} compared with Xero (${plural(run.calls, 'call')})`;
  if (run.state === 'clean') return `${head} ${compared}; nothing found.`;
  const lines = [`${head} ${compared}; ${plural(run.findings.length, 'finding')}:`];
  for (const finding of run.findings) lines.push(`  - ${finding.words.sentence}`, `    What to do: ${finding.words.action}`);
  return lines.join('\n');
}

/**
 * `xero-proxy reconcile [--org ID] [--date YYYY-MM-DD] [--json]`: compares a day's deliveries
 * (yesterday, UTC, by default) with what Xero holds, for one organisation or every linked one,
 * and prints what it finds. Exit code 3 when something is found, 1 when Xero could not be read.
 */
export function registerReconcile(program: Command, io: Io): void {
  program
    .command('reconcile')
    .description("compare a day's delivered invoices and payments with what Xero holds (voided, deleted, missing, changed totals); exit code 3 when something is found")
    .option('--org <org>', 'one organisation (id, name or short code); default every linked one')
    .option('--date <day>', 'the UTC day of delivery, YYYY-MM-DD; default yesterday')
    .option('--json', 'print as JSON')
    .action(async (options: { org?: string; date?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deps = { ...store, logger: silentLogger, transport: fetch };
        const day = checkDay(options.date ?? yesterday(store.clock.now()), store.clock.now());
        const organisations = options.org ? [getOrganisation(store.db, options.org)] : listOrganisations(store.db).filter((org) => org.linkState === 'linked');
        const calls = new XeroCalls(deps, { waitMs: CLI_PACE_WAIT_MS });
        const runs: RunView[] = [];
        for (const organisation of organisations) runs.push(runView(store, await reconcileDay(deps, calls, organisation.id, day, { trigger: 'cli', waitMs: CLI_PACE_WAIT_MS }), organisation.name));
        printData(io, Boolean(options.json), { day, runs }, () => (runs.length === 0 ? `No organisation is linked, so there is nothing to compare for ${day}.` : runs.map(runText).join('\n\n')));
        if (runs.some((run) => run.state === 'failed')) process.exitCode = 1;
        else if (runs.some((run) => run.state === 'found')) process.exitCode = FOUND_EXIT_CODE;
      });
    });
}
