import { listsNeeded, mappingTargetProblems, type TargetLists, type TargetProblem } from '../domain/mapping-targets';
import { buildJsonGet } from '../domain/xero/auth';
import { parseXeroProblem } from '../domain/xero/problem';
import { xeroProblemError } from '../domain/xero/xero-error';
import { toAppError } from '../lib/errors';
import { saveMappingProblems } from '../store/mapping-problems';
import { listMappings } from '../store/mappings';
import { findCachedList, saveCachedList } from '../store/reference-cache';
import { readPayrollList, type PayrollListKind } from './mappings';
import { refreshReferenceList } from './reference-data';
import type { XeroDeps } from './xero-app';
import type { XeroCalls } from './xero-calls';

/** The chart of accounts is read whole when the cached copy is older than this; in between, only what changed. */
export const FULL_ACCOUNTS_READ_MS = 7 * 24 * 3600_000;

/**
 * Checks every mapping of an organisation against what Xero holds now: accounts (only those
 * changed since the cached chart was read, with `If-Modified-Since`), tax rates, and, when staff
 * or earnings are mapped, employees and earnings rates. Records what it found, replacing the last
 * check's findings (the alerts and Needs attention read them), and returns it.
 */
export async function checkMappingTargets(deps: XeroDeps, calls: XeroCalls, organisationId: string): Promise<TargetProblem[]> {
  const mappings = listMappings(deps.db, organisationId);
  const needed = listsNeeded(mappings);
  const lists: TargetLists = {};
  if (needed.has('accounts')) lists.accounts = await accountsNow(deps, calls, organisationId);
  if (needed.has('taxRates')) lists.taxRates = (await refreshReferenceList(deps, calls, organisationId, 'tax-rates')).items as Array<Record<string, unknown>>;
  const payroll = async (kind: PayrollListKind) => {
    try {
      return await readPayrollList(deps, calls, organisationId, kind);
    } catch (error) {
      // An organisation without that payroll (or on another payroll API) is not judged on it.
      deps.logger.warn('mapping check: payroll list not read', { organisation: organisationId, kind, reason: toAppError(error).message });
      return undefined;
    }
  };
  if (needed.has('employees')) lists.employees = await payroll('employees');
  if (needed.has('earningsRates')) lists.earningsRates = await payroll('earnings-rates');
  const problems = mappingTargetProblems(mappings, lists);
  saveMappingProblems(deps.db, deps.clock, organisationId, problems);
  if (problems.length > 0) deps.logger.warn('mapping check: mappings point at targets Xero no longer offers', { organisation: organisationId, count: problems.length });
  return problems;
}

/**
 * The organisation's accounts as Xero has them now: the cached chart with the accounts Xero
 * says changed since it was read (`If-Modified-Since`; archiving an account changes it), or
 * the whole chart when none is cached or the copy is a week old (a deleted account changes
 * nothing that If-Modified-Since would show).
 * @see https://developer.xero.com/documentation/api/accounting/accounts (If-Modified-Since)
 */
async function accountsNow(deps: XeroDeps, calls: XeroCalls, organisationId: string): Promise<Array<Record<string, unknown>>> {
  const cached = findCachedList(deps.db, organisationId, 'accounts');
  if (!cached || deps.clock.now().getTime() - Date.parse(cached.fetchedAt) > FULL_ACCOUNTS_READ_MS) {
    return (await refreshReferenceList(deps, calls, organisationId, 'accounts')).items as Array<Record<string, unknown>>;
  }
  const url = `${deps.config.xero.apiUrl}/api.xro/2.0/Accounts`;
  const since = cached.fetchedAt.slice(0, 19);
  const response = await calls.call(organisationId, (auth) => {
    const request = buildJsonGet(auth, url);
    return { ...request, headers: { ...request.headers, 'If-Modified-Since': since } };
  });
  const items = cached.items as Array<Record<string, unknown>>;
  if (response.status === 304) return items;
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const changed = (JSON.parse(response.body) as { Accounts?: Array<Record<string, unknown>> }).Accounts ?? [];
  const byId = new Map(items.map((item) => [String(item['AccountID']), item]));
  for (const account of changed) byId.set(String(account['AccountID']), account);
  const merged = [...byId.values()];
  // The read time stays the whole chart's, so the next check asks again from there.
  saveCachedList(deps.db, organisationId, 'accounts', { items: merged, fetchedAt: cached.fetchedAt });
  return merged;
}
