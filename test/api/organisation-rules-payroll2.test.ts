import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOrganisationsDaily } from '../../src/schedule/jobs';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { currentAlerts } from '../../src/services/alerts';
import { attentionReport } from '../../src/services/attention';
import { setCheckedMapping } from '../../src/services/mappings';
import { callsPerHourSince } from '../../src/store/organisation-usage';
import { asCli } from '../helpers/actor';
import { control } from '../helpers/delivery';
import { pairAndGrant, startGrantWorld, type GrantWorld } from '../helpers/grant-world';
import { whileTimePasses } from '../helpers/linked';

const THAMES = DEMO_ORGANISATIONS[3]!;
const id = (kind: 'earningsRate' | 'employee', n: number) => payrollDemoId(kind, THAMES.id, n);

interface Context {
  world: GrantWorld;
  organisationId: string;
}

const check = suite<Context>('api.organisation-rules-payroll2');

// A UK organisation (Payroll UK, payroll.xro/2.0) with a staff number and an earnings type mapped.
check.before.each(async (context) => {
  context.world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true }, schedule: false } });
  context.organisationId = (await pairAndGrant(context.world, 'BAKERY-TILL', [THAMES.id], THAMES.id)).chosen.id;
  const deps = asCli(context.world.proxy.running.proxy.deps);
  const calls = context.world.proxy.running.proxy.calls;
  await whileTimePasses(context.world, setCheckedMapping(deps, calls, context.organisationId, { kind: 'staff', name: 'B-07', employee: id('employee', 1) }));
  await whileTimePasses(context.world, setCheckedMapping(deps, calls, context.organisationId, { kind: 'earnings', name: 'Basic', rate: id('earningsRate', 1) }));
});
check.after.each(async ({ world }) => world.stop());

/** Runs the daily `check-organisations` job's work now; returns the Xero calls it made. */
async function daily(context: Context): Promise<string[]> {
  const from = context.world.sent.length;
  await whileTimePasses(context.world, checkOrganisationsDaily(context.world.proxy.running.proxy));
  return context.world.sent.slice(from).map((request) => `${request.method} ${new URL(request.url).pathname}`);
}

const day = (context: Context, offsetDays: number) => new Date(context.world.clock.now().getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const alertOf = (context: Context) => currentAlerts(context.world.proxy.running.proxy.deps).find((alert) => alert.cause === 'mapping_target_archived');
const callsCounted = (context: Context) => [...callsPerHourSince(context.world.proxy.running.proxy.deps.db, '2000-01-01T00', context.organisationId).values()].reduce((sum, n) => sum + n, 0);

check('the daily check reads a UK organisation employees and earnings rates from Payroll 2.0, and a clean one raises nothing', async (context) => {
  const counted = callsCounted(context);
  const served = await daily(context);
  assert.ok(served.includes('GET /payroll.xro/2.0/Employees'), served.join(', '));
  assert.ok(served.includes('GET /payroll.xro/2.0/EarningsRates'), served.join(', '));
  assert.not.ok(served.some((call) => call.includes('/payroll.xro/1.0/')), 'nothing asked of Payroll AU 1.0');
  assert.is(callsCounted(context) - counted, served.length, 'every call of the check is counted against the day');
  assert.is(alertOf(context), undefined);
  assert.equal(attentionReport(context.world.proxy.running.proxy.deps).mappingProblems, []);

  // Leaving at the end of next month is not leaving yet.
  await control(context.world, 'POST', `organisations/${THAMES.id}/employees/${id('employee', 1)}/terminate`, { endDate: day(context, 40) });
  await daily(context);
  assert.is(alertOf(context), undefined, 'an employee whose employment has not ended is still a sound target');
});

check('after the sandbox terminates a mapped UK employee, the daily check raises the alert naming the mapping and Needs attention shows it', async (context) => {
  const ended = day(context, -2);
  const terminated = (await control(context.world, 'POST', `organisations/${THAMES.id}/employees/${id('employee', 1)}/terminate`, { endDate: ended })) as { employee: Record<string, unknown> };
  assert.equal([terminated.employee['Status'], terminated.employee['TerminationDate']], ['TERMINATED', `${ended}T00:00:00`]);

  await daily(context);
  const problem = `staff "B-07" → employee ${id('employee', 1)} (Oliver Hughes) has left (terminated in Xero)`;
  const alert = alertOf(context);
  assert.ok(alert, 'an alert is raised');
  assert.is(alert!.summary, `1 mapping of ${THAMES.name} points at something Xero no longer takes: ${problem}. Documents that use it would be refused.`);
  assert.is(alert!.path, '/mappings');
  const [group] = attentionReport(context.world.proxy.running.proxy.deps).mappingProblems;
  assert.equal([group!.organisationName, group!.problems], [THAMES.name, [problem]]);

  // Taken back on in Xero, the next day's check finds nothing.
  await control(context.world, 'POST', `organisations/${THAMES.id}/employees/${id('employee', 1)}/reinstate`);
  await daily(context);
  assert.is(alertOf(context), undefined);
});

check('an earnings rate archived in Payroll UK is found by the daily check; one restored is sound again', async (context) => {
  const archived = (await control(context.world, 'POST', `organisations/${THAMES.id}/earnings-rates/${id('earningsRate', 1)}/archive`)) as { earningsRate: Record<string, unknown> };
  assert.is(archived.earningsRate['CurrentRecord'], false);
  await daily(context);
  const [group] = attentionReport(context.world.proxy.running.proxy.deps).mappingProblems;
  assert.equal(group!.problems, [`earnings "Basic" → earnings rate ${id('earningsRate', 1)} (Ordinary Hours) is archived in Xero`]);
  assert.ok(alertOf(context));

  await control(context.world, 'POST', `organisations/${THAMES.id}/earnings-rates/${id('earningsRate', 1)}/restore`);
  await daily(context);
  assert.equal(attentionReport(context.world.proxy.running.proxy.deps).mappingProblems, []);
});

check('the control routes refuse an unknown employee or earnings rate and an end date that is not a date', async (context) => {
  const post = (path: string, body?: unknown) => fetch(`${context.world.sandbox.url}/sandbox/organisations/${THAMES.id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  assert.is((await post(`employees/${payrollDemoId('employee', THAMES.id, 99)}/terminate`)).status, 404);
  assert.is((await post('earnings-rates/not-a-guid/archive')).status, 404);
  const bad = await post(`employees/${id('employee', 1)}/terminate`, { endDate: '30/11/2026' });
  assert.is(bad.status, 400);
  assert.match(await bad.text(), 'endDate: must be a date, YYYY-MM-DD.');
});

check.run();
