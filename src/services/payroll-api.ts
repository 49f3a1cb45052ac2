import { isOAuth2AppType } from '../config/oauth2';
import { PAYROLL_APIS, type PayrollApi } from '../domain/documents/payroll-api';
import { AppError } from '../lib/errors';
import { payrollApiOf, savePayrollApiSetting, unsentTimesheetJobs } from '../store/organisation-payroll';
import { getOrganisation, type Organisation } from '../store/organisations';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';
import { rebuildWithCurrentMappings } from './waiting-documents';

/**
 * Sets which payroll API an Australian organisation's timesheets go to (`xero-proxy org payroll`,
 * the organisations page), audited once. Timesheets not yet in Xero (queued, or refused) are
 * rebuilt for the new API in the same transaction; one whose last send may have reached Xero
 * keeps its shape, to be looked up where it went. UK and NZ payrolls are
 * always on 2.0, and other countries have no Xero Payroll, so those are refused; so is 2.0 for an
 * organisation linked through OAuth 1.0a, which Payroll 2.0 does not take.
 */
export function setPayrollApi(deps: Pick<ServiceDeps, 'db' | 'clock'> & Acting, name: string, api: string): { organisation: Organisation; api: PayrollApi; changed: boolean; rebuilt: number } {
  if (!(PAYROLL_APIS as readonly string[]).includes(api)) throw new AppError('invalid', `api: must be 1.0 (Payroll AU) or 2.0 (Payroll 2.0), not "${api}".`, { field: 'api' });
  const organisation = getOrganisation(deps.db, name);
  if (organisation.countryCode !== 'AU') {
    const why = organisation.countryCode === 'GB' || organisation.countryCode === 'NZ' ? `its ${organisation.countryCode === 'GB' ? 'UK' : 'NZ'} payroll is always on Payroll 2.0` : `it is not an Australian organisation (${organisation.countryCode ?? 'country not read yet; run `xero-proxy org refresh` first'})`;
    throw new AppError('invalid', `${organisation.name}'s payroll API cannot be chosen: ${why}.`, { field: 'api' });
  }
  if (api === '2.0' && !isOAuth2AppType(organisation.appType)) {
    throw new AppError('invalid', `${organisation.name} cannot send timesheets to Payroll 2.0: it takes OAuth 2.0 only, and ${organisation.name} is linked through an OAuth 1.0a app. Link it through an OAuth 2.0 app first.`, { field: 'api' });
  }
  return deps.db
    .transaction(() => {
      const before = payrollApiOf(deps.db, organisation.id);
      savePayrollApiSetting(deps.db, deps.clock, organisation.id, api as PayrollApi);
      if (before === api) return { organisation, api: api as PayrollApi, changed: false, rebuilt: 0 };
      // Timesheets known not to be in Xero are rebuilt for the API of now; one whose last send
      // may have landed keeps its shape, to be looked up where it was sent.
      const rebuilt = unsentTimesheetJobs(deps.db, organisation.id).filter((job) => rebuildWithCurrentMappings(deps.db, deps.clock, job)).length;
      recordAudit(deps, { actor: deps.actor, action: 'organisation.payroll_api_changed', subject: organisation.name, changes: { payrollApi: { from: before, to: api }, timesheetsRebuilt: rebuilt } });
      return { organisation, api: api as PayrollApi, changed: true, rebuilt };
    })
    .immediate();
}

/** What a change of payroll API did to the timesheets waiting, in words (a leading space), or nothing. */
export function rebuiltText(rebuilt: number): string {
  if (!Number.isInteger(rebuilt) || rebuilt <= 0) return '';
  return rebuilt === 1 ? ' 1 timesheet not yet in Xero goes there too.' : ` ${rebuilt} timesheets not yet in Xero go there too.`;
}

export { payrollApiOf };
