import type { FC } from 'hono/jsx';
import type { Organisation } from '../src/store/organisations';
import { CsrfField } from './layout';

const NAMES = { '1.0': 'Payroll AU (payroll.xro/1.0)', '2.0': 'Payroll 2.0 (payroll.xro/2.0)' } as const;

/**
 * An organisation's payroll API on its card: what its timesheets go to, and for an Australian
 * organisation the choice of 1.0 or 2.0 (Xero moves payrolls to 2.0 one by one).
 */
export const PayrollApiFacts: FC<{ organisation: Organisation; api: '1.0' | '2.0' | null; csrfToken: string }> = ({ organisation, api, csrfToken }) => {
  if (api === null) return null;
  const field = `payroll-api-${organisation.id}`;
  return (
    <>
      <dt>Payroll API</dt>
      <dd>
        {organisation.countryCode === 'AU' ? (
          <form method="post" action={`/organisations/${encodeURIComponent(organisation.id)}/payroll`} class="inline">
            <CsrfField token={csrfToken} />
            <label for={field}>Timesheets go to</label>{' '}
            <select id={field} name="api">
              {(['1.0', '2.0'] as const).map((value) => (
                <option value={value} selected={value === api}>
                  {NAMES[value]}
                </option>
              ))}
            </select>{' '}
            <button type="submit">Save the payroll API of {organisation.name}</button>
            <span class="help"> Choose 2.0 once Xero has moved this payroll to Payroll 2.0.</span>
          </form>
        ) : (
          <>
            {NAMES[api]} <span class="help">(UK and NZ payrolls are always on Payroll 2.0)</span>
          </>
        )}
      </dd>
    </>
  );
};
