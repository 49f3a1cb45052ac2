import { callsPerHourSince, usageSince } from '../store/organisation-usage';
import { deliveriesAndFailures } from '../store/overview-reads';
import type { ServiceDeps } from './deps';

/** One bar group of a chart: its period and the numbers in it. */
export interface ChartBucket {
  /** The period's start, ISO-8601 UTC: `2026-11-28T14:00:00.000Z`. */
  start: string;
  /** Its name in a table or an axis: `14:00` or `28 Nov`. */
  label: string;
  values: number[];
}

/** The numbers of one chart, for its SVG and its table alike. */
export interface ChartData {
  title: string;
  /** What the bars are: ['Delivered', 'Failed']. */
  series: string[];
  buckets: ChartBucket[];
  /** A line the bars are read against (the day's call limit), if any. */
  limit: { value: number; label: string } | null;
}

export interface OverviewCharts {
  hourly: ChartData;
  daily: ChartData;
  callsPerHour: ChartData;
  callsPerDay: ChartData;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The overview's charts: documents delivered and failed per hour over the last 24 hours and per
 * day over 14 days, and Xero calls per hour (24 hours) and per day (14 days) against the day's
 * limit. Hours and days are UTC; the newest bucket is the current one.
 */
export function overviewCharts(deps: ServiceDeps): OverviewCharts {
  const now = deps.clock.now().getTime();
  const hours = periods(Math.floor(now / HOUR_MS) * HOUR_MS, HOUR_MS, 24);
  const days = periods(Math.floor(now / DAY_MS) * DAY_MS, DAY_MS, 14);
  const byHour = deliveriesAndFailures(deps.db, hours[0]!, 13);
  const byDay = deliveriesAndFailures(deps.db, days[0]!, 10);
  const callsByHour = callsPerHourSince(deps.db, hours[0]!.slice(0, 13));
  const callsByDay = new Map<string, number>();
  for (const row of usageSince(deps.db, days[0]!.slice(0, 10))) callsByDay.set(row.day, (callsByDay.get(row.day) ?? 0) + row.calls);
  const perDay = deps.config.xero.rateLimit.perDay;
  const hourLabel = (start: string) => `${start.slice(11, 13)}:00`;
  const dayLabel = (start: string) => `${Number(start.slice(8, 10))} ${MONTHS[Number(start.slice(5, 7)) - 1]}`;
  return {
    hourly: {
      title: 'Documents per hour, last 24 hours (UTC)',
      series: ['Delivered', 'Failed'],
      buckets: hours.map((start) => ({ start, label: hourLabel(start), values: [byHour.delivered.get(start.slice(0, 13)) ?? 0, byHour.failed.get(start.slice(0, 13)) ?? 0] })),
      limit: null,
    },
    daily: {
      title: 'Documents per day, last 14 days (UTC)',
      series: ['Delivered', 'Failed'],
      buckets: days.map((start) => ({ start, label: dayLabel(start), values: [byDay.delivered.get(start.slice(0, 10)) ?? 0, byDay.failed.get(start.slice(0, 10)) ?? 0] })),
      limit: null,
    },
    callsPerHour: {
      title: 'Xero calls per hour, last 24 hours (UTC)',
      series: ['Calls'],
      buckets: hours.map((start) => ({ start, label: hourLabel(start), values: [callsByHour.get(start.slice(0, 13)) ?? 0] })),
      limit: null,
    },
    callsPerDay: {
      title: 'Xero calls per day, last 14 days (UTC)',
      series: ['Calls'],
      buckets: days.map((start) => ({ start, label: dayLabel(start), values: [callsByDay.get(start.slice(0, 10)) ?? 0] })),
      // Per organisation; with several organisations the bars add them up, so the limit is each one's.
      limit: { value: perDay, label: `Day limit per organisation: ${perDay}` },
    },
  };
}

/** `count` period starts ending with the one that starts at `last`, oldest first. */
function periods(last: number, length: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(last - (count - 1 - i) * length).toISOString());
}
