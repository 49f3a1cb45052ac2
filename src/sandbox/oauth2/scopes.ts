/**
 * The scopes the sandbox knows, and which of them each API resource needs. A `.read` scope
 * allows GET; the broad `accounting.transactions` covers what the granular invoice and payment
 * scopes of 2026 split out of it.
 * @see PROTOCOL.md §6.3
 */
export const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const API_SCOPE_BASES = [
  'accounting.transactions',
  'accounting.invoices',
  'accounting.payments',
  'accounting.banktransactions',
  'accounting.manualjournals',
  'accounting.contacts',
  'accounting.settings',
  'accounting.attachments',
  'payroll.employees',
  'payroll.timesheets',
  'payroll.settings',
  'payroll.payruns',
  'payroll.payslip',
] as const;

/** Every scope an app may ask for. */
export const KNOWN_SCOPES: readonly string[] = [
  ...IDENTITY_SCOPES,
  ...API_SCOPE_BASES.flatMap((base) => [base, `${base}.read`]),
  'accounting.reports.read',
  'accounting.journals.read',
];

/** The API scopes a custom connection gets when registered without a list. */
export const DEFAULT_API_SCOPES: readonly string[] = API_SCOPE_BASES.flatMap((base) => [base, `${base}.read`]);

/** Which scope bases allow a call to each resource (the first path segment after the API root). */
const RESOURCE_SCOPES: Record<string, readonly string[]> = {
  'accounting:Invoices': ['accounting.transactions', 'accounting.invoices'],
  'accounting:Payments': ['accounting.transactions', 'accounting.payments'],
  'accounting:Contacts': ['accounting.contacts'],
  'accounting:Organisation': ['accounting.settings'],
  'accounting:Accounts': ['accounting.settings'],
  'accounting:TaxRates': ['accounting.settings'],
  'accounting:TrackingCategories': ['accounting.settings'],
  'accounting:Items': ['accounting.settings'],
  'accounting:Currencies': ['accounting.settings'],
  'accounting:BrandingThemes': ['accounting.settings'],
  'payroll:Employees': ['payroll.employees'],
  'payroll:Timesheets': ['payroll.timesheets'],
  'payroll:PayItems': ['payroll.settings'],
  'payroll:PayrollCalendars': ['payroll.settings'],
  // Payroll UK, NZ and AU 2.0 (payroll.xro/2.0), per the securitySchemes of their OpenAPI files.
  'payroll2:Employees': ['payroll.employees'],
  'payroll2:Timesheets': ['payroll.timesheets'],
  'payroll2:EarningsRates': ['payroll.settings'],
  'payroll2:PayRunCalendars': ['payroll.settings'],
};

/**
 * Whether `granted` lets a call with `method` reach `path`. Paths the table does not know pass,
 * so that they meet the API's own 404.
 */
export function scopeAllows(granted: ReadonlySet<string>, method: string, path: string): boolean {
  const match = /^\/(api\.xro\/2\.0|payroll\.xro\/1\.0|payroll\.xro\/2\.0)\/([^/?]+)/i.exec(path);
  if (!match) return true;
  const root = match[1]!.toLowerCase();
  const api = root.startsWith('api') ? 'accounting' : root.endsWith('2.0') ? 'payroll2' : 'payroll';
  const reading = method === 'GET' || method === 'HEAD';
  // A document's files need their own scope, whatever the document. @see xero_accounting.yaml (accounting.attachments)
  if (api === 'accounting' && /^\/[^/]+\/[^/]+\/[^/]+\/[^/]+\/Attachments(\/|$)/i.test(path)) return granted.has('accounting.attachments') || (reading && granted.has('accounting.attachments.read'));
  const resource = Object.keys(RESOURCE_SCOPES).find((key) => key.toLowerCase() === `${api}:${match[2]!}`.toLowerCase());
  if (!resource) return true;
  return RESOURCE_SCOPES[resource]!.some((base) => granted.has(base) || (reading && granted.has(`${base}.read`)));
}

/** A space-separated scope parameter as a list without duplicates. */
export const splitScope = (scope: string): string[] => [...new Set(scope.split(' ').filter((part) => part !== ''))];
