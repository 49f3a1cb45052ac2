import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CARDS_AT_MOST } from '../../views/overview';
import { DEVICES_TO_PICK_AT_MOST } from '../../src/services/documents';
import { upsertLinkedOrganisation } from '../../src/store/organisations';
import { insertDevice } from '../helpers/delivery';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { Browser, givenAdminPassword, textOf } from '../helpers/web';

const many = suite('connect.many-organisations');

/** A proxy with `organisations` private-app organisations and `devicesEach` devices each, an administrator signed in. */
async function withOrganisations(organisations: number, devicesEach: number): Promise<{ proxy: TestProxy; browser: Browser }> {
  const proxy = await startTestProxy({ publicUrlIsSelf: true, env: { XERO_PROXY_XERO_APP_TYPE: 'private' } });
  const deps = proxy.running.proxy.deps;
  deps.db.transaction(() => {
    for (let i = 1; i <= organisations; i++) {
      const org = upsertLinkedOrganisation(deps.db, deps.clock, { xeroOrganisationId: `xero-${i}`, name: `Shop ${i}`, shortCode: `!S${i}`, countryCode: 'AU', baseCurrency: 'AUD', appType: 'private' }, null);
      for (let d = 1; d <= devicesEach; d++) insertDevice(deps, org.id, `S${i}-TILL-${d}`);
    }
  })();
  await givenAdminPassword(deps);
  const browser = new Browser(proxy.url);
  assert.is((await browser.signIn()).status, 303);
  return { proxy, browser };
}

many(`with more than ${CARDS_AT_MOST} organisations the overview shows each as one row of a table, not a card`, async () => {
  const { proxy, browser } = await withOrganisations(CARDS_AT_MOST + 1, 2);
  try {
    const page = await browser.get('/');
    assert.is(page.status, 200);
    assert.match(textOf(page.text), `${CARDS_AT_MOST + 1} organisations, one row each; their devices, tokens and reconciliations are on the organisations page`);
    assert.is(page.text.match(/<th scope="row">Shop \d+/g)?.length, CARDS_AT_MOST + 1, 'a row for each organisation');
    assert.not.match(page.text, 'org-card', 'no cards');
    assert.not.match(page.text, 'S1-TILL-1', 'devices are on the organisations page');
  } finally {
    await proxy.stop();
  }
});

many(`with ${CARDS_AT_MOST} organisations or fewer each keeps its card, devices and all`, async () => {
  const { proxy, browser } = await withOrganisations(2, 1);
  try {
    const page = await browser.get('/');
    assert.is(page.text.match(/class="card org-card"/g)?.length, 2);
    assert.match(page.text, 'S1-TILL-1');
  } finally {
    await proxy.stop();
  }
});

many(`with more than ${DEVICES_TO_PICK_AT_MOST} devices the documents list takes a typed device id, and filters by it`, async () => {
  const { proxy, browser } = await withOrganisations(4, DEVICES_TO_PICK_AT_MOST / 4 + 1);
  try {
    const page = await browser.get('/documents');
    assert.is(page.status, 200);
    assert.match(page.text, '<input type="text" id="f-device" name="device" value=""/>');
    assert.not.match(page.text, '<select id="f-device"');
    const filtered = await browser.get('/documents?device=S2-TILL-3');
    assert.is(filtered.status, 200);
    assert.match(filtered.text, 'value="S2-TILL-3"');
    const unknown = await browser.get('/documents?device=NO-SUCH-TILL');
    assert.is(unknown.status, 400);
    assert.match(textOf(unknown.text), 'device: there is no device "NO-SUCH-TILL".');
  } finally {
    await proxy.stop();
  }
});

many.run();
