/**
 * Whether each mapping still points at something Xero takes: the daily check reads the
 * organisation's accounts, tax rates, employees and earnings rates and finds the mappings whose
 * target is archived or gone, before a document is refused for it.
 * @see MARKET-2026.md §5 ("Re-validate mappings daily")
 */

/** What a mapping points at in Xero. */
export type TargetKind = 'account' | 'tax rate' | 'employee' | 'earnings rate';

/** A mapping as checked: its key and its target's fields (`accountCode`, `taxType`, `employeeId`, `earningsRateId`). */
export interface CheckedMapping {
  kind: string;
  source: string;
  target: Readonly<Record<string, string>>;
}

/** The organisation's lists as Xero answered them (absent: not read, so not checked). */
export interface TargetLists {
  accounts?: ReadonlyArray<Record<string, unknown>>;
  taxRates?: ReadonlyArray<Record<string, unknown>>;
  employees?: ReadonlyArray<Record<string, unknown>>;
  earningsRates?: ReadonlyArray<Record<string, unknown>>;
}

/** A mapping whose target Xero no longer offers: archived (or an employee who left), or gone. */
export interface TargetProblem {
  /** The mapping, as store/mappings.ts keys it (`category` "Coffee", `setting` "rounding"). */
  kind: string;
  source: string;
  targetKind: TargetKind;
  /** The account code, tax type or id the mapping holds. */
  target: string;
  problem: 'archived' | 'missing';
  /** The target's name in Xero, when it still has one. */
  targetName: string | null;
}

interface TargetField {
  field: string;
  targetKind: TargetKind;
  list: keyof TargetLists;
  idOf: (item: Record<string, unknown>) => unknown;
  /** Whether the item is usable; undefined: the list has no status. */
  active?: (item: Record<string, unknown>) => boolean;
  name: (item: Record<string, unknown>) => unknown;
}

const FIELDS: readonly TargetField[] = [
  { field: 'accountCode', targetKind: 'account', list: 'accounts', idOf: (a) => a['Code'], active: (a) => a['Status'] === 'ACTIVE', name: (a) => a['Name'] },
  { field: 'taxType', targetKind: 'tax rate', list: 'taxRates', idOf: (t) => t['TaxType'], active: (t) => t['Status'] === 'ACTIVE', name: (t) => t['Name'] },
  { field: 'employeeId', targetKind: 'employee', list: 'employees', idOf: (e) => e['EmployeeID'], active: (e) => e['Status'] === undefined || e['Status'] === 'ACTIVE', name: (e) => [e['FirstName'], e['LastName']].filter(Boolean).join(' ') },
  { field: 'earningsRateId', targetKind: 'earnings rate', list: 'earningsRates', idOf: (r) => r['EarningsRateID'], active: (r) => r['CurrentRecord'] !== false, name: (r) => r['Name'] },
];

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** The mappings whose target is archived or gone in the lists given; a list not given is not judged. */
export function mappingTargetProblems(mappings: readonly CheckedMapping[], lists: TargetLists): TargetProblem[] {
  const problems: TargetProblem[] = [];
  for (const mapping of mappings) {
    for (const spec of FIELDS) {
      const target = mapping.target[spec.field];
      const list = lists[spec.list];
      if (!target || !list) continue;
      const item = list.find((entry) => same(spec.idOf(entry), target));
      // A deleted account or tax rate is listed by Xero with Status DELETED, which is as good as gone.
      const deleted = item !== undefined && item['Status'] === 'DELETED';
      if (item && !deleted && (spec.active === undefined || spec.active(item))) continue;
      const name = item ? spec.name(item) : undefined;
      problems.push({ kind: mapping.kind, source: mapping.source, targetKind: spec.targetKind, target, problem: item && !deleted ? 'archived' : 'missing', targetName: typeof name === 'string' && name !== '' ? name : null });
    }
  }
  return problems;
}

/** Which lists the mappings need read. */
export function listsNeeded(mappings: readonly CheckedMapping[]): Set<keyof TargetLists> {
  return new Set(FIELDS.filter((spec) => mappings.some((mapping) => mapping.target[spec.field])).map((spec) => spec.list));
}

/** A problem in words: `category "Coffee" → account 200 (Sales) is archived in Xero`. */
export function problemText(problem: Omit<TargetProblem, never>): string {
  const mapping = problem.kind === 'setting' ? `the ${problem.source} setting` : `${problem.kind} "${problem.source}"`;
  const target = `${problem.targetKind} ${problem.target}${problem.targetName ? ` (${problem.targetName})` : ''}`;
  const state = problem.problem === 'missing' ? 'no longer exists in Xero' : problem.targetKind === 'employee' ? 'has left (terminated in Xero)' : 'is archived in Xero';
  return `${mapping} → ${target} ${state}`;
}
