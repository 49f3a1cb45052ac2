import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renewExpiringTokens, sendAlerts } from '../../src/schedule/jobs';
import { seedAccountingDemo } from '../../src/sandbox/accounting/demo-data';
import { insertOrganisation } from '../../src/sandbox/organisations';
import { completeLink, startLink } from '../../src/services/linking';
import { immediate } from '../../src/store/db';
import { markNeedsRelink } from '../../src/store/organisations';
import { asCli } from '../helpers/actor';
import { enqueue, insertDevice, invoicePayload } from '../helpers/delivery';
import { approveAtXero, startGrantWorld } from '../helpers/grant-world';
import { recordStatements } from '../helpers/statement-recorder';
import { Browser, givenAdminPassword } from '../helpers/web';

const plans = suite('store.query-plans');

const SHOPS = 3;

/** Tables small by nature, which may be read whole: why each stays small. */
const TINY_TABLES: Record<string, string> = {
  CONSTANT: 'the one row of a SELECT without FROM, whose subqueries are checked as steps of their own',
  sqlite_master: "the schema: a few dozen rows, read when a migration's table is looked for",
  administrators: 'the people who run the proxy: a handful',
  mapping_problems: 'one row per unmapped code an app sent an organisation, cleared when mapped: tens',
};

/** Statements that must read a large table whole or an organisation's whole history, and why that is right. */
const WHOLE_READS: Array<{ sql: RegExp; reason: string }> = [
  { sql: /^SELECT \* FROM organisations ORDER BY/, reason: 'lists every organisation (the sweep visits each, the pages show each): it reads what it returns' },
  { sql: /^SELECT o\.id FROM organisations o WHERE EXISTS \(SELECT 1 FROM jobs WHERE status = 'queued'/, reason: 'the loop asks every organisation once a poll whether it has work ready: two index seeks each, no job read' },
  { sql: /^SELECT \* FROM devices ORDER BY/, reason: 'the devices page lists every device: it reads what it returns' },
  { sql: /^SELECT COUNT\(\*\) FROM jobs\s*$/, reason: "the documents list's total: counted in the narrowest index, without reading a row" },
  { sql: /^SELECT COUNT\(\*\) FROM jobs WHERE organisation_id = \?\s*$/, reason: "the total of one organisation's documents: counted in an index, without reading a row" },
  { sql: /^SELECT id, expires_at, authorization_expires_at FROM token_sets\s*$/, reason: 'the overview shows every grant\'s ends: one row per grant, read without its sealed tokens' },
  { sql: /^SELECT COUNT\(\*\) FROM devices\s*$/, reason: 'whether the documents filter lists devices to pick from: counted in an index, without reading a row' },
  { sql: /json_extract\(payload, '\$\.Reference'\) LIKE/, reason: "a search for text inside the app's Reference, which no index can serve; the page stops when it is full" },
];

/** The table a plan's name stands for: itself, or the table the statement gives that alias. */
function tableOf(sql: string, name: string): string {
  const aliased = new RegExp(`\\b(?:FROM|JOIN)\\s+(\\w+)\\s+(?:AS\\s+)?${name}\\b`, 'i').exec(sql);
  return aliased ? aliased[1]! : name;
}

/**
 * What is wrong with a statement's plan, if anything: a whole large table read (SCAN), or jobs read
 * by organisation (and kind) alone, which is the organisation's whole history, unless the read
 * walks an index in the order asked and stops at the page's LIMIT.
 */
function planProblem(sql: string, plan: readonly string[]): string | undefined {
  const text = sql.replace(/\s+/g, ' ').trim();
  if (WHOLE_READS.some(({ sql: pattern }) => pattern.test(text))) return undefined;
  const orderedPage = /\bLIMIT\b/i.test(text) && !plan.some((step) => /TEMP B-TREE FOR ORDER BY/.test(step));
  for (const step of plan) {
    const scan = /^SCAN (\w+)/.exec(step);
    const table = scan ? tableOf(text, scan[1]!) : undefined;
    if (table && !TINY_TABLES[table] && !(orderedPage && /USING (COVERING )?INDEX/.test(step))) return `reads all of ${table}`;
    // An INSERT's searches are its foreign-key checks, which stop at the first row found.
    const history = /^SEARCH (\w+) USING (COVERING )?INDEX \w+ \(organisation_id=\?( AND kind=\?)?\)$/.exec(step);
    if (history && !/^INSERT/i.test(text) && tableOf(text, history[1]!) === 'jobs' && !orderedPage) return "reads an organisation's whole history of jobs";
  }
  return undefined;
}

plans('every statement the delivery loop, the renewal sweep, the alerts and the console pages run reads the queue tables through an index', async () => {
  const world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true, batchSize: 2 } } });
  const proxy = world.proxy.running.proxy;
  const recorder = recordStatements(proxy.db);
  try {
    const sandboxDeps = world.sandbox.sandbox.deps;
    const tenants = Array.from({ length: SHOPS }, (_, i) => ({
      id: `91a40000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      name: `Shop ${i + 1}`, legalName: `Shop ${i + 1} Pty Ltd`, shortCode: `!Qp${i + 1}`, countryCode: 'AU', baseCurrency: 'AUD', timezone: 'AUSEASTERNSTANDARDTIME',
    }));
    immediate(sandboxDeps.db, () => {
      for (const tenant of tenants) {
        insertOrganisation(sandboxDeps.db, tenant, sandboxDeps.clock);
        seedAccountingDemo(sandboxDeps.db, tenant, sandboxDeps.clock);
      }
    });
    const deps = proxy.deps;
    const started = await startLink(asCli(deps), {});
    if (started.kind !== 'redirect') throw new Error('expected a redirect to Xero');
    const outcome = await completeLink(deps, Object.fromEntries(new URL(await approveAtXero(world, started.authorizeUrl, tenants.map((t) => t.id))).searchParams));
    if (outcome.kind !== 'granted') throw new Error(JSON.stringify(outcome));
    const [first, second, third] = outcome.organisations;
    for (const [i, organisation] of outcome.organisations.entries()) {
      const device = insertDevice(deps, organisation.id, `POS-${i + 1}`);
      enqueue(deps, device, organisation.id, 'invoice', [{ payload: invoicePayload(i * 10 + 1) }, { payload: invoicePayload(i * 10 + 2) }, { payload: invoicePayload(i * 10 + 3, { LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '999999', TaxType: 'OUTPUT' }] }) }]);
    }
    markNeedsRelink(deps.db, deps.clock, [third!.id], 'Xero refused to refresh this grant; link the organisation again.');
    const loop = world.proxy.running.delivery!;
    for (let round = 0; round < 5; round++) {
      await loop.tick();
      loop.nextWakeAt();
      await world.advance(2);
    }
    await world.advance(3600);
    await renewExpiringTokens(proxy);
    await sendAlerts(proxy);
    await givenAdminPassword(deps);
    const browser = new Browser(world.proxy.url);
    await browser.signIn();
    const paths = ['/', '/documents', '/documents?q=Table', '/documents?status=failed', `/documents?organisation=${first!.id}`, '/attention', '/organisations', '/devices'];
    for (const path of paths) {
      const page = await browser.get(path);
      assert.is(page.status, 200, path);
    }
    void second;
    recorder.stop();
    const statements = recorder.statements();
    assert.ok(statements.some(({ sql }) => /INDEXED BY jobs_due_by_kind/.test(sql)), 'the loop claimed work');
    assert.ok(statements.some(({ sql }) => /json_extract\(payload, '\$\.Reference'\) LIKE/.test(sql)), 'the documents were searched');
    assert.ok(statements.some(({ sql }) => /FROM organisation_usage WHERE day >= \?/.test(sql)), 'the overview read the calls per day');
    const problems: string[] = [];
    for (const { sql, args } of statements) {
      if (!/^\s*(SELECT|UPDATE|DELETE|WITH|INSERT)/i.test(sql)) continue;
      const plan = (proxy.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((row) => row.detail);
      const problem = planProblem(sql, plan);
      if (problem) problems.push(`${problem}\n    ${sql.replace(/\s+/g, ' ').slice(0, 240)}\n    ${plan.join(' | ')}`);
    }
    assert.equal(problems, [], problems.join('\n'));
  } finally {
    recorder.stop();
    await world.stop();
  }
});

plans.run();
