import type { ManualClock } from '../../src/lib/clock';
import { seedAccountingDemo } from '../../src/sandbox/accounting/demo-data';
import { accountingRoutes } from '../../src/sandbox/accounting/routes';
import type { SandboxDeps } from '../../src/sandbox/deps';
import { DEMO_ORGANISATIONS, insertOrganisation, type SandboxOrganisation } from '../../src/sandbox/organisations';
import { immediate } from '../../src/store/db';
import { decodeElement, parseXml } from '../../src/lib/xml';
import { xeroItemName } from '../../src/domain/xero/xml-shape';
import { startRoutesOnly } from './routes-only';

export interface AccountingServer {
  /** e.g. http://127.0.0.1:41234/api.xro/2.0 */
  api: string;
  org: SandboxOrganisation;
  deps: SandboxDeps;
  /** The clock under the sandbox clock; move it to test If-Modified-Since and UpdatedDateUTC. */
  clock: ManualClock;
  /** Per request served, in order: whether the handler reported a committed write (`committedWrite`). */
  committed: boolean[];
  /** Which demo organisation the next request acts for (the test auth stands in for OAuth 1.0a). */
  actAs(org: SandboxOrganisation): void;
  stop(): Promise<void>;
}

/**
 * Serves only the Accounting API on a real socket, behind a stand-in for the OAuth 1.0a
 * verifier that sets `auth` for a demo organisation, so these tests depend on neither OAuth
 * nor Payroll. The database is in memory and seeded like a fresh sandbox, without payroll.
 */
export async function startAccountingOnly(options: { start?: string } = {}): Promise<AccountingServer> {
  let current = DEMO_ORGANISATIONS[0]!;
  const server = await startRoutesOnly({
    start: options.start ?? '2026-03-02T09:30:00Z',
    organisationId: current.id,
    seed: (db, clock) =>
      immediate(db, () => {
        for (const org of DEMO_ORGANISATIONS) {
          insertOrganisation(db, org, clock);
          seedAccountingDemo(db, org, clock);
        }
      }),
    mount: (app, deps) => app.route('/api.xro/2.0', accountingRoutes(deps)),
  });
  return {
    api: `${server.url}/api.xro/2.0`,
    get org() {
      return current;
    },
    deps: server.deps,
    clock: server.clock,
    committed: server.committed,
    actAs: (org) => {
      current = org;
      server.actAs(org.id);
    },
    stop: server.stop,
  };
}

/** One answer from the API: status, raw text, and the parsed JSON when JSON was asked for. */
export interface ApiAnswer {
  status: number;
  contentType: string;
  text: string;
  // Tests read Xero's loosely typed JSON freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  /** A raw XML body (sent as application/xml unless `form` is set). */
  xml?: string;
  /** Send the XML as the classic `xml=` form field instead. */
  form?: boolean;
  /** A JSON body. */
  json?: unknown;
  /** Ask for JSON back (default: Xero's XML). */
  acceptJson?: boolean;
  headers?: Record<string, string>;
}

/** Calls the Accounting API, e.g. `call(server, 'PUT', '/Invoices', { json: {...}, acceptJson: true })`. */
export async function call(server: AccountingServer, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(options.acceptJson ? { accept: 'application/json' } : {}), ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.xml !== undefined && options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    body = new URLSearchParams({ xml: options.xml }).toString();
  } else if (options.xml !== undefined) {
    headers['content-type'] = 'application/xml';
    body = options.xml;
  }
  const response = await fetch(server.api + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, text, json: contentType.includes('json') ? JSON.parse(text) : undefined };
}

/** An XML answer decoded into Xero's JSON shape (leaf values are strings). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readXml(text: string): any {
  return decodeElement(parseXml(text), xeroItemName);
}
