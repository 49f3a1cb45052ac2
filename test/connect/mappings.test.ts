import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { ledger, runUntilSettled, type DeliveryWorld } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld, whileTimePasses } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf, type Page } from '../helpers/web';

interface Context {
  world: DeliveryWorld;
  key: string;
  browser: Browser;
}

const mappings = suite<Context>('connect.mappings');

mappings.before.each(async (context) => {
  const linked = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, publicUrlIsSelf: true, proxy: { delivery: { manual: true } } });
  const { outcome, pairingId } = await pairAndLink(linked, 'TILL-0042');
  if (outcome.kind !== 'linked') throw new Error(JSON.stringify(outcome));
  context.world = { ...linked, loop: linked.proxy.running.delivery!, deps: linked.proxy.running.proxy.deps, organisationId: outcome.organisation.id };
  context.key = await collectKey(linked, pairingId);
  await givenAdminPassword(context.world.deps);
  context.browser = new Browser(linked.proxy.url);
  assert.is((await context.browser.signIn()).status, 303);
});
mappings.after.each(async ({ world }) => world.stop());

// Coffee and the tenders are mapped; Gelato is new on the till.
const shift = {
  shiftId: 'TILL-0042-2026-11-28-PM',
  closedAt: '2026-11-28T22:05:00+10:00',
  sales: [
    { category: 'Coffee', gross: 412.5, tax: 37.5 },
    { category: 'Gelato', gross: 88, tax: 8 },
  ],
  tenders: [
    { type: 'cash', amount: 50.5 },
    { type: 'eftpos', amount: 450 },
  ],
};

async function sendShift({ world, key }: Context, body: unknown = shift): Promise<Response> {
  return fetch(`${world.proxy.url}/api/v1/pos/shifts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The pages read the organisation's lists through the pacer, whose clock moves only when told. */
const get = (context: Context, path: string): Promise<Page> => whileTimePasses(context.world, context.browser.get(path));
const post = (context: Context, path: string, form: Record<string, string>): Promise<Page> => whileTimePasses(context.world, context.browser.post(path, form));

async function mapThroughPage(context: Context, form: Record<string, string>): Promise<Page> {
  const page = await get(context, '/mappings');
  assert.is(page.status, 200, page.text.slice(0, 500));
  return post(context, '/mappings', { csrf: field(page.text, 'csrf'), organisation: context.world.organisationId, ...form });
}

async function mapTheRest(context: Context): Promise<void> {
  const forms: Array<Record<string, string>> = [
    { kind: 'category', name: 'Coffee', account: '200', tax: 'OUTPUT' },
    { kind: 'tender', name: 'cash', account: '090' },
    { kind: 'tender', name: 'eftpos', account: '615' },
  ];
  for (const form of forms) {
    const answer = await mapThroughPage(context, { form: `add-${form.kind}`, ...form });
    assert.is(answer.status, 303, textOf(answer.text).slice(0, 500));
  }
}

const jobRows = (context: Context) => context.world.deps.db.prepare('SELECT kind, status, cause, cause_detail, xero_number FROM jobs ORDER BY rowid').all() as Array<{ kind: string; status: string; cause: string | null; cause_detail: string | null; xero_number: string | null }>;

mappings('a shift with an unmapped category is held and named on the page; mapping it there sends the shift, and it is delivered to Xero', async (context) => {
  await mapTheRest(context);
  const accepted = await sendShift(context);
  assert.is(accepted.status, 202);
  const { jobs } = (await accepted.json()) as { jobs: Array<{ status: string; missing: Array<{ kind: string; name: string; field: string }> }> };
  assert.equal(jobs.map((job) => job.status), ['held', 'held', 'held']);
  assert.equal(jobs[0]!.missing, [{ kind: 'category', name: 'Gelato', field: 'sales[1].category', message: 'has no account mapped for sales category "Gelato"' }]);
  assert.equal(JSON.parse(jobRows(context)[0]!.cause_detail!), { missing: jobs[0]!.missing });

  const page = await get(context, '/mappings');
  const text = textOf(page.text);
  assert.match(text, 'Names with no mapping yet (1)');
  assert.match(text, 'Sales category "Gelato" 1 document waits for it, since');
  assert.match(page.text, '<option value="200">200 Sales</option>', 'accounts are offered by code and name');

  const saved = await post(context, '/mappings', { csrf: field(page.text, 'csrf'), organisation: context.world.organisationId, form: 'missing-1', kind: 'category', name: 'Gelato', account: '200', tax: 'OUTPUT' });
  assert.is(saved.status, 303);
  const after = await get(context, saved.location!);
  assert.match(textOf(after.text), 'Saved the mapping for sales category "Gelato"; Xero accepts it. 3 waiting Xero documents are now on the way to Xero.');
  assert.not.match(textOf(after.text), 'Names with no mapping yet');
  assert.equal(jobRows(context).map((row) => [row.status, row.cause]), [['queued', null], ['queued', null], ['queued', null]]);

  await runUntilSettled(context.world);
  const rows = jobRows(context);
  assert.equal(rows.map((row) => row.status), ['delivered', 'delivered', 'delivered']);
  assert.is(rows[0]!.xero_number, 'POS-TILL-0042-2026-11-28-PM');
  const [invoice] = (await ledger(context.world, 'Invoice')).map((doc) => doc.body as { LineItems: Array<{ Description: string; AccountCode: string }> });
  assert.equal(invoice!.LineItems.map((line) => [line.Description, line.AccountCode]), [['Coffee', '200'], ['Gelato', '200']]);
});

mappings("a save Xero's lists refuse shows the error beside the field, keeps what was entered, and changes nothing", async (context) => {
  await sendShift(context);
  const page = await get(context, '/mappings');
  const refused = await post(context, '/mappings', { csrf: field(page.text, 'csrf'), organisation: context.world.organisationId, form: 'missing-1', kind: 'category', name: 'Coffee', account: '999', tax: 'OUTPUT' });
  assert.is(refused.status, 400);
  assert.match(refused.text, '<p class="mp-error" id="missing-1-account-error"><span class="mp-hidden">Error: </span>999 is not an account code in this organisation&#39;s chart of accounts.</p>');
  assert.match(refused.text, /<select id="missing-1-account" name="account" aria-describedby="missing-1-account-error" aria-invalid="true">/);
  assert.match(refused.text, '<option value="999" selected="">999 (not in Xero&#39;s active list)</option>');
  assert.match(textOf(refused.text), 'Nothing was saved');
  assert.is(context.world.deps.db.prepare('SELECT COUNT(*) FROM mappings').pluck().get(), 0);
  assert.ok(jobRows(context).every((row) => row.status === 'held'));

  const noPayments = await mapThroughPage(context, { form: 'add-tender', kind: 'tender', name: 'cash', account: '200' });
  assert.is(noPayments.status, 400);
  assert.match(textOf(noPayments.text), '200 (Sales) cannot take payments; use a bank account or one with "Enable payments to this account" ticked in Xero.');
});

mappings('a mapping is changed and removed on the page; a shift that needs it afterwards waits again', async (context) => {
  await mapTheRest(context);
  const changed = await mapThroughPage(context, { form: 'add-tender', kind: 'tender', name: 'cash', account: '092' });
  assert.is(changed.status, 303);
  const edit = await get(context, `/mappings?organisation=${context.world.organisationId}&edit=tender&name=cash`);
  assert.match(textOf(edit.text), 'Change tender "cash"');
  assert.match(edit.text, '<option value="092" selected="">092');

  const removed = await post(context, '/mappings/remove', { csrf: field(edit.text, 'csrf'), organisation: context.world.organisationId, kind: 'tender', name: 'cash' });
  assert.is(removed.status, 303);
  assert.match(textOf((await get(context, removed.location!)).text), 'Removed the mapping for tender "cash".');
  assert.equal(context.world.deps.db.prepare("SELECT source FROM mappings WHERE kind = 'tender'").pluck().all(), ['eftpos']);

  const again = await post(context, '/mappings/remove', { csrf: field(edit.text, 'csrf'), organisation: context.world.organisationId, kind: 'tender', name: 'cash' });
  assert.is(again.status, 404);
  assert.match(textOf(again.text), 'There is no tender mapping for "cash".');

  const held = (await (await sendShift(context, { ...shift, sales: [shift.sales[0]], tenders: [{ type: 'cash', amount: 412.5 }] })).json()) as { jobs: Array<{ status: string; missing: Array<{ name: string }> }> };
  assert.equal(held.jobs.map((job) => [job.status, job.missing.map((m) => m.name)]), [['held', ['cash']], ['held', ['cash']]]);
});

mappings('a save without the form token changes nothing', async (context) => {
  const refused = await whileTimePasses(context.world, context.browser.post('/mappings', { csrf: 'forged', organisation: context.world.organisationId, kind: 'tender', name: 'cash', account: '090' }));
  assert.is(refused.status, 403);
  assert.is(context.world.deps.db.prepare('SELECT COUNT(*) FROM mappings').pluck().get(), 0);
});

mappings.run();
