import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toAppError, type ErrorCode } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { renderPage } from '../../views/layout';
import { MessagePage } from '../../views/message';
import { STATUS_OF } from '../server/status-of';
import type { PageEnv } from './session';

/** Pages answer with the same statuses as the device API. */
export const PAGE_STATUS = STATUS_OF;

const TITLES: Record<ErrorCode, string> = {
  invalid: 'Please check what was entered',
  unauthorized: 'Please sign in',
  forbidden: 'Request refused',
  not_found: 'Not found',
  method_not_allowed: 'This address does not take that kind of request',
  conflict: 'This cannot be done now',
  document_changed: 'The document was changed',
  too_large: 'Too much was sent',
  rate_limited: 'Too many requests',
  unprocessable: 'Cannot be done',
  upstream: 'Xero did not answer as expected',
  unavailable: 'Not available right now',
  internal: 'Something went wrong',
};

/** Answers a page (a hono/jsx element) with its doctype. */
export function page(c: Context, node: unknown, status: ContentfulStatusCode = 200): Response {
  return c.html(renderPage(node), status);
}

/**
 * Any error as a readable page: the AppError's sentence and hint, a way back (the handler may
 * have set `back`), and the status from `PAGE_STATUS`. Unexpected errors are logged, not shown.
 */
export function errorPage(c: Context<PageEnv>, error: unknown, logger: Logger): Response {
  const appError = toAppError(error);
  const status = PAGE_STATUS[appError.code];
  if (status >= 500 && appError.code !== 'upstream' && appError.code !== 'unavailable') logger.error('page request failed', { path: c.req.path, error });
  const message = appError.code === 'internal' ? 'The proxy could not complete this. The details are in its log.' : appError.message;
  const back = c.get('back') ?? { href: '/', label: 'Back to the overview' };
  if (appError.retryAfterSeconds !== undefined) c.header('Retry-After', String(appError.retryAfterSeconds));
  return page(c, <MessagePage title={TITLES[appError.code]} tone="error" message={message} hint={appError.hint} back={back} signedIn={c.get('session')} />, status);
}
