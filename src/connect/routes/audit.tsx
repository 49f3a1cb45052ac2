import { Hono } from 'hono';
import { isAppError } from '../../lib/errors';
import { auditEntries } from '../../services/audit';
import type { ServiceDeps } from '../../services/deps';
import { auditActors } from '../../store/audit';
import { AuditLogPage, type AuditFilter } from '../../../views/audit';
import { page } from '../render';
import { requireAdmin, type PageEnv } from '../session';

const PAGE_SIZE = 50;

/** `GET /settings/audit`: the audit log, newest first, filtered by who, what and since when. */
export function auditRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.get('/settings/audit', requireAdmin(deps), (c) => {
    const filter: AuditFilter = {};
    for (const field of ['actor', 'action', 'since'] as const) {
      const value = c.req.query(field)?.trim().slice(0, 200);
      if (value) filter[field] = value;
    }
    const props = { signedIn: c.get('session')!, now: deps.clock.now(), filter, actors: auditActors(deps.db) };
    try {
      return page(c, <AuditLogPage {...props} log={auditEntries(deps, { ...filter, before: c.req.query('before')?.slice(0, 20), limit: PAGE_SIZE })} />);
    } catch (error) {
      if (!isAppError(error, 'invalid')) throw error;
      return page(c, <AuditLogPage {...props} log={undefined} error={error.message} />, 400);
    }
  });
  return app;
}
