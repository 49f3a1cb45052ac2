import { AppError } from '../../lib/errors';
import { parseRequestDate } from '../accounting/dates';
import { EDITIONS, ORGANISATION_CLASSES, type OrganisationClass, type OrganisationSettings } from '../organisation-settings';

/**
 * Reading the control API's lock-date and plan bodies. Both merge: a key present replaces its
 * setting (`null` clears it), a key absent keeps it, an unknown key is refused by name.
 */

/** The lock dates as the control API shows them: `YYYY-MM-DD` or null. */
export function lockDatesView(settings: OrganisationSettings): Record<string, string | null> {
  return { periodLockDate: settings.periodLockDate?.slice(0, 10) ?? null, endOfYearLockDate: settings.endOfYearLockDate?.slice(0, 10) ?? null };
}

/** The plan as the control API shows it. */
export function planView(settings: OrganisationSettings): Record<string, string | number | null> {
  return {
    class: settings.class,
    edition: settings.edition,
    approvedInvoicesPerMonth: settings.approvedInvoicesPerMonth ?? null,
    approvedBillsPerMonth: settings.approvedBillsPerMonth ?? null,
  };
}

/** `{"periodLockDate": "2026-01-31" | null, "endOfYearLockDate": "2025-06-30" | null}` over `current`. */
export function withLockDates(current: OrganisationSettings, body: Record<string, unknown>): OrganisationSettings {
  refuseUnknown(body, ['periodLockDate', 'endOfYearLockDate']);
  const date = (key: 'periodLockDate' | 'endOfYearLockDate'): string | undefined => {
    if (!(key in body)) return current[key];
    const value = body[key];
    if (value === null) return undefined;
    const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseRequestDate(value) : null;
    if (!parsed) throw new AppError('invalid', `${key}: must be a date as YYYY-MM-DD, or null to clear it.`, { field: key });
    return parsed;
  };
  const next = { ...current, periodLockDate: date('periodLockDate'), endOfYearLockDate: date('endOfYearLockDate') };
  // Xero's financial settings keep the all-users date at or before the all-but-advisers one.
  if (next.periodLockDate && next.endOfYearLockDate && next.endOfYearLockDate > next.periodLockDate) {
    throw new AppError('invalid', 'endOfYearLockDate: must be on or before periodLockDate (advisers are never locked out of more than everyone else).', { field: 'endOfYearLockDate' });
  }
  return next;
}

/** `{"class": "STARTER", "edition": "BUSINESS", "approvedInvoicesPerMonth": 20 | null, "approvedBillsPerMonth": 5 | null}` over `current`. */
export function withPlan(current: OrganisationSettings, body: Record<string, unknown>): OrganisationSettings {
  refuseUnknown(body, ['class', 'edition', 'approvedInvoicesPerMonth', 'approvedBillsPerMonth']);
  const next = { ...current };
  if ('class' in body) {
    if (!ORGANISATION_CLASSES.includes(body['class'] as OrganisationClass)) throw new AppError('invalid', `class: must be one of Xero's organisation classes (${ORGANISATION_CLASSES.join(', ')}).`, { field: 'class' });
    next.class = body['class'] as OrganisationClass;
  }
  if ('edition' in body) {
    if (!EDITIONS.includes(body['edition'] as never)) throw new AppError('invalid', `edition: must be ${EDITIONS.join(' or ')}.`, { field: 'edition' });
    next.edition = body['edition'] as OrganisationSettings['edition'];
  }
  for (const key of ['approvedInvoicesPerMonth', 'approvedBillsPerMonth'] as const) {
    if (!(key in body)) continue;
    const value = body[key];
    if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) throw new AppError('invalid', `${key}: must be a whole number, zero or more, or null for no cap.`, { field: key });
    next[key] = value ?? undefined;
  }
  return next;
}

function refuseUnknown(body: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(body)) if (!known.includes(key)) throw new AppError('invalid', `${key}: unknown setting; expected ${known.join(', ')}.`, { field: key });
}
