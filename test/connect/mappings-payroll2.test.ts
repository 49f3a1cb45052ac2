import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { listMappings } from '../../src/store/mappings';
import { pairAndGrant, startGrantWorld } from '../helpers/grant-world';
import { whileTimePasses } from '../helpers/linked';
import { Browser, field, givenAdminPassword, textOf } from '../helpers/web';

const THAMES = DEMO_ORGANISATIONS.find((org) => org.countryCode === 'GB')!;

const mappings = suite('connect.mappings-payroll2');

mappings("a UK organisation's mappings page offers Payroll UK's employees and earnings rates, and maps a staff number to one", async () => {
  const world = await startGrantWorld('oauth2');
  try {
    const { chosen } = await pairAndGrant(world, 'BAKERY-TILL', [THAMES.id], THAMES.id);
    await givenAdminPassword(world.proxy.running.proxy.deps);
    const browser = new Browser(world.proxy.url);
    assert.is((await browser.signIn()).status, 303);
    const page = await whileTimePasses(world, browser.get('/mappings'));
    assert.is(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, `<option value="${payrollDemoId('employee', THAMES.id, 1)}">Oliver Hughes</option>`);
    assert.match(page.text, `<option value="${payrollDemoId('earningsRate', THAMES.id, 1)}">Ordinary Hours</option>`);
    const saved = await whileTimePasses(
      world,
      browser.post('/mappings', { csrf: field(page.text, 'csrf'), organisation: chosen.id, form: 'add-staff', kind: 'staff', name: 'B-07', employee: payrollDemoId('employee', THAMES.id, 1) }),
    );
    assert.is(saved.status, 303, textOf(saved.text).slice(0, 500));
    assert.equal(
      listMappings(world.proxy.running.proxy.deps.db, chosen.id).map((m) => [m.kind, m.source, m.target]),
      [['staff', 'B-07', { employeeId: payrollDemoId('employee', THAMES.id, 1) }]],
    );
    const george = await whileTimePasses(
      world,
      browser.post('/mappings', { csrf: field(page.text, 'csrf'), organisation: chosen.id, form: 'add-staff', kind: 'staff', name: 'B-11', employee: payrollDemoId('employee', THAMES.id, 5) }),
    );
    assert.match(textOf(george.text), 'George Ward is on no pay run calendar in Xero Payroll');
  } finally {
    await world.stop();
  }
});

mappings.run();
