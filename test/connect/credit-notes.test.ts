import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { runUntilSettled } from '../helpers/delivery';
import { collectKey, pairAndLink, startWorld } from '../helpers/linked';
import { Browser, givenAdminPassword, textOf } from '../helpers/web';

const pages = suite('connect.credit-notes');

pages('the documents and attention pages name credit notes, their allocations and refunds in plain words', async () => {
  const world = await startWorld('private', { organisationId: DEMO_ORGANISATIONS[0]!.id, proxy: { delivery: { manual: true } }, publicUrlIsSelf: true });
  try {
    const { pairingId } = await pairAndLink(world, 'PMS-3');
    const key = await collectKey(world, pairingId);
    const deps = world.proxy.running.proxy.deps;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${world.proxy.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.is(response.status, 202, await response.clone().text());
    };
    const line = (amount: number) => [{ Description: 'Consultation', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'OUTPUT' }];
    await post('/invoices', { Invoices: [{ DocumentId: 'V-1', Type: 'ACCREC', Contact: { Name: 'Aroha Ngata' }, Date: '2026-11-28', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', LineItems: line(10) }] });
    // Allocating 30.00 to an invoice of 10.00: Xero refuses the allocation, the credit note goes.
    const note = { Type: 'ACCRECCREDIT', Contact: { Name: 'Aroha Ngata' }, Date: '2026-11-29', LineAmountTypes: 'Inclusive', Status: 'AUTHORISED', Reference: 'Rebate V-1', LineItems: line(30) };
    await post('/credit-notes', { CreditNotes: [{ ...note, DocumentId: 'CN-1', Allocation: { Invoice: { DocumentId: 'V-1' }, Amount: 30 } }, { ...note, DocumentId: 'CN-2', Reference: 'Refund', Refund: { Account: { Code: '090' }, Date: '2026-11-29', Amount: 30 } }] });
    await runUntilSettled({ loop: world.proxy.running.delivery!, deps, clock: world.clock, advance: world.advance });

    await givenAdminPassword(deps);
    const browser = new Browser(world.proxy.url);
    assert.is((await browser.signIn()).status, 303);
    const listed = textOf((await browser.get('/documents')).text);
    for (const row of ['Refund CN-2 Credit note', 'CN-1 Credit applied to an invoice Harbourside Café PMS-3 Failed', 'CN-2 Refund Harbourside Café PMS-3 Delivered']) assert.match(listed, row);
    const filtered = await browser.get('/documents?kind=allocation');
    assert.is(filtered.status, 200);
    assert.match(textOf(filtered.text), '1 document');
    const attention = textOf((await browser.get('/attention')).text);
    assert.match(attention, "Xero refused 1 credit allocation because");
    assert.match(attention, 'Credit Note cannot be allocated as amount is greater than amount outstanding');
  } finally {
    await world.stop();
  }
});

pages.run();
