import { isOAuth2AppType } from '../config/oauth2';
import { payrollApiFor, PAYROLL_APIS, type PayrollApi } from '../domain/documents/payroll-api';
import { AppError } from '../lib/errors';
import type { Db } from '../store/db';
import { findPayrollApiSetting, savePayrollApiSetting } from '../store/organisation-payroll';
import { findOrganisation, getOrganisation, type Organisation } from '../store/organisations';
import { recordAudit, type Acting } from './audit';
import type { ServiceDeps } from './deps';

/** The payroll API the organisation's timesheets go to now (1.0 for an organisation whose country is not yet known). */
export function payrollApiOf(db: Db, organisationId: string): PayrollApi {
  const organisation = findOrganisation(db, organisationId);
  return payrollApiFor(organisation?.countryCode ?? null, findPayrollApiSetting(db, organisationId)) ?? '1.0';
}

/**
 * Sets which payroll API an Australian organisation's timesheets go to (`xero-proxy org payroll`,
 * the organisations page), audited once. Timesheets already queued keep the shape they were
 * built in; a person's retry of one rebuilds it for the API of now. UK and NZ payrolls are
 * always on 2.0, and other countries have no Xero Payroll, so those are refused; so is 2.0 for an
 * organisation linked through OAuth 1.0a, which Payroll 2.0 does not take.
 */
export function setPayrollApi(deps: Pick<ServiceDeps, 'db' | 'clock'> & Acting, name: string, api: string): { organisation: Organisation; api: PayrollApi; changed: boolean } {
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
      if (before !== api) recordAudit(deps, { actor: deps.actor, action: 'organisation.payroll_api_changed', subject: organisation.name, changes: { payrollApi: { from: before, to: api } } });
      return { organisation, api: api as PayrollApi, changed: before !== api };
    })
    .immediate();
}
