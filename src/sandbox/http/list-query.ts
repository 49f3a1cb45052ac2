import type { Context } from 'hono';
import type { SandboxEnv } from '../deps';
import type { ListQuery } from '../query/apply-query';
import { QueryError } from '../query/problems';
import { sendApiException } from './format';

/** The list parameters of a GET as the client sent them: `where`, `order`, `page` and If-Modified-Since. */
export function readListQuery(c: Context<SandboxEnv>): ListQuery {
  return { where: c.req.query('where'), order: c.req.query('order'), page: c.req.query('page'), ifModifiedSince: c.req.header('if-modified-since') };
}

/**
 * Runs a list handler, answering a QueryError as both APIs do: 400 ApiException, ErrorNumber 16,
 * QueryParseException, with the error's message (the OpenAPI spec's own example for Payroll AU).
 */
export function catchQueryError(c: Context<SandboxEnv>, answer: () => Response): Response {
  try {
    return answer();
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    c.set('problem', error.message);
    return sendApiException(c, 400, 16, 'QueryParseException', error.message);
  }
}
