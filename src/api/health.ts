import { Hono } from 'hono';
import type { Db } from '../store/db';
import { VERSION } from '../version';

/** `GET /healthz`: 200 when the database answers, 503 otherwise; for load balancers and `doctor`. */
export function healthRoutes(db: Db): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => {
    try {
      db.prepare('SELECT 1').get();
      return c.json({ status: 'ok', version: VERSION });
    } catch {
      return c.json({ status: 'unavailable', version: VERSION, problem: 'The database does not answer.' }, 503);
    }
  });
  return app;
}
