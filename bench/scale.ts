// One machine, a thousand organisations: the proxy (`serve`) and the sandbox (`sandbox`) run as
// their own processes; 1,000 organisations are linked through the real OAuth 2.0 connect flow
// (the proxy's own link service, the sandbox's authorise and token endpoints over HTTP), each with
// its own grant and 10 devices; every organisation's till then sends an invoice and its payment
// through the device API. Measured: the proxy's resident memory once settled, the overview and
// documents pages signed in as an administrator, the order the sandbox saw the batches in, and
// the token endpoint's calls per second when every grant must be refreshed at once.
// Not a test: it measures. Run alone: node_modules/.bin/node --import tsx bench/scale.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProxy, databasePath } from '../src/app';
import { loadConfig } from '../src/config/load';
import { systemClock } from '../src/lib/clock';
import { silentLogger } from '../src/lib/logger';
import { seedAccountingDemo } from '../src/sandbox/accounting/demo-data';
import { createSandbox } from '../src/sandbox/app';
import { SANDBOX_MIGRATIONS } from '../src/sandbox/store/migrations';
import { insertOrganisation, type SandboxOrganisation } from '../src/sandbox/organisations';
import { setAdminPassword } from '../src/services/administrators';
import type { Actor } from '../src/services/audit';
import { addDevice } from '../src/services/devices';
import { completeLink, startLink } from '../src/services/linking';
import { openDatabase, type Db } from '../src/store/db';
import { createKeyFileIfMissing, KEY_FILE_NAME } from '../src/store/keyring';
import { MIGRATIONS } from '../src/store/migrations';

export interface ScaleFigures {
  orgs: number;
  devices: number;
  /** The proxy's resident memory (VmRSS of its process tree) once delivery is done and it has settled. */
  rssMb: number;
  /** The same as soon as it answered /healthz, before delivery had done much. */
  rssAtStartMb: number;
  /** Of the settled RSS: memory of the process's own (heap, SQLite's caches, buffers), and pages of files (the executable itself). */
  rssAnonMb: number;
  rssFileMb: number;
  /** `GET /` signed in as an administrator: the median of several, and the slowest. */
  overviewMs: number;
  overviewMaxMs: number;
  /** `GET /documents` (the newest page of all documents), median and slowest. */
  documentsMs: number;
  documentsMaxMs: number;
  /** `GET /documents?q=…` (a text search across every document), median. */
  documentsSearchMs: number;
  /** The most token endpoint calls the sandbox saw in any one second. */
  sweepMaxPerS: number;
  /** Refreshes the sandbox answered during the window the rate was measured over. */
  refreshesSeen: number;
  refreshWindowS: number;
  /** Batches (write calls) the sandbox received, and how many were a second batch sent while another organisation's work waited for its first. */
  batches: number;
  unfairBatches: number;
  /** Seconds from serve's start to the last organisation's first batch, and to every job delivered. */
  lastFirstBatchS: number;
  deliveredS: number;
  delivered: number;
}

export interface ScaleOptions {
  /** argv that starts the proxy CLI, e.g. ['dist/xero-proxy'] or [process.execPath, '--import', 'tsx', 'src/main.ts']. */
  proxyCommand: string[];
  orgs?: number;
  devicesPerOrg?: number;
  /** How long the token endpoint's rate is watched once every grant needs refreshing. */
  refreshWindowS?: number;
  log?: (line: string) => void;
  /** Leave the data directories (proxy and sandbox) in place and say where, to profile against them. */
  keep?: boolean;
}

const ADMIN_PASSWORD = 'a thousand shops on one machine';
const ACTOR: Actor = { name: 'cli:bench', from: 'cli' };

/** Runs the scale bench and returns its figures; every process it started is stopped before it returns. */
export async function benchScale(options: ScaleOptions): Promise<ScaleFigures> {
  const orgs = options.orgs ?? 1000;
  const devicesPerOrg = options.devicesPerOrg ?? 10;
  const refreshWindowS = options.refreshWindowS ?? 30;
  const log = options.log ?? ((line: string) => process.stderr.write(`scale: ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'xp-scale-'));
  const sandboxPort = 20000 + Math.floor(Math.random() * 10000);
  const proxyPort = sandboxPort + 1;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const sandboxDbPath = join(dir, 'sandbox.db');
  const children: Child[] = [];
  try {
    const tenants = Array.from({ length: orgs }, (_, i) => tenantOf(i));
    let started = performance.now();
    seedSandbox(sandboxDbPath, tenants);
    log(`${orgs} sandbox organisations seeded in ${seconds(started)} s`);
    const configPath = join(dir, 'xero-proxy.toml');
    writeFileSync(configPath, '');
    const sandboxEnv = { XERO_PROXY_CONFIG: configPath, XERO_PROXY_SANDBOX_DATABASE: sandboxDbPath };
    children.push(startChild([...options.proxyCommand, 'sandbox', '--port', String(sandboxPort), '--host', '127.0.0.1'], sandboxEnv, join(dir, 'sandbox.log')));
    await waitForHttp(`${sandboxUrl}/sandbox/organisations`);
    const app = (await json(`${sandboxUrl}/sandbox/oauth2/apps`, 'POST', { type: 'web', redirectUris: [`${proxyUrl}/connect/oauth2/callback`] })) as { clientId: string; clientSecret: string };

    const dataDir = join(dir, 'proxy');
    const env: Record<string, string> = {
      XERO_PROXY_CONFIG: configPath,
      XERO_PROXY_STORAGE_DATA_DIR: dataDir,
      XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${proxyPort}`,
      XERO_PROXY_SERVER_PUBLIC_URL: proxyUrl,
      XERO_PROXY_XERO_APP_TYPE: 'oauth2',
      XERO_PROXY_XERO_CLIENT_ID: app.clientId,
      XERO_PROXY_XERO_CLIENT_SECRET: app.clientSecret,
      XERO_PROXY_XERO_API_URL: sandboxUrl,
      XERO_PROXY_XERO_LOGIN_URL: sandboxUrl,
      XERO_PROXY_XERO_IDENTITY_URL: sandboxUrl,
      // A password alone: a one-time code cannot be typed by a bench.
      XERO_PROXY_ADMIN_REQUIRE_MFA: 'false',
    };
    started = performance.now();
    const keys = await linkAll(env, dataDir, sandboxUrl, tenants, devicesPerOrg);
    log(`${orgs} organisations linked, ${orgs * devicesPerOrg} devices added, an invoice and a payment accepted for each in ${seconds(started)} s`);

    // SCALE_SERVE_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof-serve") profiles the server alone.
    const serveOptions = process.env['SCALE_SERVE_NODE_OPTIONS'];
    // The request log is read from here on: delivery starts with the server, before it answers /healthz.
    const sandboxDb = openDatabase(sandboxDbPath, { migrations: SANDBOX_MIGRATIONS, readOnly: true });
    const requests = new RequestLog(sandboxDb);
    const servedAt = Date.now();
    // SCALE_SERVE_ENV="MALLOC_ARENA_MAX=2 …" sets variables for the server alone, to weigh their effect on memory.
    const serveEnv = Object.fromEntries((process.env['SCALE_SERVE_ENV'] ?? '').split(' ').filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]));
    const proxy = startChild([...options.proxyCommand, 'serve'], { ...env, ...serveEnv, ...(serveOptions ? { NODE_OPTIONS: serveOptions } : {}) }, join(dir, 'proxy.log'));
    children.push(proxy);
    await waitForHttp(`${proxyUrl}/healthz`);
    const rssAtStartMb = treeRssKb(proxy.pid) / 1024;
    const proxyDb = openDatabase(databasePath(loadConfig({ env, cwd: dataDir })), { migrations: MIGRATIONS, readOnly: true });
    try {
      const open = proxyDb.prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'sending')`).pluck();
      const deadline = Date.now() + 600_000;
      while ((open.get() as number) > 0 && Date.now() < deadline) {
        requests.read();
        await sleep(250);
      }
      requests.read();
      const deliveredS = (Date.now() - servedAt) / 1000;
      const delivered = proxyDb.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'delivered'`).pluck().get() as number;
      const fairness = judgeFairness(proxyDb, requests.writes(), servedAtOf(proxyDb, requests.firstCalls()));
      log(`${delivered} delivered in ${deliveredS.toFixed(1)} s from serve's start; ${fairness.unfair} of ${fairness.batches} batches unfair`);

      const browser = new Browser(proxyUrl);
      await browser.signIn(ADMIN_PASSWORD);
      const overview = await timePage(browser, '/', 7);
      const documents = await timePage(browser, '/documents', 7);
      const search = await timePage(browser, '/documents?q=Shop%200500', 5);
      log(`overview ${overview.median.toFixed(1)} ms (max ${overview.max.toFixed(1)}), documents ${documents.median.toFixed(1)} ms (max ${documents.max.toFixed(1)}), search ${search.median.toFixed(1)} ms`);

      // Settled: no work left, pages served; some seconds for anything deferred to run and be freed.
      await sleep(15_000);
      const rssMb = treeRssKb(proxy.pid) / 1024;
      const split = rssSplitKb(proxy.pid);
      // With SCALE_SERVE_NODE_OPTIONS="--report-on-signal …", the server's own account of its memory now.
      if (process.env['SCALE_REPORT_SIGNAL']) process.kill(proxy.pid, process.env['SCALE_REPORT_SIGNAL'] as NodeJS.Signals);
      log(`idle RSS ${rssMb.toFixed(0)} MB (${(split.anonKb / 1024).toFixed(0)} MB its own, ${(split.fileKb / 1024).toFixed(0)} MB of files; ${rssAtStartMb.toFixed(0)} MB when it first answered)`);

      // Every access token ends at once: Xero's clock moves past their 30 minutes, as after a
      // proxy was off (or its clock wrong) for longer than a token lives. The next document of
      // every organisation then needs a refresh first; the refreshes are what is counted.
      await json(`${sandboxUrl}/sandbox/clock`, 'POST', { advanceSeconds: 1800 });
      const from = requests.lastId;
      await pool(keys, 16, (key, i) => sendInvoice(overHttp(proxyUrl), key, `again-${i}`, i));
      const windowStart = Date.now();
      while (Date.now() - windowStart < refreshWindowS * 1000) {
        requests.read();
        await sleep(500);
      }
      requests.read();
      const refreshes = requests.tokenCalls(from);
      const perSecond = new Map<number, number>();
      for (const at of refreshes) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
      const sweepMaxPerS = Math.max(0, ...perSecond.values());
      log(`${refreshes.length} refreshes in ${refreshWindowS} s, at most ${sweepMaxPerS} in any second`);

      return {
        orgs,
        devices: orgs * devicesPerOrg,
        rssMb: round(rssMb),
        rssAtStartMb: round(rssAtStartMb),
        rssAnonMb: round(split.anonKb / 1024),
        rssFileMb: round(split.fileKb / 1024),
        overviewMs: round(overview.median),
        overviewMaxMs: round(overview.max),
        documentsMs: round(documents.median),
        documentsMaxMs: round(documents.max),
        documentsSearchMs: round(search.median),
        sweepMaxPerS,
        refreshesSeen: refreshes.length,
        refreshWindowS,
        batches: fairness.batches,
        unfairBatches: fairness.unfair,
        lastFirstBatchS: round((fairness.lastFirstAt - servedAt) / 1000),
        deliveredS: round(deliveredS),
        delivered,
      };
    } finally {
      proxyDb.close();
      sandboxDb.close();
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
    if (options.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

type Tenant = SandboxOrganisation;

function tenantOf(i: number): Tenant {
  const n = String(i + 1).padStart(4, '0');
  return { id: `5ca1ab1e-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, name: `Shop ${n}`, legalName: `Shop ${n} Pty Ltd`, shortCode: `!S${n}`, countryCode: 'AU', baseCurrency: 'AUD', timezone: 'AUSEASTERNSTANDARDTIME' };
}

/** The sandbox's database with its demo data and `tenants` (each with the demo's chart of accounts), before its process starts. */
function seedSandbox(path: string, tenants: readonly Tenant[]): void {
  const sandbox = createSandbox({ database: path, settings: { limits: { perMinute: 60, perDay: 5000, concurrency: 5 }, rateLimitStatus: 429, timestampWindowSeconds: 300 }, logger: silentLogger, clock: systemClock });
  try {
    sandbox.deps.db.transaction(() => {
      for (const tenant of tenants) {
        insertOrganisation(sandbox.deps.db, tenant, systemClock);
        seedAccountingDemo(sandbox.deps.db, tenant, systemClock);
      }
    })();
  } finally {
    sandbox.close();
  }
}

/**
 * Links every tenant through its own grant, as the connect page does (the proxy's link service;
 * the person's consent at Xero is the sandbox's approval endpoint), adds its devices with the
 * right to write, and sets the administrator's password; before `serve` starts, in this process,
 * on the proxy's own database and key. Returns one device key per organisation.
 */
async function linkAll(env: Record<string, string>, dataDir: string, sandboxUrl: string, tenants: readonly Tenant[], devicesPerOrg: number): Promise<string[]> {
  createKeyFileIfMissing(join(dataDir, KEY_FILE_NAME));
  const proxy = createProxy(loadConfig({ env, cwd: dataDir }), silentLogger, systemClock);
  try {
    const deps = { ...proxy.deps, actor: ACTOR };
    const keys: string[] = [];
    await pool(tenants, 8, async (tenant, i) => {
      const started = await startLink(deps, {});
      if (started.kind !== 'redirect') throw new Error(`linking ${tenant.name}: expected a redirect to Xero`);
      const approved = (await json(`${sandboxUrl}/sandbox/oauth2/authorize`, 'POST', { authorizeUrl: started.authorizeUrl, organisationIds: [tenant.id], decision: 'allow' })) as { redirect: string };
      const outcome = await completeLink(deps, Object.fromEntries(new URL(approved.redirect).searchParams));
      if (outcome.kind !== 'granted' || outcome.organisations.length !== 1) throw new Error(`linking ${tenant.name}: ${JSON.stringify(outcome)}`);
      const organisation = outcome.organisations[0]!.id;
      // One commit for the organisation's devices: ten fsyncs each would only measure the disk.
      keys[i] = proxy.db.transaction(() => {
        let first = '';
        for (let d = 0; d < devicesPerOrg; d++) {
          const issued = addDevice(deps, { deviceId: `${tenant.shortCode.slice(1)}-TILL-${d + 1}`, organisation, rights: ['write', 'reference'] });
          if (d === 0) first = issued.apiKey;
        }
        return first;
      })();
    });
    await setAdminPassword(deps, ADMIN_PASSWORD);
    // Every shop's day is accepted before delivery starts, through the device API's own handlers
    // (this process has no delivery loop), so that fairness is judged with every organisation's
    // work waiting from the first moment, not by the order it arrived in.
    const send: Poster = async (key, path, body) => {
      const response = await proxy.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 202) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    };
    for (const [i, key] of keys.entries()) await sendDay(send, key, i);
    return keys;
  } finally {
    proxy.db.close();
  }
}

const TODAY = new Date().toISOString().slice(0, 10);

/** Posts a document to the device API with a device's key; throws unless it is accepted (202). */
type Poster = (key: string, path: string, body: unknown) => Promise<void>;

/** A shop's day: an invoice, then its payment naming the invoice by the app's DocumentId (it waits for the invoice). */
async function sendDay(post: Poster, key: string, i: number): Promise<void> {
  await sendInvoice(post, key, `sale-${i}`, i);
  await post(key, '/api/v1/payments', { Payments: [{ Invoice: { DocumentId: `sale-${i}` }, Account: { Code: '090' }, Date: TODAY, Amount: 11.5, Reference: 'EFTPOS' }] });
}

async function sendInvoice(post: Poster, key: string, documentId: string, i: number): Promise<void> {
  await post(key, '/api/v1/invoices', {
    Invoices: [
      {
        DocumentId: documentId,
        Type: 'ACCREC',
        Contact: { Name: 'Cash Customer' },
        Date: TODAY,
        LineAmountTypes: 'Inclusive',
        Status: 'AUTHORISED',
        Reference: `Shop ${String(i + 1).padStart(4, '0')} table 1`,
        LineItems: [{ Description: 'Large Coffee', Quantity: 2, UnitAmount: 5.75, AccountCode: '200', TaxType: 'OUTPUT' }],
      },
    ],
  });
}

/** Posts over HTTP to a running proxy. */
const overHttp = (proxyUrl: string): Poster => async (key, path, body) => {
  const response = await fetch(`${proxyUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 202) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
};

/** The sandbox's request log, copied as it goes: the sandbox keeps only its last 5,000 requests. */
class RequestLog {
  #rows: Array<{ id: number; at: number; method: string; path: string; organisationId: string | null; status: number }> = [];
  lastId = 0;
  readonly #select;
  /** Starts after the requests already logged (the linking's). */
  constructor(db: Db) {
    this.#select = db.prepare('SELECT id, at, method, path, organisation_id, status FROM request_log WHERE id > ? ORDER BY id');
    this.lastId = db.prepare('SELECT COALESCE(MAX(id), 0) FROM request_log').pluck().get() as number;
  }
  read(): void {
    for (const row of this.#select.all(this.lastId) as Array<{ id: number; at: string; method: string; path: string; organisation_id: string | null; status: number }>) {
      this.#rows.push({ id: row.id, at: Date.parse(row.at), method: row.method, path: row.path, organisationId: row.organisation_id, status: row.status });
      this.lastId = row.id;
    }
  }
  /** Write calls of Accounting documents, in the order the sandbox received them. */
  writes(): Array<{ at: number; organisationId: string; path: string }> {
    return this.#rows.filter((row) => (row.method === 'POST' || row.method === 'PUT') && row.path.startsWith('/api.xro/2.0/') && row.organisationId).map((row) => ({ at: row.at, organisationId: row.organisationId!, path: row.path }));
  }
  /** Each organisation's first call of any kind (a look-up of its contacts may come before its first write). */
  firstCalls(): Map<string, number> {
    const first = new Map<string, number>();
    for (const row of this.#rows) if (row.organisationId && !first.has(row.organisationId)) first.set(row.organisationId, row.at);
    return first;
  }
  /** When each token endpoint call after request `from` arrived, in the sandbox's time. */
  tokenCalls(from: number): number[] {
    return this.#rows.filter((row) => row.id > from && row.path === '/connect/token').map((row) => row.at);
  }
}

/**
 * When each organisation (by tenant id) was first served: its first call the sandbox logged, or
 * the first attempt the proxy recorded if sooner. A call whose connection the server closed
 * before reading it (a keep-alive race) never reaches the sandbox's log, but the organisation
 * had its turn; its job is then looked up a little later, as any send of unknown outcome.
 */
function servedAtOf(proxyDb: Db, firstCalls: ReadonlyMap<string, number>): Map<string, number> {
  const attempts = proxyDb
    .prepare('SELECT o.tenant_id AS tenant, MIN(a.attempted_at) AS at FROM job_attempts a JOIN jobs j ON j.id = a.job_id JOIN organisations o ON o.id = j.organisation_id GROUP BY o.tenant_id')
    .all() as Array<{ tenant: string; at: string }>;
  const served = new Map(firstCalls);
  for (const { tenant, at } of attempts) served.set(tenant, Math.min(served.get(tenant) ?? Number.POSITIVE_INFINITY, Date.parse(at)));
  return served;
}

/**
 * A batch is unfair when it is an organisation's second (or later) and reached the sandbox while
 * another organisation had work queued and had not yet been served at all (no call of any kind).
 * The loop keeps up to 64 calls in flight, so near the turn from first to second batches a few
 * may arrive out of the order they were sent in.
 */
function judgeFairness(proxyDb: Db, writes: ReadonlyArray<{ at: number; organisationId: string }>, firstAt: ReadonlyMap<string, number>): { batches: number; unfair: number; lastFirstAt: number } {
  const tenantOf = new Map(
    (proxyDb.prepare('SELECT id, tenant_id FROM organisations').all() as Array<{ id: string; tenant_id: string }>).map((row) => [row.tenant_id, row.id]),
  );
  const queuedAt = new Map(
    (proxyDb.prepare('SELECT organisation_id, MIN(created_at) AS at FROM jobs GROUP BY organisation_id').all() as Array<{ organisation_id: string; at: string }>).map((row) => [row.organisation_id, Date.parse(row.at)]),
  );
  let unfair = 0;
  const seen = new Set<string>();
  for (const write of writes) {
    if (!seen.has(write.organisationId)) {
      seen.add(write.organisationId);
      continue;
    }
    for (const [tenant, organisationId] of tenantOf) {
      const queued = queuedAt.get(organisationId);
      const first = firstAt.get(tenant) ?? Number.POSITIVE_INFINITY;
      if (queued !== undefined && queued < write.at && first > write.at) {
        unfair += 1;
        break;
      }
    }
  }
  return { batches: writes.length, unfair, lastFirstAt: Math.max(0, ...firstAt.values()) };
}

/** A signed-in administrator's browser: a cookie jar, no redirects followed. */
class Browser {
  readonly #cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  async get(path: string): Promise<{ status: number; text: string }> {
    return this.#send(path, { method: 'GET', headers: {} });
  }
  async signIn(password: string): Promise<void> {
    const form = await this.get('/login');
    const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.text)?.[1] ?? '';
    const answer = await this.#send('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.base },
      body: new URLSearchParams({ csrf: field('csrf'), next: field('next'), name: 'admin', password }).toString(),
    });
    if (answer.status !== 303 && answer.status !== 302) throw new Error(`signing in failed: ${answer.status}`);
  }
  async #send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.base), { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return { status: response.status, text: await response.text() };
  }
}

async function timePage(browser: Browser, path: string, times: number): Promise<{ median: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const page = await browser.get(path);
    ms.push(performance.now() - started);
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status}`);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

/** Resident memory of a process and its descendants (a tsx wrapper runs the proxy in a child), in KB. */
function treeRssKb(pid: number): number {
  let kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(/\s+/) : []) kb += treeRssKb(Number(child));
  }
  return kb;
}

/** The process's resident memory split into its own (anonymous) and files' pages (its executable), from smaps_rollup. */
function rssSplitKb(pid: number): { anonKb: number; fileKb: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { anonKb: field('Anonymous'), fileKb: field('Rss') - field('Anonymous') };
}

interface Child {
  pid: number;
  stop(): Promise<void>;
}

function startChild(argv: string[], env: Record<string, string>, logPath: string): Child {
  const out = createWriteStream(logPath);
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      out.end(`\n${argv.join(' ')} exited: code ${code}, signal ${signal}\n`);
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within a minute`);
    await sleep(100);
  }
}

async function json(url: string, method: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const round = (value: number) => Math.round(value * 10) / 10;

if (import.meta.url === `file://${process.argv[1]}`) {
  const orgs = Number(process.env['SCALE_ORGS'] ?? 1000);
  // SCALE_PROXY="dist/xero-proxy" measures the built executable; by default the source runs under tsx.
  const proxyCommand = process.env['SCALE_PROXY']?.split(' ') ?? [process.execPath, '--import', 'tsx', 'src/main.ts'];
  benchScale({ proxyCommand, orgs, keep: process.env['SCALE_KEEP'] === '1' })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
