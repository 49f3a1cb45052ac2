import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runCli } from '../helpers/cli';
import { control, ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, tickClocks } from '../helpers/linked';

interface Context {
  world: DeliveryWorld;
  key: string;
  cli: (args: string[]) => ReturnType<typeof runCli>;
}

const ORG = DEMO_ORGANISATIONS[0]!;
/** Mia Nguyen, a barista on the weekly calendar (weeks start on Mondays from 2026-01-05). */
const MIA = payrollDemoId('employee', ORG.id, 1);
const LIAM = payrollDemoId('employee', ORG.id, 2);
const ORDINARY = payrollDemoId('earningsRate', ORG.id, 1);
const SATURDAY = payrollDemoId('earningsRate', ORG.id, 3);

const timesheets = suite<Context>('api.payroll-timesheets');

async function start(context: Context, delivery: { manual: boolean }): Promise<void> {
  const linked = await startWorld('private', { organisationId: ORG.id, proxy: { delivery } });
  const { outcome, pairingId } = await pairAndLink(linked, 'ROSTER-PC');
  if (outcome.kind !== 'linked') throw new Error('not linked');
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(context.world, pairingId);
  const cwd = mkdtempSync(join(tmpdir(), 'xp-map-'));
  const env = {
    XERO_PROXY_STORAGE_DATA_DIR: linked.proxy.dataDir,
    XERO_PROXY_XERO_APP_TYPE: 'private',
    XERO_PROXY_XERO_API_URL: linked.sandbox.url,
    XERO_PROXY_XERO_CONSUMER_KEY: linked.app.consumerKey,
  };
  context.cli = (args) => runCli(args, { cwd, env });
}
timesheets.after.each(async ({ world }) => world.stop());

const week = (employee: Record<string, string>, start = '2026-11-16', end = '2026-11-22', units = [7.6, 7.6, 7.6, 7.6, 7.6, 0, 0]) => ({
  ...employee,
  StartDate: start,
  EndDate: end,
  TimesheetLines: [{ EarningsRateID: ORDINARY, NumberOfUnits: units }],
});

function post(context: Context, body: string, contentType = 'application/json', query = ''): Promise<Response> {
  return fetch(`${context.world.proxy.url}/api/v1/payroll/timesheets${query}`, { method: 'POST', headers: { authorization: `Bearer ${context.key}`, 'content-type': contentType }, body });
}

const jobsOf = async (response: Response) => ((await response.json()) as { jobs: Array<{ id: string; status: string; duplicateOf?: string }> }).jobs;
const job = async (context: Context, id: string) => (await (await fetch(`${context.world.proxy.url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${context.key}` } })).json()) as Record<string, unknown>;

timesheets('timesheets in JSON by EmployeeID and in XML by mapped staff number and earnings type reach Payroll once each', async (context) => {
  await start(context, { manual: true });
  const mapped = await context.cli(['map', 'set', 'staff', 'E-017', '--employee', LIAM]);
  assert.is(mapped.code, 0, mapped.stderr);
  assert.is((await context.cli(['map', 'set', 'earnings', 'Saturday', '--rate', SATURDAY])).code, 0);

  const json = await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA })] }));
  assert.is(json.status, 202, await json.clone().text());
  const xml = await post(
    context,
    `<Timesheets><Timesheet><staffNumber>E-017</staffNumber><StartDate>2026-11-16</StartDate><EndDate>2026-11-22</EndDate>
      <TimesheetLines><TimesheetLine><earningsType>Saturday</earningsType><NumberOfUnits>${[0, 0, 0, 0, 0, 6, 0].map((n) => `<NumberOfUnit>${n}</NumberOfUnit>`).join('')}</NumberOfUnits></TimesheetLine></TimesheetLines>
    </Timesheet></Timesheets>`,
    'application/xml',
  );
  assert.is(xml.status, 202, await xml.clone().text());
  assert.match(xml.headers.get('content-type') ?? '', /xml/);
  const [mia] = await jobsOf(json);
  const liamJob = /<id>(job_[^<]+)<\/id>/.exec(await xml.text())![1]!;

  await runUntilSettled(context.world);
  const [delivered, liam] = [await job(context, mia!.id), await job(context, liamJob)];
  assert.is(delivered['status'], 'delivered');
  assert.is(liam['status'], 'delivered');
  const stored = await ledger(context.world, 'Timesheet');
  assert.equal(stored.map((doc) => doc.id).sort(), [delivered['xeroId'], liam['xeroId']].sort());
  const liamStored = stored.find((doc) => doc.id === liam['xeroId'])!.body as { EmployeeID: string; TimesheetLines: Array<{ EarningsRateID: string; NumberOfUnits: number[] }> };
  assert.is(liamStored.EmployeeID, LIAM);
  assert.equal(liamStored.TimesheetLines[0]!.EarningsRateID, SATURDAY);

  // The same employee and period again is the same timesheet: nothing new is queued or sent.
  const again = await jobsOf(await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA }, '2026-11-16', '2026-11-22', [8, 8, 8, 8, 8, 0, 0])] })));
  assert.is(again[0]!.duplicateOf, mia!.id);
  const { requests } = (await control(context.world, 'GET', 'requests?limit=100')) as { requests: Array<{ method: string; path: string }> };
  assert.is(requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Timesheets')).length, 1, 'both timesheets went in one request');
});

timesheets('a timesheet with an unknown staff number is accepted and held with each path; the others go; once mapped it is delivered, and a resend is the same timesheet', async (context) => {
  await start(context, { manual: true });
  const unknown = { staffNumber: 'E-404', StartDate: '2026-11-16', EndDate: '2026-11-22', TimesheetLines: [{ earningsType: 'Night shift', NumberOfUnits: [1, 1, 1, 1, 1, 0, 0] }] };
  const response = await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA }), unknown] }));
  assert.is(response.status, 202, await response.clone().text());
  const [mia, held] = (await response.json() as { jobs: Array<{ id: string; status: string; missing?: Array<{ field: string; kind: string; name: string }> }> }).jobs;
  assert.is(mia!.status, 'queued');
  assert.is(held!.status, 'held');
  assert.equal(held!.missing!.map((m) => [m.field, m.kind, m.name]), [['Timesheets[1].staffNumber', 'staff', 'E-404'], ['Timesheets[1].TimesheetLines[0].earningsType', 'earnings', 'Night shift']]);
  await runUntilSettled(context.world);
  assert.is((await job(context, mia!.id))['status'], 'delivered');
  const waiting = await job(context, held!.id);
  assert.equal([waiting['status'], waiting['cause']], ['held', 'mapping_missing']);
  assert.equal((waiting['missing'] as unknown[]).length, 2);

  assert.is((await context.cli(['map', 'set', 'staff', 'E-404', '--employee', LIAM])).code, 0);
  assert.equal(((await job(context, held!.id))['missing'] as Array<{ kind: string }>).map((m) => m.kind), ['earnings'], 'one name is left');
  const last = await context.cli(['map', 'set', 'earnings', 'Night shift', '--rate', ORDINARY]);
  assert.match(last.stdout, '1 waiting job was built and queued for Xero.');
  await runUntilSettled(context.world);
  const delivered = await job(context, held!.id);
  assert.is(delivered['status'], 'delivered', JSON.stringify(delivered));
  const stored = (await ledger(context.world, 'Timesheet')).find((doc) => doc.id === delivered['xeroId'])!.body as { EmployeeID: string; TimesheetLines: Array<{ EarningsRateID: string }> };
  assert.equal([stored.EmployeeID, stored.TimesheetLines[0]!.EarningsRateID], [LIAM, ORDINARY]);

  // Sent again by its staff number, now mapped, it is the timesheet already delivered.
  const again = await jobsOf(await post(context, JSON.stringify({ Timesheets: [unknown] })));
  assert.is(again[0]!.duplicateOf, held!.id);
});

timesheets("Payroll refuses one timesheet of a batch: it fails with Xero's words, the other is found saved, not sent again", async (context) => {
  await start(context, { manual: true });
  // Six days is not a pay period of Mia's weekly calendar.
  const response = await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA }, '2026-11-16', '2026-11-21', [7.6, 7.6, 7.6, 7.6, 7.6, 0]), week({ EmployeeID: LIAM })] }));
  const [short, good] = await jobsOf(response);
  await runUntilSettled(context.world);
  const refused = await job(context, short!.id);
  assert.is(refused['status'], 'failed');
  assert.ok((refused['ValidationErrors'] as string[]).length > 0, JSON.stringify(refused));
  const saved = await job(context, good!.id);
  assert.is(saved['status'], 'delivered');
  const stored = await ledger(context.world, 'Timesheet');
  assert.equal(stored.map((doc) => doc.id), [saved['xeroId']]);
  assert.is(context.world.loop.stats.found, 1, 'the saved one was settled by a look-up');
  assert.is(context.world.loop.stats.writes, 1);
});

timesheets('a send whose answer is lost after Payroll saved it is looked up, never doubled', async (context) => {
  await start(context, { manual: true });
  await control(context.world, 'PUT', 'faults', { dropAfterCommitRate: 1, writesOnly: true });
  const [sent] = await jobsOf(await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA })] })));
  await context.world.loop.drain();
  await control(context.world, 'DELETE', 'faults');
  await runUntilSettled(context.world);
  const settled = await job(context, sent!.id);
  assert.is(settled['status'], 'delivered');
  const stored = await ledger(context.world, 'Timesheet');
  assert.is(stored.length, 1);
  assert.is(stored[0]!.id, settled['xeroId']);
  assert.is(context.world.loop.stats.found, 1);
});

timesheets("?wait= answers 200 with Xero's TimesheetID once delivered, and 422 with Xero's words when refused", async (context) => {
  await start(context, { manual: false });
  const ok = await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: MIA })] }), 'application/json', '?wait=20');
  assert.is(ok.status, 200, await ok.clone().text());
  const { jobs } = (await ok.json()) as { jobs: Array<{ status: string; xeroId: string }> };
  assert.is(jobs[0]!.status, 'delivered');
  assert.equal((await ledger(context.world, 'Timesheet')).map((doc) => doc.id), [jobs[0]!.xeroId]);
  // The test's clock stands still unless moved, and the pacer spaces calls a second apart.
  const ticking = tickClocks(context.world);
  const refused = await post(context, JSON.stringify({ Timesheets: [week({ EmployeeID: LIAM }, '2026-11-16', '2026-11-21', [1, 1, 1, 1, 1, 1])] }), 'application/json', '?wait=20').finally(() => ticking.stop());
  assert.is(refused.status, 422, await refused.clone().text());
  const body = (await refused.json()) as { jobs: Array<{ status: string; ValidationErrors: string[] }> };
  assert.is(body.jobs[0]!.status, 'failed');
  assert.ok(body.jobs[0]!.ValidationErrors.length > 0);
});

timesheets('approve: true reaches Payroll AU 1.0 as Status APPROVED in the same single write', async (context) => {
  await start(context, { manual: true });
  const [sent] = await jobsOf(await post(context, JSON.stringify({ Timesheets: [{ ...week({ EmployeeID: MIA }), approve: true }] })));
  await runUntilSettled(context.world);
  assert.is((await job(context, sent!.id))['status'], 'delivered');
  const stored = await ledger(context.world, 'Timesheet');
  assert.equal(stored.map((doc) => doc.body['Status']), ['APPROVED']);
  assert.is(context.world.loop.stats.writes, 1);
});

timesheets.run();
