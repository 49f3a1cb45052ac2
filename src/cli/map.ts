import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { silentLogger } from '../lib/logger';
import { importCheckedMappings, MAPPING_KINDS, removeMapping, setCheckedMapping, type MappingInput } from '../services/mappings';
import { unmappedNames, type ReleaseOutcome } from '../services/waiting-documents';
import { describeMissing } from '../domain/documents';
import { XeroCalls } from '../services/xero-calls';
import { listMappings } from '../store/mappings';
import { getOrganisation, listOrganisations, type Organisation } from '../store/organisations';
import { CLI_PACE_WAIT_MS, withStore, type CliStore } from './context';
import { printData, table, type Io } from './output';

/** The organisation named by --org, or the only linked one. */
function organisationOf(store: CliStore, name: string | undefined): Organisation {
  if (name) return getOrganisation(store.db, name);
  const linked = listOrganisations(store.db).filter((o) => o.linkState !== 'disconnected');
  if (linked.length === 1) return linked[0]!;
  throw new AppError('invalid', linked.length === 0 ? 'No organisation is linked yet.' : 'More than one organisation is linked; say which with --org.', { hint: 'See `xero-proxy org list`.' });
}

const xeroOf = (store: CliStore) => {
  const deps = { ...store, logger: silentLogger, transport: fetch };
  return { deps, calls: new XeroCalls(deps, { waitMs: CLI_PACE_WAIT_MS }) };
};

/** `xero-proxy map list|set|export|import`: where an app's categories, tenders, staff and earnings go in Xero. */
export function registerMap(program: Command, io: Io): void {
  const map = program.command('map').description("map the apps' names (sales categories, tenders, third-party payers, staff numbers, earnings types) to the organisation's Xero accounts, tax types and ids");

  map
    .command('list')
    .description("list an organisation's mappings")
    .option('--org <org>', 'organisation (name, short code or id); optional when only one is linked')
    .option('--json', 'print as JSON')
    .action(async (options: { org?: string; json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const organisation = organisationOf(store, options.org);
        const rows = listMappings(store.db, organisation.id).map((m) => ({ kind: m.kind === 'setting' ? m.source : m.kind, name: m.kind === 'setting' ? '' : m.source, target: Object.entries(m.target).map(([k, v]) => `${k}=${v}`).join(' ') }));
        const unmapped = unmappedNames(store.db, organisation.id);
        const waiting = unmapped.map((entry) => `\n${describeMissing(entry)}: no mapping yet; ${entry.documents} ${entry.documents === 1 ? 'document waits' : 'documents wait'} for it`).join('');
        printData(io, Boolean(options.json), { organisation: organisation.name, mappings: listMappings(store.db, organisation.id), unmapped }, () => table(rows, ['kind', 'name', 'target']) + waiting);
      });
    });

  map
    .command('set <kind> [name]')
    .description(`set a mapping, checked against the organisation's live Xero data; kind: ${MAPPING_KINDS.join(', ')}`)
    .option('--account <code>', 'account code (category, tender, payer, rounding, discrepancy, fees, wages, suspense, tips, gift-cards, gift-card-redemptions)')
    .option('--tax <taxType>', 'tax type (category, no-tax)')
    .option('--employee <EmployeeID>', 'Xero EmployeeID (staff)')
    .option('--rate <EarningsRateID>', 'Xero EarningsRateID (earnings)')
    .option('--org <org>', 'organisation; optional when only one is linked')
    .option('--json', 'print as JSON')
    .action(async (kind: string, name: string | undefined, options: { account?: string; tax?: string; employee?: string; rate?: string; org?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const organisation = organisationOf(store, options.org);
        const { deps, calls } = xeroOf(store);
        const input = { kind, ...(name ? { name } : {}), ...pick(options) } as MappingInput;
        const saved = await setCheckedMapping(deps, calls, organisation.id, input);
        printData(io, Boolean(options.json), saved, () => `${organisation.name}: ${kind}${name ? ` "${name}"` : ''} → ${Object.entries(saved.target).map(([k, v]) => `${k} ${v}`).join(', ')}${waitingNote(saved.documents)}`);
      });
    });

  map
    .command('export')
    .description("print an organisation's mappings as JSON (for `map import` elsewhere)")
    .option('--org <org>', 'organisation; optional when only one is linked')
    .action(async (options: { org?: string }, command: Command) => {
      await withStore(command, (store) => {
        const organisation = organisationOf(store, options.org);
        const entries = listMappings(store.db, organisation.id).map((m) => ({ kind: m.kind === 'setting' ? m.source : m.kind, ...(m.kind === 'setting' ? {} : { name: m.source }), ...fromTarget(m.target) }));
        io.out(JSON.stringify({ mappings: entries }, null, 2));
      });
    });

  map
    .command('import <file>')
    .description('set every mapping in a JSON file made by `map export`, each checked against Xero; nothing is saved if one fails')
    .option('--org <org>', 'organisation; optional when only one is linked')
    .option('--json', 'print as JSON')
    .action(async (file: string, options: { org?: string; json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const organisation = organisationOf(store, options.org);
        let entries: MappingInput[];
        try {
          entries = (JSON.parse(readFileSync(file, 'utf8')) as { mappings: MappingInput[] }).mappings;
          if (!Array.isArray(entries)) throw new Error('no "mappings" list');
        } catch (error) {
          throw new AppError('invalid', `${file}: not a mappings file (${(error as Error).message}).`, { hint: 'Make one with `xero-proxy map export`.' });
        }
        const { deps, calls } = xeroOf(store);
        const done = await importCheckedMappings(deps, calls, organisation.id, entries, (index, entry) => `${file}, mapping ${index + 1} (${entry.kind}${entry.name ? ` "${entry.name}"` : ''})`);
        printData(io, Boolean(options.json), done, () => `Imported ${done.imported} mappings into ${organisation.name}.${waitingNote(done.documents)}`);
      });
    });

  map
    .command('remove <kind> [name]')
    .description('remove a mapping; documents that use the name from now on wait for it again (held, not refused)')
    .option('--org <org>', 'organisation; optional when only one is linked')
    .action(async (kind: string, name: string | undefined, options: { org?: string }, command: Command) => {
      await withStore(command, (store) => {
        const organisation = organisationOf(store, options.org);
        removeMapping(store, organisation.id, kind, name);
        io.out(`${organisation.name}: removed the ${kind} mapping${name ? ` for "${name}"` : ''}.`);
      });
    });
}

/** What became of the waiting documents, as a sentence after the command's own line. */
function waitingNote(documents: ReleaseOutcome): string {
  const released = documents.released === 0 ? '' : ` ${documents.released} waiting ${documents.released === 1 ? 'job was' : 'jobs were'} built and queued for Xero.`;
  const waiting = documents.waiting === 0 ? '' : ` ${documents.waiting} ${documents.waiting === 1 ? 'job still waits' : 'jobs still wait'} for other mappings (see the console's Mappings page).`;
  return released + waiting;
}

function pick(options: { account?: string; tax?: string; employee?: string; rate?: string }) {
  return Object.fromEntries(Object.entries({ account: options.account, tax: options.tax, employee: options.employee, rate: options.rate }).filter(([, v]) => v !== undefined));
}

function fromTarget(target: Record<string, string>): Record<string, string> {
  const names: Record<string, string> = { accountCode: 'account', taxType: 'tax', employeeId: 'employee', earningsRateId: 'rate' };
  return Object.fromEntries(Object.entries(target).map(([k, v]) => [names[k] ?? k, v]));
}
