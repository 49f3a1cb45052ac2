import type { OrganisationSettings } from '../organisation-settings';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A stored date as Xero writes it in lock-date messages, e.g. `31-Jul-2013`. */
export function lockDateText(stored: string): string {
  const [year, month, day] = stored.slice(0, 10).split('-');
  return `${day}-${MONTHS[Number(month) - 1]}-${year}`;
}

/**
 * Xero's refusal for a posted document (an approved invoice, a payment) dated on or before a
 * lock date, or undefined when the date is open. Both dates lock "on and before" (Xero's
 * settings screen). The end-of-year date locks every user and is checked first; the period
 * date spares advisers, but the sandbox has no user roles, so it treats every caller as a
 * non-adviser.
 *
 * The end-of-year text is recorded in MARKET-2026.md §5 ("The document date cannot be before
 * the end of year lock date, currently set at 31-Jul-2013"; xeroizer #92, Dext). The period
 * text follows the same pattern as third-party help centres report it; it is UNVERIFIED
 * against a recorded Xero response.
 * @see https://help.xero.com/Settings_LockDate
 */
export function lockDateRefusal(settings: OrganisationSettings, date: string | undefined): string | undefined {
  if (!date) return undefined;
  const day = date.slice(0, 10);
  const { endOfYearLockDate, periodLockDate } = settings;
  if (endOfYearLockDate && day <= endOfYearLockDate.slice(0, 10)) return `The document date cannot be before the end of year lock date, currently set at ${lockDateText(endOfYearLockDate)}`;
  if (periodLockDate && day <= periodLockDate.slice(0, 10)) return `The document date cannot be before the period lock date, currently set at ${lockDateText(periodLockDate)}`;
  return undefined;
}
