import type { Context } from 'hono';
import { encodeElement } from '../lib/xml';
import { AppError, toAppError } from '../lib/errors';
import { STATUS_OF } from '../server/status-of';

/** Devices speak JSON or XML: the `Accept` header decides, else the request's own content type. */
export function wantsXml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  if (/application\/json/i.test(accept)) return false;
  if (/(application|text)\/xml/i.test(accept)) return true;
  return /xml/i.test(c.req.header('content-type') ?? '');
}

// XML element names for lists in our own answers.
const ITEM_NAMES: Record<string, string> = { ValidationErrors: 'ValidationError', Warnings: 'Warning', Jobs: 'Job', jobs: 'job', details: 'detail' };

/** Answers `body` as JSON, or as XML under `root` with the same field names. */
export function reply(c: Context, status: number, root: string, body: Record<string, unknown>): Response {
  if (wantsXml(c)) {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + encodeElement(root, body, { itemName: (name) => ITEM_NAMES[name] ?? (name.endsWith('s') ? name.slice(0, -1) : 'Item') });
    return c.body(xml, status as 200, { 'Content-Type': 'application/xml; charset=utf-8' });
  }
  return c.json(body, status as 200);
}

/** Turns any error into the API's error answer: a stable code, a sentence, the field if known. */
export function replyError(c: Context, error: unknown): Response {
  const appError = toAppError(error);
  const body: Record<string, unknown> = { code: appError.code, message: appError.message };
  if (appError.field) body['field'] = appError.field;
  if (appError.hint) body['hint'] = appError.hint;
  if (appError.details) body['details'] = appError.details;
  if (appError.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="xero-proxy"');
  if (appError.retryAfterSeconds !== undefined) c.header('Retry-After', String(appError.retryAfterSeconds));
  return reply(c, STATUS_OF[appError.code], 'Error', { error: body });
}

export { AppError };
