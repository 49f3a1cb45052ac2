import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { listAuditRecords } from '../../src/store/audit';
import { findCachedList } from '../../src/store/reference-cache';
import { findOrganisation } from '../../src/store/organisations';
import { findJob } from '../../src/store/jobs';
import { addDevice } from '../../src/services/devices';
import { asCli } from '../helpers/actor';
import { runCli } from '../helpers/cli';
import { control, ledger, runUntilSettled } from '../helpers/delivery';
import { pairAndGrant, startGrantWorld, type GrantWorld } from '../helpers/grant-world';
import { collectKey, pairAndLink, startWorld, tickClocks } from '../helpers/linked';

const [CAFE, , KAURI, THAMES] = DEMO_ORGANISATIONS as unknown as Array<(typeof DEMO_ORGANISATIONS)[0]>;
const id = (kind: 'calendar' | 'earningsRate' | 'employee', org: { id: string }, n: number) => payrollDemoId(kind, org.id, n);

interface Context {
  world: GrantWorld;
  cli: (args: string[]) => ReturnType<typeof runCli>;
}

const payroll2 = suite<Context>('api.payroll2-timesheets');

payroll2.before.each(async (context) => {
  context.world = await startGrantWorld('oauth2', { proxy: { delivery: { manual: true } } });
  const cwd = mkdtempSync(join(tmpdir(), 'xp-payroll2-'));
  context.cli = (args) => runCli(args, { cwd, env: context.world.env });
});
payroll2.after.each(async ({ world }) => world.stop());

/** A device linked to `org`, with its key, as an app would hold it. */
async function device(context: Context, deviceId: string, org: { id: string }): Promise<{ key: string; organisationId: string }> {
  const { pairingId, chosen } = await pairAndGrant(context.world, deviceId, [CAFE!.id, KAURI!.id, THAMES!.id], org.id);
  return { key: await collectKey(context.world, pairingId), organisationId: chosen.id };
}

const loopOf = (world: GrantWorld) => ({ loop: world.proxy.running.delivery!, deps: world.proxy.running.proxy.deps, clock: world.clock, advance: world.advance });

/** Runs the loop a round at a time, the clocks moving past the pacer's spacing, until `done` holds. */
async function stepUntil(world: GrantWorld, done: () => boolean | Promise<boolean>): Promise<void> {
  const { loop } = loopOf(world);
  for (let round = 0; round < 50; round++) {
    if (await done()) return;
    await world.advance(2);
    await loop.tick();
  }
  throw new Error('the loop never got there');
}

async function post(context: Context, key: string, body: unknown): Promise<Array<{ id: string; status: string }>> {
  const response = await fetch(`${context.world.proxy.url}/api/v1/payroll/timesheets`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.is(response.status, 202, await response.clone().text());
  return ((await response.json()) as { jobs: Array<{ id: string; status: string }> }).jobs;
}

const job = async (context: Context, key: string, jobId: string) => (await (await fetch(`${context.world.proxy.url}/api/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<string, unknown>;
const timesheetsOf = async (context: Context, org: { id: string }) => (await ledger(context.world, 'PayrollTimesheet2')).filter((doc) => (doc as unknown as { organisationId: string }).organisationId === org.id);

/** A week of units, Monday to Sunday, from 2026-11-16 (a Monday, as every demo weekly calendar's periods start). */
const week = (who: Record<string, string>, line: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  Timesheets: [{ ...who, StartDate: '2026-11-16', EndDate: '2026-11-22', approve: true, TimesheetLines: [{ ...line, NumberOfUnits: [8, 7.5, 0, 8, 6, 0, 0] }], ...extra }],
});

payroll2('a UK, an NZ and an AU 2.0 organisation each receive an approved timesheet in Payroll 2.0 through POST /api/v1/payroll/timesheets', async (context) => {
  const uk = await device(context, 'BAKERY-TILL', THAMES!);
  const nz = await device(context, 'HARDWARE-PC', KAURI!);
  const au = await device(context, 'CAFE-ROSTER', CAFE!);

  // The UK app sends its own staff number and earnings type, mapped against Payroll UK's lists.
  const mappedStaff = await context.cli(['map', 'set', 'staff', 'B-07', '--employee', id('employee', THAMES!, 1), '--org', uk.organisationId]);
  assert.is(mappedStaff.code, 0, mappedStaff.stderr);
  const mappedRate = await context.cli(['map', 'set', 'earnings', 'Basic', '--rate', id('earningsRate', THAMES!, 1), '--org', uk.organisationId]);
  assert.is(mappedRate.code, 0, mappedRate.stderr);
  // An Australian organisation moved to Payroll 2.0 at Xero is set so at the proxy, audited.
  await control(context.world, 'PUT', `organisations/${CAFE!.id}/payroll`, { api: '2.0' });
  const set = await context.cli(['org', 'payroll', au.organisationId, '2.0']);
  assert.is(set.code, 0, set.stderr);
  assert.match(set.stdout, "Harbourside Café's timesheets now go to Payroll 2.0 (payroll.xro/2.0).");
  const audit = listAuditRecords(context.world.proxy.running.proxy.deps.db, { action: 'organisation.payroll_api_changed', limit: 10 });
  assert.equal(audit.map((entry) => [entry.subject, entry.changes]), [['Harbourside Café', { payrollApi: { from: '1.0', to: '2.0' }, timesheetsRebuilt: 0 }]]);
  const ukRefused = await context.cli(['org', 'payroll', uk.organisationId, '1.0']);
  assert.is(ukRefused.code === 0, false);
  assert.match(ukRefused.stderr, "Thames Bakery's payroll API cannot be chosen: its UK payroll is always on Payroll 2.0.");

  const [ukJob] = await post(context, uk.key, week({ staffNumber: 'B-07' }, { earningsType: 'Basic' }));
  const [nzJob] = await post(context, nz.key, week({ EmployeeID: id('employee', KAURI!, 1) }, { EarningsRateID: id('earningsRate', KAURI!, 1) }));
  const [auJob] = await post(context, au.key, week({ EmployeeID: id('employee', CAFE!, 1) }, { EarningsRateID: id('earningsRate', CAFE!, 1) }));
  await runUntilSettled(loopOf(context.world));

  for (const [org, sent, key, employee] of [[THAMES!, ukJob!, uk.key, id('employee', THAMES!, 1)], [KAURI!, nzJob!, nz.key, id('employee', KAURI!, 1)], [CAFE!, auJob!, au.key, id('employee', CAFE!, 1)]] as const) {
    const settled = await job(context, key, sent.id);
    assert.is(settled['status'], 'delivered', JSON.stringify(settled));
    const stored = await timesheetsOf(context, org);
    assert.is(stored.length, 1, `${org.name} holds one timesheet`);
    const body = stored[0]!.body;
    assert.is(stored[0]!.id, settled['xeroId']);
    assert.equal([body['employeeID'], body['payrollCalendarID'], body['status'], body['startDate'], body['endDate'], body['totalHours']], [employee, id('calendar', org, 1), 'Approved', '2026-11-16T00:00:00', '2026-11-22T00:00:00', 29.5]);
    assert.equal((body['timesheetLines'] as Array<{ date: string; numberOfUnits: number }>).map((line) => [line.date.slice(0, 10), line.numberOfUnits]), [['2026-11-16', 8], ['2026-11-17', 7.5], ['2026-11-19', 8], ['2026-11-20', 6]]);
  }
  const payroll1 = context.world.sent.filter((request) => request.url.includes('/payroll.xro/1.0/Timesheets'));
  assert.equal(payroll1, [], 'nothing went to Payroll AU 1.0');
  const creates = context.world.sent.filter((request) => request.method === 'POST' && request.url.endsWith('/payroll.xro/2.0/Timesheets'));
  assert.is(creates.length, 3);
  for (const create of creates) assert.match(create.headers['Idempotency-Key']!, /^xp-[A-Za-z0-9_-]{43}$/);
  // The UK employee's calendar came from the list read when the staff number was mapped; the others' from Xero's employee.
  const employeeReads = context.world.sent.filter((request) => /\/payroll\.xro\/2\.0\/Employees\/[0-9a-f-]{36}$/.test(request.url)).map((request) => request.url.slice(-36));
  assert.equal(employeeReads.sort(), [id('employee', CAFE!, 1), id('employee', KAURI!, 1)].sort());
});

payroll2('a timesheet queued for Payroll AU 1.0 goes to Payroll 2.0 once the organisation is moved there before it is sent', async (context) => {
  const au = await device(context, 'CAFE-ROSTER', CAFE!);
  const [queued] = await post(context, au.key, week({ EmployeeID: id('employee', CAFE!, 2) }, { EarningsRateID: id('earningsRate', CAFE!, 1) }));
  const { deps } = context.world.proxy.running.proxy;
  assert.is(findJob(deps.db, queued!.id)!.payload['Status'], 'APPROVED', 'built for Payroll AU 1.0 first');
  await control(context.world, 'PUT', `organisations/${CAFE!.id}/payroll`, { api: '2.0' });
  const set = await context.cli(['org', 'payroll', au.organisationId, '2.0']);
  assert.is(set.code, 0, set.stderr);
  assert.match(set.stdout, "Harbourside Café's timesheets now go to Payroll 2.0 (payroll.xro/2.0). 1 timesheet not yet in Xero goes there too.");
  assert.is(findJob(deps.db, queued!.id)!.payload['payrollApi'], '2.0');
  await runUntilSettled(loopOf(context.world));
  assert.is((await job(context, au.key, queued!.id))['status'], 'delivered');
  const stored = await timesheetsOf(context, CAFE!);
  assert.equal(stored.map((doc) => [doc.body['employeeID'], doc.body['status']]), [[id('employee', CAFE!, 2), 'Approved']]);
  assert.equal(context.world.sent.filter((request) => request.url.includes('/payroll.xro/1.0/Timesheets')), []);
});

payroll2('a request of three timesheets becomes three Payroll 2.0 timesheets, each created and approved by its own calls, weekly and fortnightly alike', async (context) => {
  const nz = await device(context, 'HARDWARE-PC', KAURI!);
  const rate = { EarningsRateID: id('earningsRate', KAURI!, 1) };
  const weekly = (n: number) => week({ EmployeeID: id('employee', KAURI!, n) }, rate).Timesheets[0]!;
  const fortnight = { EmployeeID: id('employee', KAURI!, 3), StartDate: '2026-11-16', EndDate: '2026-11-29', approve: true, TimesheetLines: [{ ...rate, NumberOfUnits: [8, 8, 8, 8, 8, 0, 0, 8, 8, 8, 8, 8, 0, 0] }] };
  const jobs = await post(context, nz.key, { Timesheets: [weekly(1), weekly(2), fortnight] });
  await runUntilSettled(loopOf(context.world));
  for (const sent of jobs) assert.is((await job(context, nz.key, sent.id))['status'], 'delivered');
  const stored = await timesheetsOf(context, KAURI!);
  assert.equal(stored.map((doc) => [doc.body['employeeID'], doc.body['endDate'], doc.body['status'], doc.body['totalHours']]), [
    [id('employee', KAURI!, 1), '2026-11-22T00:00:00', 'Approved', 29.5],
    [id('employee', KAURI!, 2), '2026-11-22T00:00:00', 'Approved', 29.5],
    [id('employee', KAURI!, 3), '2026-11-29T00:00:00', 'Approved', 80],
  ]);
  const writes = context.world.sent.filter((request) => request.method === 'POST' && request.url.includes('/payroll.xro/2.0/'));
  assert.equal([writes.filter((r) => r.url.endsWith('/Timesheets')).length, writes.filter((r) => r.url.endsWith('/Approve')).length], [3, 3]);
});

payroll2('a create whose answer is lost after Xero saved it is looked up by employee and start date and adopted: no second timesheet, approved once', async (context) => {
  const uk = await device(context, 'BAKERY-TILL', THAMES!);
  await control(context.world, 'PUT', 'faults', { dropAfterCommitRate: 1, writesOnly: true });
  const [sent] = await post(context, uk.key, week({ EmployeeID: id('employee', THAMES!, 2) }, { EarningsRateID: id('earningsRate', THAMES!, 1) }));
  const world = loopOf(context.world);
  const creates = () => context.world.sent.filter((request) => request.method === 'POST' && request.url.endsWith('/payroll.xro/2.0/Timesheets'));
  await stepUntil(context.world, () => creates().length === 1);
  assert.is((await timesheetsOf(context, THAMES!)).length, 1, 'Xero saved it, but its answer was lost');
  await control(context.world, 'DELETE', 'faults');
  await runUntilSettled(world);

  const settled = await job(context, uk.key, sent!.id);
  assert.is(settled['status'], 'delivered', JSON.stringify(settled));
  const stored = await timesheetsOf(context, THAMES!);
  assert.is(stored.length, 1, 'the resend created no second timesheet');
  assert.is(stored[0]!.id, settled['xeroId']);
  assert.is(stored[0]!.body['status'], 'Approved');
  assert.is(world.loop.stats.found, 1);
  const lookups = context.world.sent.filter((request) => request.method === 'GET' && request.url.includes('/payroll.xro/2.0/Timesheets?'));
  assert.equal(lookups.map((request) => new URL(request.url).searchParams.get('filter')), [`employeeId==${id('employee', THAMES!, 2)}`]);
  assert.is(new URL(lookups[0]!.url).searchParams.get('startDate'), '2026-11-16');
  assert.is(creates().length, 1, 'sent once, never again');
});

payroll2('an approval whose answer is lost is read back and found approved, so it is not approved again', async (context) => {
  const nz = await device(context, 'HARDWARE-PC', KAURI!);
  const [sent] = await post(context, nz.key, week({ EmployeeID: id('employee', KAURI!, 2) }, { EarningsRateID: id('earningsRate', KAURI!, 1) }));
  const world = loopOf(context.world);
  // Step by step: the employee's calendar, then the create; the approval's answer is then lost.
  await stepUntil(context.world, async () => (await timesheetsOf(context, KAURI!)).length === 1);
  assert.is((await timesheetsOf(context, KAURI!))[0]!.body['status'], 'Draft');
  await control(context.world, 'PUT', 'faults', { dropAfterCommitRate: 1, writesOnly: true });
  const approvals = () => context.world.sent.filter((request) => request.method === 'POST' && request.url.endsWith('/Approve'));
  await stepUntil(context.world, () => approvals().length === 1);
  assert.is((await timesheetsOf(context, KAURI!))[0]!.body['status'], 'Approved', 'Xero approved it, but its answer was lost');
  await control(context.world, 'DELETE', 'faults');
  await runUntilSettled(world);

  const settled = await job(context, nz.key, sent!.id);
  assert.is(settled['status'], 'delivered', JSON.stringify(settled));
  const stored = await timesheetsOf(context, KAURI!);
  assert.is(stored.length, 1);
  assert.is(stored[0]!.body['status'], 'Approved');
  assert.is(approvals().length, 1, 'approved once');
  const readBack = context.world.sent.filter((request) => request.method === 'GET' && request.url.endsWith(`/payroll.xro/2.0/Timesheets/${String(settled['xeroId'])}`));
  assert.is(readBack.length, 1);
});

payroll2("a timesheet Payroll 2.0 refuses fails with Xero's reasons, each naming its field", async (context) => {
  const uk = await device(context, 'BAKERY-TILL', THAMES!);
  // Harry Price is paid fortnightly; a week is not one of his pay periods.
  const [sent] = await post(context, uk.key, week({ EmployeeID: id('employee', THAMES!, 3) }, { EarningsRateID: id('earningsRate', THAMES!, 1) }));
  // George Ward is on no pay run calendar yet: his timesheet cannot even be built.
  const [george] = await post(context, uk.key, week({ EmployeeID: id('employee', THAMES!, 5) }, { EarningsRateID: id('earningsRate', THAMES!, 1) }));
  await runUntilSettled(loopOf(context.world));
  const refused = await job(context, uk.key, sent!.id);
  assert.is(refused['status'], 'failed');
  assert.match(JSON.stringify(refused['ValidationErrors']), 'startDate: The timesheet must cover one pay period of the Fortnightly calendar');
  const noCalendar = await job(context, uk.key, george!.id);
  assert.is(noCalendar['status'], 'failed');
  assert.equal(noCalendar['ValidationErrors'], [`employeeID: Xero Payroll has no employee ${id('employee', THAMES!, 5)}, or the employee is on no pay run calendar.`]);
  assert.is((await timesheetsOf(context, THAMES!)).length, 0);
});

payroll2('a staff number is not mapped to a Payroll 2.0 employee on no pay run calendar, whose timesheets Xero would refuse; the calendars read are cached', async (context) => {
  const uk = await device(context, 'BAKERY-TILL', THAMES!);
  const george = await context.cli(['map', 'set', 'staff', 'B-11', '--employee', id('employee', THAMES!, 5), '--org', uk.organisationId]);
  assert.is(george.code, 2);
  assert.match(george.stderr, '--employee: George Ward is on no pay run calendar in Xero Payroll, so Xero would refuse their timesheets; set their pay calendar in Xero first.');
  const oliver = await context.cli(['map', 'set', 'staff', 'B-07', '--employee', id('employee', THAMES!, 1), '--org', uk.organisationId]);
  assert.is(oliver.code, 0, oliver.stderr);
  const calendars = findCachedList(context.world.proxy.running.proxy.deps.db, uk.organisationId, 'payroll-calendars');
  assert.equal((calendars?.items as Array<Record<string, unknown>>).map((item) => [item['PayrollCalendarID'], item['Name'], item['CalendarType']]), [
    [id('calendar', THAMES!, 1), 'Weekly', 'Weekly'],
    [id('calendar', THAMES!, 2), 'Fortnightly', 'Fortnightly'],
  ]);
});

payroll2('a device with payroll.read reads Payroll 2.0 through /xero/payroll.xro/2.0/…; without it, 403', async (context) => {
  const uk = await device(context, 'BAKERY-TILL', THAMES!);
  const { deps } = context.world.proxy.running.proxy;
  const { apiKey } = addDevice(asCli(deps), { deviceId: 'BAKERY-OFFICE', organisation: uk.organisationId, rights: ['payroll.read'] });
  const read = (key: string) => fetch(`${context.world.proxy.url}/api/v1/xero/payroll.xro/2.0/PayRunCalendars`, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
  // Reads are paced with delivery: the clocks move while one waits its turn.
  const ticking = tickClocks(context.world);
  try {
    const allowed = await read(apiKey);
    assert.is(allowed.status, 200, await allowed.clone().text());
    assert.equal(((await allowed.json()) as { payRunCalendars: Array<{ name: string }> }).payRunCalendars.map((c) => c.name), ['Weekly', 'Fortnightly']);
    const refused = await read(uk.key);
    assert.is(refused.status, 403);
  } finally {
    await ticking.stop();
  }
});

payroll2('a UK organisation linked through OAuth 1.0a gets its timesheet refused with the way out, and nothing else of it is held', async () => {
  const world = await startWorld('private', { organisationId: THAMES!.id, proxy: { delivery: { manual: true } } });
  try {
    const { outcome, pairingId } = await pairAndLink(world, 'BAKERY-TILL');
    if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
    const key = await collectKey(world, pairingId);
    const response = await fetch(`${world.proxy.url}/api/v1/payroll/timesheets`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(week({ EmployeeID: id('employee', THAMES!, 1) }, { EarningsRateID: id('earningsRate', THAMES!, 1) })) });
    const [sent] = ((await response.json()) as { jobs: Array<{ id: string }> }).jobs;
    const deps = world.proxy.running.proxy.deps;
    await runUntilSettled({ loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance });
    const failed = (await (await fetch(`${world.proxy.url}/api/v1/jobs/${sent!.id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<string, unknown>;
    assert.is(failed['status'], 'failed');
    assert.equal(failed['ValidationErrors'], ['Payroll 2.0 takes OAuth 2.0 only, and Thames Bakery is linked through an OAuth 1.0a app. Link it through an OAuth 2.0 app, then retry this timesheet.']);
    assert.is(findOrganisation(deps.db, outcome.organisation.id)!.linkState, 'linked');
    assert.is(findJob(deps.db, sent!.id)!.cause, 'relink_needed', 'Needs attention says to link it again');
    assert.equal(await ledger(world, 'PayrollTimesheet2'), []);
  } finally {
    await world.stop();
  }
});

payroll2.run();
