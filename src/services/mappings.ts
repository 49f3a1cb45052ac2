import { buildJsonGet } from '../domain/xero/auth';
import { parseXeroProblem } from '../domain/xero/problem';
import { xeroProblemError } from '../domain/xero/xero-error';
import { AppError } from '../lib/errors';
import { deleteMapping, listMappings, setMapping, type Mapping } from '../store/mappings';
import { findOrganisation } from '../store/organisations';
import { recordAudit, type Acting, type AuditValue } from './audit';
import { saveCachedList } from '../store/reference-cache';
import { refreshReferenceList } from './reference-data';
import { payrollApiOf } from '../store/organisation-payroll';
import { readPayroll2List, requirePayRunCalendar } from './payroll-lists';
import { releaseMappedDocuments, type ReleaseOutcome } from './waiting-documents';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** What `map set` can map: named things (categories, tenders, third-party payers, staff, earnings) and single settings. */
export const MAPPING_KINDS = ['category', 'tender', 'payer', 'staff', 'earnings', 'rounding', 'discrepancy', 'fees', 'no-tax', 'wages', 'suspense', 'tips', 'gift-cards', 'gift-card-redemptions'] as const;
export type MappingInput = { kind: (typeof MAPPING_KINDS)[number]; name?: string; account?: string; tax?: string; employee?: string; rate?: string };

const NAMED = new Set(['category', 'tender', 'payer', 'staff', 'earnings']);

/** A saved mapping, and what became of the documents that waited for it. */
export type SavedMapping = Omit<Mapping, 'updatedAt'> & { documents: ReleaseOutcome };

/**
 * Checks a mapping against Xero, then saves it and, in the same transaction, sends on every
 * waiting document it completes: a mapping Xero would refuse is never stored, and one that is
 * stored never leaves a document it completes behind. The console page and `map set` call this.
 */
export async function setCheckedMapping(deps: XeroDeps & Acting, calls: XeroCalls, organisationId: string, input: MappingInput): Promise<SavedMapping> {
  const mapping = await checkMapping(deps, calls, organisationId, input);
  const documents = deps.db
    .transaction(() => {
      const before = currentTarget(deps, organisationId, mapping.kind, mapping.source);
      setMapping(deps.db, deps.clock, organisationId, mapping);
      const released = releaseMappedDocuments(deps.db, deps.clock, organisationId);
      recordAudit(deps, { actor: deps.actor, action: 'mapping.saved', subject: organisationName(deps, organisationId), changes: { ...mappingKey(mapping), target: { from: before, to: mapping.target }, documentsReleased: released.released } });
      return released;
    })
    .immediate();
  return { ...mapping, documents };
}

/**
 * Checks every mapping of a file against Xero (one by one, no transaction held across a call,
 * each list read once), then saves them all together and sends on the waiting documents they
 * complete: a file half applied would be worse than none. `label(index)` names an entry in errors.
 */
export async function importCheckedMappings(deps: XeroDeps & Acting, calls: XeroCalls, organisationId: string, entries: readonly MappingInput[], label: (index: number, entry: MappingInput) => string): Promise<{ imported: number; documents: ReleaseOutcome }> {
  const checked: Array<Omit<Mapping, 'updatedAt'>> = [];
  const lists: LiveLists = new Map();
  for (const [index, entry] of entries.entries()) {
    checked.push(
      await checkMapping(deps, calls, organisationId, entry, lists).catch((error: AppError) => {
        throw new AppError('invalid', `${label(index, entry)}: ${error.message}`, error.field ? { field: error.field } : {});
      }),
    );
  }
  const documents = deps.db
    .transaction(() => {
      const changed = checked.map((mapping) => ({ ...mappingKey(mapping), target: { from: currentTarget(deps, organisationId, mapping.kind, mapping.source), to: mapping.target } }));
      checked.forEach((mapping) => setMapping(deps.db, deps.clock, organisationId, mapping));
      const released = releaseMappedDocuments(deps.db, deps.clock, organisationId);
      recordAudit(deps, { actor: deps.actor, action: 'mapping.imported', subject: organisationName(deps, organisationId), changes: { mappings: changed, documentsReleased: released.released } });
      return released;
    })
    .immediate();
  return { imported: checked.length, documents };
}

/**
 * Removes a mapping. Documents already sent keep their accounts; documents sent from now on that
 * use the name wait for it again (held, never refused). `not_found` when there is none.
 */
export function removeMapping(deps: Pick<XeroDeps, 'db' | 'clock'> & Acting, organisationId: string, kind: string, name: string | undefined): Pick<Mapping, 'kind' | 'source'> {
  if (!(MAPPING_KINDS as readonly string[]).includes(kind)) throw new AppError('invalid', `kind: must be one of ${MAPPING_KINDS.join(', ')}.`, { field: 'kind' });
  const named = NAMED.has(kind);
  if (named && !name?.trim()) throw new AppError('invalid', `Say which ${kind} mapping to remove, by its name.`, { field: 'name' });
  const key = { kind: named ? (kind as Mapping['kind']) : ('setting' as const), source: named ? name!.trim() : kind };
  return deps.db.transaction(() => {
    const before = currentTarget(deps, organisationId, key.kind, key.source);
    if (!deleteMapping(deps.db, organisationId, key.kind, key.source)) {
      throw new AppError('not_found', named ? `There is no ${kind} mapping for "${name!.trim()}".` : `There is no ${kind} mapping to remove.`);
    }
    recordAudit(deps, { actor: deps.actor, action: 'mapping.removed', subject: organisationName(deps, organisationId), changes: { ...mappingKey(key), target: { from: before, to: null } } });
    return key;
  }).immediate();
}

/** A mapping's kind and name as the audit log records them: `category` "Coffee", or the setting `rounding`. */
const mappingKey = (mapping: Pick<Mapping, 'kind' | 'source'>): Record<string, AuditValue> => (mapping.kind === 'setting' ? { kind: mapping.source } : { kind: mapping.kind, name: mapping.source });

function currentTarget(deps: Pick<XeroDeps, 'db'>, organisationId: string, kind: Mapping['kind'], source: string): Record<string, string> | null {
  return listMappings(deps.db, organisationId).find((m) => m.kind === kind && m.source === source)?.target ?? null;
}

const organisationName = (deps: Pick<XeroDeps, 'db'>, organisationId: string): string => findOrganisation(deps.db, organisationId)?.name ?? organisationId;

/** Live lists read during one round of checks, so checking many mappings reads each list once. */
export type LiveLists = Map<string, Promise<Array<Record<string, unknown>>>>;

/**
 * Checks a mapping against the organisation's live Xero data: accounts and tax types must exist
 * and be active, tender accounts must take payments, employees and earnings rates must exist in
 * Payroll. Saves nothing, so several can be checked and then saved in one transaction; checks
 * given the same `lists` read the accounts and tax rates from Xero once between them.
 */
export async function checkMapping(deps: XeroDeps, calls: XeroCalls, organisationId: string, input: MappingInput, lists: LiveLists = new Map()): Promise<Omit<Mapping, 'updatedAt'>> {
  if (!(MAPPING_KINDS as readonly string[]).includes(input.kind)) throw new AppError('invalid', `kind: must be one of ${MAPPING_KINDS.join(', ')}.`, { field: 'kind' });
  const named = NAMED.has(input.kind);
  if (named && !input.name?.trim()) throw new AppError('invalid', `A ${input.kind} mapping needs the ${input.kind}'s name, e.g. \`map set ${input.kind} "Coffee" …\`.`, { field: 'name' });
  const require = (value: string | undefined, option: string) => {
    if (!value) throw new AppError('invalid', `--${option}: is required for a ${input.kind} mapping.`, { field: option });
    return value;
  };
  let target: Record<string, string>;
  switch (input.kind) {
    case 'category':
      target = { accountCode: await activeAccount(deps, calls, organisationId, lists, require(input.account, 'account'), false), taxType: await activeTaxType(deps, calls, organisationId, lists, require(input.tax, 'tax')) };
      break;
    case 'tender':
    case 'payer':
      target = { accountCode: await activeAccount(deps, calls, organisationId, lists, require(input.account, 'account'), true) };
      break;
    case 'no-tax':
      target = { taxType: await activeTaxType(deps, calls, organisationId, lists, require(input.tax, 'tax')) };
      break;
    case 'staff':
      target = { employeeId: await payrollId(deps, calls, organisationId, 'employees', require(input.employee, 'employee')) };
      break;
    case 'earnings':
      target = { earningsRateId: await payrollId(deps, calls, organisationId, 'earnings-rates', require(input.rate, 'rate')) };
      break;
    default:
      target = { accountCode: await activeAccount(deps, calls, organisationId, lists, require(input.account, 'account'), false) };
  }
  return { kind: named ? (input.kind as Mapping['kind']) : ('setting' as const), source: named ? input.name!.trim() : input.kind, target };
}

/** A reference list read from Xero now (not the cache), once per round of checks. */
function liveList(deps: XeroDeps, calls: XeroCalls, organisationId: string, lists: LiveLists, kind: 'accounts' | 'tax-rates'): Promise<Array<Record<string, unknown>>> {
  let list = lists.get(kind);
  if (!list) {
    list = refreshReferenceList(deps, calls, organisationId, kind).then((read) => read.items as Array<Record<string, unknown>>);
    lists.set(kind, list);
  }
  return list;
}

async function activeAccount(deps: XeroDeps, calls: XeroCalls, organisationId: string, lists: LiveLists, code: string, takesPayments: boolean): Promise<string> {
  const accounts = await liveList(deps, calls, organisationId, lists, 'accounts');
  const account = accounts.find((a) => a['Code'] === code);
  if (!account) throw new AppError('invalid', `--account: ${code} is not an account code in this organisation's chart of accounts.`, { field: 'account' });
  if (account['Status'] !== 'ACTIVE') throw new AppError('invalid', `--account: ${code} (${String(account['Name'])}) is archived in Xero.`, { field: 'account' });
  if (takesPayments && account['Type'] !== 'BANK' && account['EnablePaymentsToAccount'] !== true) {
    throw new AppError('invalid', `--account: ${code} (${String(account['Name'])}) cannot take payments; use a bank account or one with "Enable payments to this account" ticked in Xero.`, { field: 'account' });
  }
  return code;
}

async function activeTaxType(deps: XeroDeps, calls: XeroCalls, organisationId: string, lists: LiveLists, taxType: string): Promise<string> {
  const rates = await liveList(deps, calls, organisationId, lists, 'tax-rates');
  const rate = rates.find((r) => r['TaxType'] === taxType);
  if (!rate) throw new AppError('invalid', `--tax: ${taxType} is not a tax type of this organisation (see GET /api/v1/reference/tax-rates).`, { field: 'tax' });
  if (rate['Status'] !== 'ACTIVE') throw new AppError('invalid', `--tax: ${taxType} (${String(rate['Name'])}) is not active in Xero.`, { field: 'tax' });
  return taxType;
}

/** The Payroll lists mappings point into: employees (staff numbers) and earnings rates (earnings types). */
export type PayrollListKind = 'employees' | 'earnings-rates';

const PAYROLL_LISTS = {
  employees: { path: 'Employees', read: (root: Record<string, unknown>) => root['Employees'] },
  'earnings-rates': { path: 'PayItems', read: (root: Record<string, unknown>) => (root['PayItems'] as Record<string, unknown> | undefined)?.['EarningsRates'] },
} as const;

/** A Payroll list read from Xero now (Payroll AU 1.0 or 2.0, whichever the organisation uses), and kept for the console's pick lists. */
export async function readPayrollList(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: PayrollListKind): Promise<Array<Record<string, unknown>>> {
  if (payrollApiOf(deps.db, organisationId) === '2.0') return readPayroll2List(deps, calls, organisationId, kind);
  const url = `${deps.config.xero.apiUrl}/payroll.xro/1.0/${PAYROLL_LISTS[kind].path}`;
  const response = await calls.call(organisationId, (auth) => buildJsonGet(auth, url));
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const list = PAYROLL_LISTS[kind].read(JSON.parse(response.body) as Record<string, unknown>);
  const items = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  saveCachedList(deps.db, organisationId, `payroll-${kind}`, { items, fetchedAt: deps.clock.now().toISOString() });
  return items;
}

async function payrollId(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: PayrollListKind, id: string): Promise<string> {
  const idField = kind === 'employees' ? 'EmployeeID' : 'EarningsRateID';
  const list = await readPayrollList(deps, calls, organisationId, kind);
  const found = list.find((item) => String(item[idField]).toLowerCase() === id.toLowerCase());
  if (!found) {
    throw new AppError('invalid', `${idField === 'EmployeeID' ? '--employee' : '--rate'}: ${id} is not an ${idField} in this organisation's Xero Payroll.`, { field: idField === 'EmployeeID' ? 'employee' : 'rate' });
  }
  // A Payroll 2.0 timesheet names the employee's pay run calendar, so the employee needs one.
  if (kind === 'employees' && payrollApiOf(deps.db, organisationId) === '2.0') await requirePayRunCalendar(deps, calls, organisationId, found);
  return id;
}
