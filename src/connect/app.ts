import { Hono } from 'hono';
import { limitBodies, type BodyBudget } from '../server/body-limit';
import type { LinkDeps } from '../services/linking';
import type { XeroCalls } from '../services/xero-calls';
import { APP_CSS } from '../../views/styles';
import { REFRESH_JS } from '../../views/refresh-script';
import { COPY_JS } from '../../views/copy-script';
import { errorPage } from './render';
import { pageHeaders } from './page-headers';
import { attentionRoutes } from './routes/attention';
import { caCertificateRoutes } from './routes/ca-certificate';
import { connectRoutes } from './routes/connect';
import { deviceRoutes } from './routes/devices';
import { documentRoutes } from './routes/documents';
import { linkRoutes } from './routes/link';
import { loginRoutes } from './routes/login';
import { organisationRoutes } from './routes/organisations';
import { overviewRoutes } from './routes/overview';
import { reconciliationRoutes } from './routes/reconciliation';
import { mappingRoutes } from './routes/mappings';
import { sameOriginPosts } from './same-origin';
import { settingsRoutes } from './routes/settings';
import { docsRoutes } from './routes/docs';
import { administratorRoutes } from './routes/administrators';
import { auditRoutes } from './routes/audit';
import { ShownOnce } from './shown-once';
import type { PageEnv } from './session';

/** The console's pages, each with the paths below it (`/documents/{id}`, its actions). */
const CONSOLE_PATHS = ['/attention', '/attention/*', '/documents', '/documents/*', '/devices', '/devices/*', '/organisations', '/organisations/*', '/mappings', '/mappings/*', '/settings', '/settings/*', '/docs', '/docs/*', '/reconciliation', '/reconciliation/*'] as const;

/** Every path the pages own; their middleware is bound to these so the device API is untouched. */
const PAGE_PATHS = ['/', '/login', '/login/*', '/logout', '/connect', '/connect/*', '/assets/*', '/ca.crt', ...CONSOLE_PATHS] as const;
// New recovery codes are shown once, on the page the browser is sent to at once.
const RECOVERY_CODES_SHOWN_WITHIN_MS = 10 * 60_000;
// Our forms post a few short fields; Hono's default limit (100 KiB) is far more than they need.
const MAX_FORM_BYTES = 16 * 1024;

/**
 * The browser pages: sign-in, the connect page where people approve devices and link Xero
 * organisations, the callback from Xero, and the overview (`calls`: the shared Xero calls, whose pacer's pauses the overview shows).
 * Mount at `/`.
 */
export function connectPages(deps: LinkDeps, budget: BodyBudget, calls: XeroCalls): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  const formLimit = limitBodies(budget, () => ({ bytes: MAX_FORM_BYTES, advice: 'no form of this proxy is that long, and nothing was changed' }));
  for (const path of PAGE_PATHS) app.use(path, pageHeaders(deps.config), sameOriginPosts(deps.config), formLimit);
  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/assets/refresh.js', (c) => c.body(REFRESH_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/assets/copy.js', (c) => c.body(COPY_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  // New recovery codes wait here for their one showing, whichever page made them.
  const recoveryCodes = new ShownOnce<string[]>(() => deps.clock.now().getTime(), RECOVERY_CODES_SHOWN_WITHIN_MS);
  app.route('/', caCertificateRoutes(deps));
  app.route('/', loginRoutes(deps, recoveryCodes));
  app.route('/', connectRoutes(deps));
  app.route('/', linkRoutes(deps));
  app.route('/', overviewRoutes(deps, calls.pacer));
  app.route('/', documentRoutes(deps));
  app.route('/', attentionRoutes(deps, calls));
  app.route('/', deviceRoutes(deps));
  app.route('/', organisationRoutes(deps, calls));
  app.route('/', settingsRoutes(deps));
  app.route('/', administratorRoutes(deps, recoveryCodes));
  app.route('/', auditRoutes(deps));
  app.route('/', docsRoutes(deps));
  app.route('/', mappingRoutes(deps, calls));
  app.route('/', reconciliationRoutes(deps, calls));
  app.onError((error, c) => errorPage(c, error, deps.logger));
  return app;
}
