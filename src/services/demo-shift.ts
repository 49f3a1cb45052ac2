import type { PosShift } from '../domain/documents';
import { randomBase32 } from '../lib/ids';
import { listMappings, setMapping } from '../store/mappings';
import { checkMapping, type LiveLists, type MappingInput } from './mappings';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/**
 * Where the demo till's takings go in the sandbox café's books (Xero's default Australian
 * chart): sales to 200 Sales with GST, cash into 092 Cash Drawer, cards into 615 EFTPOS
 * Clearing, rounding to 260 Other Revenue, a short till to 429 General Expenses.
 */
export const DEMO_MAPPINGS: readonly MappingInput[] = [
  { kind: 'category', name: 'Coffee', account: '200', tax: 'OUTPUT' },
  { kind: 'category', name: 'Food', account: '200', tax: 'OUTPUT' },
  { kind: 'tender', name: 'cash', account: '092' },
  { kind: 'tender', name: 'eftpos', account: '615' },
  { kind: 'rounding', account: '260' },
  { kind: 'discrepancy', account: '429' },
  { kind: 'no-tax', tax: 'BASEXCLUDED' },
];

/**
 * Sets the demo mappings the organisation lacks, each checked against its live Xero data like
 * `map set` (reading the accounts and tax rates once); mappings a person changed are left alone.
 * Returns how many were set.
 */
export async function ensureDemoMappings(deps: XeroDeps, calls: XeroCalls, organisationId: string): Promise<number> {
  const existing = new Set(listMappings(deps.db, organisationId).map((m) => (m.kind === 'setting' ? m.source : `${m.kind}:${m.source}`)));
  const missing = DEMO_MAPPINGS.filter((input) => !existing.has(input.name === undefined ? input.kind : `${input.kind}:${input.name}`));
  const lists: LiveLists = new Map();
  const checked: Array<Awaited<ReturnType<typeof checkMapping>>> = [];
  for (const input of missing) checked.push(await checkMapping(deps, calls, organisationId, input, lists));
  deps.db.transaction(() => checked.forEach((mapping) => setMapping(deps.db, deps.clock, organisationId, mapping))).immediate();
  return checked.length;
}

/**
 * An afternoon shift of the demo till, closing today: coffee and food, cash and EFTPOS, the
 * till 50 cents short. Its id is new on every start, so each demo run sends a shift of its own.
 */
export function demoShift(now: Date): PosShift {
  const day = now.toISOString().slice(0, 10);
  return {
    shiftId: `DEMO-${day}-PM-${randomBase32(4).toUpperCase()}`,
    closedAt: `${day}T15:05:00+10:00`,
    sales: [
      { category: 'Coffee', gross: 412.5, tax: 37.5 },
      { category: 'Food', gross: 220, tax: 20 },
    ],
    tenders: [
      { type: 'cash', amount: 182 },
      { type: 'eftpos', amount: 450 },
    ],
    discrepancy: -0.5,
    tracking: { location: 'Harbourside' },
  };
}
