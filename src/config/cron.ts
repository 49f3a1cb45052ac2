import { invalid } from './invalid';

// minute hour day-of-month month day-of-week, with an optional seconds field first (node-cron's).
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of the month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of the week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;
const SECONDS = { name: 'second', min: 0, max: 59 } as const;

/**
 * Checks a cron expression the way the scheduler reads it: five fields (minute, hour, day of the
 * month, month, day of the week) or six with seconds first; each `*`, a number, a range `a-b` or a
 * list of them, with an optional `/step`; months and days may be named (`jan`, `mon`). "off" is
 * allowed too. Returns the text trimmed, or throws `invalid` naming the key and the field.
 */
export function checkCron(key: string, text: string): string {
  const value = text.trim();
  if (value === 'off') return value;
  const parts = value.split(/\s+/);
  const fields = parts.length === 6 ? [SECONDS, ...FIELDS] : parts.length === 5 ? FIELDS : undefined;
  if (!fields) throw invalid(key, `must be "off" or a cron expression of five fields, minute hour day month weekday, e.g. "30 2 * * *" (every day at 02:30); "${value}" has ${parts.length}`);
  fields.forEach((field, index) => {
    if (!validField(parts[index]!, field)) throw invalid(key, `"${parts[index]}" is not a valid ${field.name} (${field.min}-${field.max}, *, a range a-b, a list a,b or a step */n)`);
  });
  return value;
}

/** The schedule to run, or undefined for "off". */
export function cronOrOff(value: string): string | undefined {
  return value === 'off' ? undefined : value;
}

function validField(text: string, field: { min: number; max: number; names?: readonly string[] }): boolean {
  return text.split(',').every((item) => {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
    if (range === '*') return true;
    const bounds = range!.split('-');
    if (bounds.length > 2) return false;
    const numbers = bounds.map((bound) => numberOf(bound, field));
    if (numbers.some((n) => n === undefined)) return false;
    return numbers.length === 1 || numbers[0]! <= numbers[1]!;
  });
}

function numberOf(text: string, field: { min: number; max: number; names?: readonly string[] }): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (field.min === 1 ? 1 : 0);
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}
