/**
 * The two Xero payroll APIs a timesheet can go to: Payroll AU (`payroll.xro/1.0`, PascalCase,
 * a number of units per day) and Payroll UK, NZ and AU 2.0 (`payroll.xro/2.0`, camelCase, one
 * timesheet per call, dated lines, approved by its own call).
 * @see PROTOCOL.md §5.1, §5.2
 */
export type PayrollApi = '1.0' | '2.0';

export const PAYROLL_APIS: readonly PayrollApi[] = ['1.0', '2.0'];

/**
 * Which payroll API an organisation uses: British and New Zealand payrolls are on 2.0; an
 * Australian one on 1.0 unless set to 2.0 (Xero moves organisations one by one, and the API
 * does not say which it is on). An organisation of another country has no Xero Payroll: undefined.
 * @example payrollApiFor('GB', undefined) // '2.0'
 */
export function payrollApiFor(countryCode: string | null, setting: PayrollApi | undefined): PayrollApi | undefined {
  if (countryCode === 'GB' || countryCode === 'NZ') return '2.0';
  if (countryCode === 'AU' || countryCode === null) return setting ?? '1.0';
  return undefined;
}
