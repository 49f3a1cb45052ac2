import { AppError } from '../lib/errors';

/**
 * What a device may do beyond sending documents and reading its own jobs and status:
 * - `reference`: `GET /reference/{kind}`, the organisation's pick lists from the proxy's cache;
 * - `accounting.read`: `GET /xero/api.xro/2.0/…`, any accounting data, straight from Xero;
 * - `payroll.read`: `GET /xero/payroll.xro/…`, employees (dates of birth, addresses), pay runs;
 * - `write`: any other method through `/xero/…`, which bypasses the queue's de-duplication.
 */
export const DEVICE_RIGHTS = ['reference', 'accounting.read', 'payroll.read', 'write'] as const;

export type DeviceRight = (typeof DEVICE_RIGHTS)[number];

/** What a device gets when nobody says otherwise: its pick lists, and no Xero data. */
export const DEFAULT_RIGHTS: readonly DeviceRight[] = ['reference'];

/** What each right lets a device do, in words for the message that refuses it. */
const WHAT: Record<DeviceRight, string> = {
  reference: "read the organisation's reference lists",
  'accounting.read': "read the organisation's accounting data through /xero",
  'payroll.read': "read the organisation's payroll data (employees, pay runs, timesheets) through /xero",
  write: 'change Xero data through /xero',
};

export function isDeviceRight(value: string): value is DeviceRight {
  return (DEVICE_RIGHTS as readonly string[]).includes(value);
}

/**
 * Checks names of rights (each may be a list separated by commas or spaces, as typed) and returns
 * them as a set in the canonical order, duplicates dropped.
 * @example parseRights(['payroll.read,reference']) // ['reference', 'payroll.read']
 */
export function parseRights(lists: readonly string[]): DeviceRight[] {
  const names = lists.flatMap((list) => list.split(/[\s,]+/)).filter((name) => name !== '');
  for (const name of names) {
    if (!isDeviceRight(name)) throw new AppError('invalid', `Unknown right '${name}'; rights are ${DEVICE_RIGHTS.join(', ')}.`, { field: 'rights' });
  }
  return DEVICE_RIGHTS.filter((right) => names.includes(right));
}

/**
 * The rights as the store writes them: space-separated and sorted, so each set has exactly one
 * spelling (the table's CHECK lists them all).
 */
export function encodeRights(rights: readonly DeviceRight[]): string {
  return [...new Set(rights)].sort().join(' ');
}

/** The store's spelling back to rights, in the canonical order. */
export function decodeRights(stored: string): DeviceRight[] {
  return parseRights([stored]);
}

/**
 * The right a request to the device API needs, by its method and its path under `/api/v1`;
 * `undefined` when it needs none (documents, jobs, status, organisation, pairing). A `/xero`
 * path that is neither API is refused by the pass-through whatever the device's rights.
 * @example rightNeeded('GET', '/xero/payroll.xro/1.0/Employees') // 'payroll.read'
 */
export function rightNeeded(method: string, path: string): DeviceRight | undefined {
  if (/^\/reference(\/|$)/.test(path)) return 'reference';
  if (!/^\/xero(\/|$)/.test(path)) return undefined;
  if (method.toUpperCase() !== 'GET') return 'write';
  if (/^\/xero\/api\.xro\//.test(path)) return 'accounting.read';
  if (/^\/xero\/payroll\.xro\//.test(path)) return 'payroll.read';
  return undefined;
}

/**
 * Refuses a request the device lacks the right for, saying which right and how to grant it.
 * @example assertRight({ deviceId: 'TILL-1', rights: ['reference'] }, 'GET', '/xero/payroll.xro/1.0/Employees') // throws forbidden
 */
export function assertRight(device: { deviceId: string; rights: readonly DeviceRight[] }, method: string, path: string): void {
  const needed = rightNeeded(method, path);
  if (!needed || device.rights.includes(needed)) return;
  const grant = `xero-proxy device grant ${device.deviceId} ${needed}`;
  const also = needed === 'write' ? ' Send documents through /invoices, /payments and the other endpoints, which cannot double them.' : '';
  throw new AppError('forbidden', `This device may not ${WHAT[needed]}: it lacks the right ${needed}. The administrator can grant it with \`${grant}\`.${also}`);
}
