import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { findPayrollApiSetting } from '../../src/store/organisation-payroll';
import { checkPage, openConsoleBrowser, signIn } from '../helpers/console-browser';
import { pairAndGrant, startGrantWorld } from '../helpers/grant-world';
import { givenAdminPassword } from '../helpers/web';

const CAFE = DEMO_ORGANISATIONS[0]!;

const browser = suite('browser.organisation-payroll');

browser("an administrator moves the café's timesheets to Payroll 2.0 from the organisations page", async () => {
  const world = await startGrantWorld('oauth2');
  const chrome = await openConsoleBrowser(world.proxy.url).catch(async (error: unknown) => {
    await world.stop();
    throw error;
  });
  try {
    const { chosen } = await pairAndGrant(world, 'CAFE-ROSTER', [CAFE.id], CAFE.id);
    await givenAdminPassword(world.proxy.running.proxy.deps);
    const { page, violations } = chrome;
    await signIn(page, world.proxy.url);
    await page.goto(`${world.proxy.url}/organisations`);
    const card = page.getByRole('region', { name: `${CAFE.name} (${CAFE.shortCode})` });
    await card.getByLabel('Timesheets go to').selectOption({ label: 'Payroll 2.0 (payroll.xro/2.0)' });
    await checkPage(page, 'organisation-payroll');
    await card.getByRole('button', { name: `Save the payroll API of ${CAFE.name}` }).click();
    assert.match(await page.getByRole('status').first().innerText(), `${CAFE.name}'s timesheets now go to Payroll 2.0 (payroll.xro/2.0).`);
    assert.is(await page.getByRole('region', { name: `${CAFE.name} (${CAFE.shortCode})` }).getByLabel('Timesheets go to').inputValue(), '2.0');
    assert.is(findPayrollApiSetting(world.proxy.running.proxy.deps.db, chosen.id), '2.0');
    assert.equal(violations, [], 'no page broke its own Content-Security-Policy');
  } finally {
    await chrome.close();
    await world.stop();
  }
});

browser.run();
