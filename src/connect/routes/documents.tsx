import { Hono } from 'hono';
import { isAppError } from '../../lib/errors';
import type { ServiceDeps } from '../../services/deps';
import { cancelDocument, documentDetail, documentFilterChoices, retryNow, searchDocuments, type DocumentFilter } from '../../services/documents';
import { DocumentPage, type DocumentDone } from '../../../views/document';
import { DocumentsPage } from '../../../views/documents';
import { page, PAGE_STATUS } from '../render';
import { acting, formText, requireAdmin, type PageEnv } from '../session';

const FILTER_FIELDS = ['q', 'status', 'cause', 'kind', 'organisation', 'device', 'from', 'to', 'after'] as const;
const PAGE_SIZE = 50;

/** `GET /documents` (the list), `GET /documents/{jobId}`, and its actions `POST …/retry` and `POST …/cancel`. */
export function documentRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const admin = requireAdmin(deps);

  app.get('/documents', admin, (c) => {
    const filter: DocumentFilter = {};
    for (const field of FILTER_FIELDS) {
      const value = c.req.query(field)?.slice(0, 300);
      if (value) filter[field] = value;
    }
    const props = { signedIn: c.get('session')!, now: deps.clock.now(), filter, choices: documentFilterChoices(deps) };
    try {
      return page(c, <DocumentsPage {...props} list={searchDocuments(deps, { ...filter, limit: PAGE_SIZE })} />);
    } catch (error) {
      if (!isAppError(error, 'invalid')) throw error;
      return page(c, <DocumentsPage {...props} list={undefined} error={{ message: error.message, field: error.field }} />, 400);
    }
  });

  app.get('/documents/:jobId', admin, (c) => {
    const done = c.req.query('done');
    return page(c, <DocumentPage signedIn={c.get('session')!} now={deps.clock.now()} detail={documentDetail(deps, c.req.param('jobId'))} done={done === 'retried' || done === 'cancelled' ? (done as DocumentDone) : undefined} />);
  });

  app.post('/documents/:jobId/retry', admin, (c) => {
    const jobId = c.req.param('jobId');
    c.set('back', { href: `/documents/${encodeURIComponent(jobId)}`, label: 'Back to the document' });
    retryNow(acting(c, deps), jobId);
    return c.redirect(`/documents/${encodeURIComponent(jobId)}?done=retried`, 303);
  });

  app.post('/documents/:jobId/cancel', admin, async (c) => {
    const jobId = c.req.param('jobId');
    c.set('back', { href: `/documents/${encodeURIComponent(jobId)}`, label: 'Back to the document' });
    try {
      cancelDocument(acting(c, deps), jobId, await formText(c, 'reason'));
    } catch (error) {
      // A missing reason is said beside its field, on the document's own page.
      if (!isAppError(error, 'invalid') || error.field !== 'reason') throw error;
      return page(c, <DocumentPage signedIn={c.get('session')!} now={deps.clock.now()} detail={documentDetail(deps, jobId)} reasonError={error.message} />, PAGE_STATUS.invalid);
    }
    return c.redirect(`/documents/${encodeURIComponent(jobId)}?done=cancelled`, 303);
  });
  return app;
}
