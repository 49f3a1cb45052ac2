import { xeroJsonDate, type Format } from '../http/format';

const DATE_KEYS = new Set(['StartDate', 'EndDate', 'PaymentDate', 'ReferenceDate', 'DateOfBirth', 'TerminationDate', 'OpeningBalanceDate']);
const TIMESTAMP_KEYS = new Set(['UpdatedDateUTC']);
const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/;

/**
 * A stored Payroll AU document as Xero writes it in `format`. JSON: dates and timestamps become
 * `/Date(ms+0000)/` and numbers stay numbers. XML: dates stay `YYYY-MM-DDT00:00:00`, timestamps
 * lose their `Z`, and units and hours are written with two decimals (`<NumberOfUnit>4.00</NumberOfUnit>`).
 */
export function renderPayroll<T>(value: T, format: Format): T {
  return walk(value, format, undefined) as T;
}

function walk(value: unknown, format: Format, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, format, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, walk(child, format, name)]));
  }
  if (typeof value === 'string' && key !== undefined && (DATE_KEYS.has(key) || TIMESTAMP_KEYS.has(key)) && STORED.test(value)) {
    if (format === 'json') return xeroJsonDate(value);
    return TIMESTAMP_KEYS.has(key) ? value.replace(/Z$/, '') : value;
  }
  if (typeof value === 'number' && format === 'xml' && (key === 'NumberOfUnits' || key === 'Hours')) return value.toFixed(2);
  return value;
}
