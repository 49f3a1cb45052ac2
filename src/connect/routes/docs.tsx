import { Hono } from 'hono';
import { raw } from 'hono/html';
import { openApiDocument } from '../../domain/documents';
import { apiReference } from '../../domain/documents/openapi-reference';
import type { ServiceDeps } from '../../services/deps';
import { VERSION } from '../../version';
import { ApiReferenceBody, DocsPage } from '../../../views/docs';
import { page } from '../render';
import { currentSession, type PageEnv } from '../session';

/**
 * `GET /docs`: the device API's reference, from the same OpenAPI document `GET /api/v1/openapi.json`
 * serves, rendered at the first request and kept. Public, like the OpenAPI document: integrators
 * need it and it holds no secret; a signed-in administrator also gets the console's navigation.
 */
export function docsRoutes(deps: ServiceDeps): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  let cached: { title: string; body: ReturnType<typeof raw> } | undefined;
  app.get('/docs', (c) => {
    if (!cached) {
      const reference = apiReference(openApiDocument({ version: VERSION, serverUrl: deps.config.server.publicUrl }));
      cached = { title: reference.title, body: raw(String(<ApiReferenceBody reference={reference} />)) };
    }
    return page(c, <DocsPage signedIn={currentSession(c, deps)} title={cached.title} body={cached.body} />);
  });
  return app;
}
