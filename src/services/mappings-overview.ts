import { toAppError } from '../lib/errors';
import { listMappings, type Mapping } from '../store/mappings';
import { findCachedList } from '../store/reference-cache';
import { getOrganisation, listOrganisations, type Organisation } from '../store/organisations';
import { readPayrollList, type PayrollListKind } from './mappings';
import { referenceList, REFERENCE_MAX_AGE_MS } from './reference-data';
import { unmappedNames, type UnmappedName } from './waiting-documents';
import type { XeroCalls } from './xero-calls';
import type { XeroDeps } from './xero-app';

/** One choice of a pick list: the value saved, and what a person reads. */
export interface Choice {
  value: string;
  label: string;
}

/** A pick list from the organisation's Xero, or why it could not be read (then the value is typed). */
export interface PickList {
  choices: Choice[];
  /** Set when the list could not be read: a sentence saying so. */
  problem?: string;
}

/** The organisation's lists mappings point into, read through the cache. */
export interface MappingLists {
  /** Active accounts, "200 Sales". */
  accounts: PickList;
  /** Active accounts that take payments (bank accounts, or payments enabled), for tenders. */
  paymentAccounts: PickList;
  taxRates: PickList;
  employees: PickList;
  earningsRates: PickList;
}

/** Everything the mappings page shows for one organisation. */
export interface MappingsOverview {
  organisations: Array<Pick<Organisation, 'id' | 'name'>>;
  organisation: Pick<Organisation, 'id' | 'name' | 'linkState'> | undefined;
  mappings: Mapping[];
  /** Names devices sent that have no mapping yet, from the documents waiting for them. */
  unmapped: UnmappedName[];
  lists: MappingLists;
}

const EMPTY: PickList = { choices: [] };

/**
 * The mappings page's data: the organisations to choose from (`organisationId`, else the first
 * linked), its mappings, the names its waiting documents lack, and pick lists from its Xero
 * (accounts and tax rates from the reference cache, Payroll lists kept for an hour alike). A list
 * Xero cannot give now is reported, not fatal: the page then asks for the value as text.
 */
export async function mappingsOverview(deps: XeroDeps, calls: XeroCalls, organisationId: string | undefined): Promise<MappingsOverview> {
  const organisations = listOrganisations(deps.db).filter((org) => org.linkState !== 'disconnected');
  const organisation = organisationId ? getOrganisation(deps.db, organisationId) : organisations[0];
  const base = { organisations: organisations.map(({ id, name }) => ({ id, name })) };
  if (!organisation) return { ...base, organisation: undefined, mappings: [], unmapped: [], lists: { accounts: EMPTY, paymentAccounts: EMPTY, taxRates: EMPTY, employees: EMPTY, earningsRates: EMPTY } };
  const accounts = await accountingList(deps, calls, organisation.id, 'accounts');
  const taxRates = await accountingList(deps, calls, organisation.id, 'tax-rates');
  const active = (items: Array<Record<string, unknown>>) => items.filter((item) => item['Status'] === undefined || item['Status'] === 'ACTIVE');
  const accountChoice = (a: Record<string, unknown>): Choice => ({ value: String(a['Code']), label: `${String(a['Code'])} ${String(a['Name'] ?? '')}`.trim() });
  const withCode = active(accounts.items).filter((a) => typeof a['Code'] === 'string' && a['Code'] !== '');
  const employees = await payrollChoices(deps, calls, organisation.id, 'employees', (e) => ({ value: String(e['EmployeeID']), label: `${String(e['FirstName'] ?? '')} ${String(e['LastName'] ?? '')}`.trim() || String(e['EmployeeID']) }));
  const earningsRates = await payrollChoices(deps, calls, organisation.id, 'earnings-rates', (r) => ({ value: String(r['EarningsRateID']), label: String(r['Name'] ?? r['EarningsRateID']) }));
  return {
    ...base,
    organisation: { id: organisation.id, name: organisation.name, linkState: organisation.linkState },
    mappings: listMappings(deps.db, organisation.id),
    unmapped: unmappedNames(deps.db, organisation.id),
    lists: {
      accounts: { choices: withCode.map(accountChoice), ...problemOf(accounts) },
      paymentAccounts: { choices: withCode.filter((a) => a['Type'] === 'BANK' || a['EnablePaymentsToAccount'] === true).map(accountChoice), ...problemOf(accounts) },
      taxRates: { choices: active(taxRates.items).map((r) => ({ value: String(r['TaxType']), label: `${String(r['Name'] ?? r['TaxType'])} (${String(r['TaxType'])})` })), ...problemOf(taxRates) },
      employees,
      earningsRates,
    },
  };
}

type Read = { items: Array<Record<string, unknown>>; problem?: string };

const problemOf = (read: Read) => (read.problem ? { problem: read.problem } : {});

async function accountingList(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: 'accounts' | 'tax-rates'): Promise<Read> {
  try {
    return { items: (await referenceList(deps, calls, organisationId, kind)).items as Array<Record<string, unknown>> };
  } catch (error) {
    return { items: [], problem: `The ${kind === 'accounts' ? 'chart of accounts' : 'tax rates'} could not be read from Xero just now (${toAppError(error).message}) Type the value instead; it is still checked when saved.` };
  }
}

async function payrollChoices(deps: XeroDeps, calls: XeroCalls, organisationId: string, kind: PayrollListKind, choice: (item: Record<string, unknown>) => Choice): Promise<PickList> {
  const cached = findCachedList(deps.db, organisationId, `payroll-${kind}`);
  if (cached && deps.clock.now().getTime() - Date.parse(cached.fetchedAt) < REFERENCE_MAX_AGE_MS) return { choices: (cached.items as Array<Record<string, unknown>>).map(choice) };
  try {
    return { choices: (await readPayrollList(deps, calls, organisationId, kind)).map(choice) };
  } catch (error) {
    if (cached) return { choices: (cached.items as Array<Record<string, unknown>>).map(choice) };
    const what = kind === 'employees' ? 'employees' : 'earnings rates';
    return { choices: [], problem: `Xero Payroll's ${what} could not be read just now (${toAppError(error).message}) Type the Xero id instead; it is still checked when saved.` };
  }
}
