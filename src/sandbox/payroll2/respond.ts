import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';

/** One field a 2.0 request got wrong, as `invalidFields` lists it. */
export interface InvalidField {
  name: string;
  reason: string;
}

/** payroll.xro/2.0 pages hold 100. */
const PAGE_SIZE = 100;

/**
 * payroll.xro/2.0's success envelope: `id`, `providerName`, `dateTimeUTC`, `httpStatusCode`,
 * `pagination` (lists only) and `problem: null` around the answer under `key`.
 * @see xero-payroll-uk.yaml getTimesheets example
 */
export function sendResult(c: Context<SandboxEnv>, now: Date, key: string, value: unknown, pagination?: { page: number; itemCount: number }): Response {
  const paging = pagination ? { page: pagination.page, pageSize: PAGE_SIZE, pageCount: Math.max(1, Math.ceil(pagination.itemCount / PAGE_SIZE)), itemCount: pagination.itemCount } : null;
  return c.json({ id: randomUUID(), providerName: 'Xero Comms Proxy Sandbox', dateTimeUTC: now.toISOString().slice(0, 23), httpStatusCode: 'OK', pagination: paging, problem: null, [key]: value });
}

/** One page (1-based, 100 items) of a list. */
export function pageOf<T>(items: readonly T[], page: number): T[] {
  return items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
}

/**
 * payroll.xro/2.0's refusal: `application/problem+json` with `type`, `title`, `status`, `detail`
 * and the fields at fault under `invalidFields[{name, reason}]`.
 * @see xero-payroll-uk.yaml components.schemas.Problem
 */
export function sendProblem(c: Context<SandboxEnv>, status: 400 | 401 | 403 | 404, detail: string, invalidFields: readonly InvalidField[] = []): Response {
  const title = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' }[status];
  c.set('problem', invalidFields.length > 0 ? invalidFields.map((field) => `${field.name}: ${field.reason}`).join(' ') : detail);
  const body = JSON.stringify({ type: 'application/problem+json', title, status, detail, instance: null, ...(invalidFields.length > 0 ? { invalidFields } : {}) });
  return c.body(body, status, { 'Content-Type': 'application/problem+json; charset=utf-8' });
}

/** The refusal of a request whose fields fail validation. */
export const sendInvalid = (c: Context<SandboxEnv>, fields: readonly InvalidField[]): Response => sendProblem(c, 400, 'Validation error occurred.', fields);

/** The 404 of an unknown or malformed id. */
export const sendMissing = (c: Context<SandboxEnv>, what: string): Response => sendProblem(c, 404, `The ${what} could not be found.`);

/** Reads a JSON object body; undefined when the body is not one. */
export async function jsonObjectBody(c: Context<SandboxEnv>): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await c.req.text()) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
