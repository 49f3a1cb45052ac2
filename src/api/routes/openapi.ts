import { Hono } from 'hono';
import { openApiDocument } from '../../domain/documents';
import type { ServiceDeps } from '../../services/deps';
import { VERSION } from '../../version';

/** `GET /openapi.json`: the API's description, built from the schemas that validate requests. */
export function openApiRoutes(deps: ServiceDeps): Hono {
  const app = new Hono();
  const document = openApiDocument({ version: VERSION, serverUrl: deps.config.server.publicUrl });
  app.get('/openapi.json', (c) => c.json(document));
  return app;
}
