import { addDays, addMonths, daysBetween } from './dates';

/** Payroll AU calendar types. @see xero-payroll-au.yaml `CalendarType` */
export const CALENDAR_TYPES = ['WEEKLY', 'FORTNIGHTLY', 'FOURWEEKLY', 'MONTHLY', 'TWICEMONTHLY', 'QUARTERLY'] as const;
export type CalendarType = (typeof CALENDAR_TYPES)[number];

/** One pay period, both ends inclusive, as `YYYY-MM-DD`. */
export interface PayPeriod {
  start: string;
  end: string;
}

const DAYS: Partial<Record<CalendarType, number>> = { WEEKLY: 7, FORTNIGHTLY: 14, FOURWEEKLY: 28 };
const MONTHS: Partial<Record<CalendarType, number>> = { MONTHLY: 1, QUARTERLY: 3 };

/**
 * The pay period of a calendar that contains `day`. A calendar's StartDate is the first day of
 * one period; periods repeat from it both ways. Monthly and quarterly periods start on the
 * StartDate's day of the month (clamped to short months); twice-monthly periods are the 1st–15th
 * and the 16th–end of each month (the sandbox's assumption).
 * @example payPeriodContaining('WEEKLY', '2026-01-05', '2026-01-08') // { start: '2026-01-05', end: '2026-01-11' }
 */
export function payPeriodContaining(type: CalendarType, calendarStart: string, day: string): PayPeriod {
  const days = DAYS[type];
  if (days !== undefined) {
    const start = addDays(calendarStart, Math.floor(daysBetween(calendarStart, day) / days) * days);
    return { start, end: addDays(start, days - 1) };
  }
  const months = MONTHS[type];
  if (months !== undefined) {
    const anchor = Number(calendarStart.slice(8, 10));
    const monthsApart = (Number(day.slice(0, 4)) - Number(calendarStart.slice(0, 4))) * 12 + Number(day.slice(5, 7)) - Number(calendarStart.slice(5, 7));
    let k = Math.floor(monthsApart / months);
    // The month estimate can be one period out either way when the anchor day falls after `day`.
    while (addMonths(calendarStart, k * months, anchor) > day) k--;
    while (addMonths(calendarStart, (k + 1) * months, anchor) <= day) k++;
    const start = addMonths(calendarStart, k * months, anchor);
    return { start, end: addDays(addMonths(calendarStart, (k + 1) * months, anchor), -1) };
  }
  const monthStart = `${day.slice(0, 7)}-01`;
  if (Number(day.slice(8, 10)) <= 15) return { start: monthStart, end: `${day.slice(0, 7)}-15` };
  return { start: `${day.slice(0, 7)}-16`, end: addDays(addMonths(monthStart, 1), -1) };
}
