import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, startAccountingOnly, type AccountingServer } from '../helpers/accounting';
import { assertValidXml } from '../helpers/xsd';

const notes = suite<{ server: AccountingServer }>('sandbox.accounting.credit-notes');

notes.before(async (context) => {
  context.server = await startAccountingOnly();
});
notes.after(async (context) => {
  await context.server.stop();
});

const line = (amount: number) => ({ Description: 'Returned mug', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'OUTPUT' });
const creditNoteXml = (reference: string, amount: string) =>
  `<CreditNotes><CreditNote><Type>ACCRECCREDIT</Type><Contact><ContactNumber>CUST-002</ContactNumber></Contact><Date>2026-03-02T00:00:00</Date><Status>AUTHORISED</Status><LineAmountTypes>Inclusive</LineAmountTypes><LineItems><LineItem><Description>Returned mug</Description><Quantity>1</Quantity><UnitAmount>${amount}</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem></LineItems><Reference>${reference}</Reference></CreditNote></CreditNotes>`;

async function invoice(server: AccountingServer, amount: number, contact = 'CUST-002'): Promise<{ id: string; number: string }> {
  const created = await call(server, 'PUT', '/Invoices', { acceptJson: true, json: { Invoices: [{ Type: 'ACCREC', Contact: { ContactNumber: contact }, Status: 'AUTHORISED', LineAmountTypes: 'Inclusive', LineItems: [line(amount)] }] } });
  assert.is(created.status, 200, created.text);
  return { id: created.json.Invoices[0].InvoiceID, number: created.json.Invoices[0].InvoiceNumber };
}

async function creditNote(server: AccountingServer, reference: string, amount: string): Promise<{ id: string; number: string }> {
  const body = creditNoteXml(reference, amount);
  await assertValidXml(body, 'CreditNote.xsd');
  const answer = await call(server, 'PUT', '/CreditNotes?summarizeErrors=false', { xml: body, acceptJson: true });
  assert.is(answer.status, 200, answer.text);
  const saved = answer.json.CreditNotes[0];
  assert.is(saved.StatusAttributeString, 'OK', answer.text);
  return { id: saved.CreditNoteID, number: saved.CreditNoteNumber };
}

notes('a credit note in XML is numbered, priced and found by its Reference with a where filter', async ({ server }) => {
  const made = await creditNote(server, 'Refund [XP-CN1]', '22.00');
  assert.match(made.number, /^CN-\d{4}$/);
  const found = await call(server, 'GET', `/CreditNotes?where=${encodeURIComponent('Reference != null AND (Reference.Contains("XP-CN1"))')}`, { acceptJson: true });
  assert.is(found.status, 200, found.text);
  assert.equal(found.json.CreditNotes.map((note: Record<string, unknown>) => [note['CreditNoteID'], note['Total'], note['TotalTax'], note['RemainingCredit'], note['Status']]), [[made.id, 22, 2, 22, 'AUTHORISED']]);
  const one = await call(server, 'GET', `/CreditNotes/${made.id}`, { acceptJson: true });
  assert.is(one.json.CreditNotes[0].LineItems.length, 1);
});

notes('with summarizeErrors=false a batch saves the good element and reports the bad one with Xero\'s messages', async ({ server }) => {
  const answer = await call(server, 'PUT', '/CreditNotes?summarizeErrors=false', {
    acceptJson: true,
    json: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { Name: 'Walk-in' }, LineItems: [line(5)] }, { Type: 'ACCRECCREDIT', LineItems: [line(5)] }, { Type: 'CREDIT', Contact: { Name: 'Walk-in' }, LineItems: [line(5)] }] },
  });
  assert.is(answer.status, 200, answer.text);
  const [good, noContact, badType] = answer.json.CreditNotes;
  assert.is(good.StatusAttributeString, 'OK');
  assert.is(good.Status, 'DRAFT');
  assert.is(noContact.StatusAttributeString, 'ERROR');
  assert.equal(noContact.ValidationErrors.map((e: { Message: string }) => e.Message), ['A Contact must be specified for this type of transaction']);
  assert.equal(badType.ValidationErrors.map((e: { Message: string }) => e.Message), ["Credit Note Type 'CREDIT' is not valid; use ACCRECCREDIT or ACCPAYCREDIT."]);
});

notes('an allocation lowers the invoice\'s AmountDue, and the credit note is PAID once all of it is used', async ({ server }) => {
  const sale = await invoice(server, 50);
  const note = await creditNote(server, 'Refund 2', '20.00');
  const body = `<Allocations><Allocation><Invoice><InvoiceID>${sale.id}</InvoiceID></Invoice><AppliedAmount>12.50</AppliedAmount><Date>2026-03-02T00:00:00</Date></Allocation></Allocations>`;
  await assertValidXml(body, 'Allocation.xsd');
  const first = await call(server, 'PUT', `/CreditNotes/${note.id}/Allocations?summarizeErrors=false`, { xml: body, acceptJson: true });
  assert.is(first.status, 200, first.text);
  assert.is(first.json.Allocations[0].StatusAttributeString, 'OK', first.text);
  const second = await call(server, 'PUT', `/CreditNotes/${note.id}/Allocations`, { acceptJson: true, json: { Allocations: [{ Invoice: { InvoiceID: sale.id }, Amount: 7.5, Date: '2026-03-02' }] } });
  assert.is(second.status, 200, second.text);
  const after = (await call(server, 'GET', `/CreditNotes/${note.id}`, { acceptJson: true })).json.CreditNotes[0];
  assert.equal([after.Status, after.RemainingCredit, after.Allocations.map((a: { Amount: number }) => a.Amount)], ['PAID', 0, [12.5, 7.5]]);
  const owed = (await call(server, 'GET', `/Invoices/${sale.id}`, { acceptJson: true })).json.Invoices[0];
  assert.equal([owed.Status, owed.AmountDue, owed.AmountCredited], ['AUTHORISED', 30, 20]);
  // The XML answers keep to Xero's XSDs (AppliedAmount, no AllocationID, no Payments on a credit note).
  await assertValidXml((await call(server, 'PUT', `/CreditNotes/${note.id}/Allocations?summarizeErrors=false`, { xml: body })).text);
  for (const path of [`/CreditNotes/${note.id}`, '/CreditNotes', `/Invoices/${sale.id}`, '/Payments']) await assertValidXml((await call(server, 'GET', path)).text);
});

notes('allocations are refused as Xero refuses them: more than is left, another contact, a draft credit note', async ({ server }) => {
  const sale = await invoice(server, 10);
  const other = await invoice(server, 100, 'CUST-001');
  const note = await creditNote(server, 'Refund 3', '30.00');
  const refuse = async (noteId: string, invoiceId: string, amount: number) => {
    const answer = await call(server, 'PUT', `/CreditNotes/${noteId}/Allocations?summarizeErrors=false`, { acceptJson: true, json: { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-03-02' }] } });
    assert.is(answer.status, 200, answer.text);
    assert.is(answer.json.Allocations[0].StatusAttributeString, 'ERROR');
    return answer.json.Allocations[0].ValidationErrors.map((e: { Message: string }) => e.Message);
  };
  assert.equal(await refuse(note.id, sale.id, 10.01), ['Credit Note cannot be allocated as amount is greater than amount outstanding']);
  assert.equal(await refuse(note.id, other.id, 5), ['Credit Note cannot be allocated to an invoice for a different contact']);
  const draft = await call(server, 'PUT', '/CreditNotes', { acceptJson: true, json: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactNumber: 'CUST-002' }, LineItems: [line(5)] }] } });
  assert.equal(await refuse(draft.json.CreditNotes[0].CreditNoteID, sale.id, 1), ['Credit Note cannot be allocated as it is not AUTHORISED']);
});

notes('a refund is a payment against the credit note, no more than its remaining credit', async ({ server }) => {
  const note = await creditNote(server, 'Refund 4', '15.00');
  const over = await call(server, 'PUT', '/Payments?summarizeErrors=false', { acceptJson: true, json: { Payments: [{ CreditNote: { CreditNoteID: note.id }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 15.01 }] } });
  assert.equal(over.json.Payments[0].ValidationErrors.map((e: { Message: string }) => e.Message), ['Payment amount exceeds the amount outstanding on this document']);
  const body = `<Payments><Payment><CreditNote><CreditNoteID>${note.id}</CreditNoteID></CreditNote><Account><Code>090</Code></Account><Date>2026-03-02T00:00:00</Date><Amount>15.00</Amount><Reference>Cash back</Reference></Payment></Payments>`;
  await assertValidXml(body, 'Payment.xsd');
  const paid = await call(server, 'PUT', '/Payments?summarizeErrors=false', { xml: body, acceptJson: true });
  assert.is(paid.json.Payments[0].StatusAttributeString, 'OK', paid.text);
  assert.is(paid.json.Payments[0].PaymentType, 'ARCREDITPAYMENT');
  const after = (await call(server, 'GET', `/CreditNotes/${note.id}`, { acceptJson: true })).json.CreditNotes[0];
  assert.equal([after.Status, after.RemainingCredit, after.Payments.length], ['PAID', 0, 1]);
  const deleted = await call(server, 'POST', `/Payments/${paid.json.Payments[0].PaymentID}`, { acceptJson: true, json: { Payments: [{ Status: 'DELETED' }] } });
  assert.is(deleted.status, 200, deleted.text);
  const reopened = (await call(server, 'GET', `/CreditNotes/${note.id}`, { acceptJson: true })).json.CreditNotes[0];
  assert.equal([reopened.Status, reopened.RemainingCredit, reopened.Payments.length], ['AUTHORISED', 15, 0], 'a deleted refund gives the credit back');
});

notes('a negative payment is refused in Xero\'s words, whatever it pays', async ({ server }) => {
  const sale = await invoice(server, 10);
  const answer = await call(server, 'PUT', '/Payments?summarizeErrors=false', { acceptJson: true, json: { Payments: [{ Invoice: { InvoiceID: sale.id }, Account: { Code: '090' }, Date: '2026-03-02', Amount: -5 }] } });
  assert.equal(answer.json.Payments[0].ValidationErrors.map((e: { Message: string }) => e.Message), ['Payment amounts must be positive amounts']);
});

notes('GET /CreditNotes pages and honours If-Modified-Since as the reconciliation sends them: only the credit notes changed since, with their lines', async ({ server }) => {
  const kept = await creditNote(server, 'Kept [XP-CN-IMS1]', '11.00');
  const refunded = await creditNote(server, 'Refunded [XP-CN-IMS2]', '12.00');
  server.clock.advance(3_600_000);
  // The reconciliation's header: UTC, to the second, no zone (as Xero's OpenAPI example).
  const since = server.clock.now().toISOString().slice(0, 19);
  server.clock.advance(60_000);
  const refund = await call(server, 'PUT', '/Payments', { acceptJson: true, json: { Payments: [{ CreditNote: { CreditNoteID: refunded.id }, Account: { Code: '090' }, Date: '2026-03-02', Amount: 12 }] } });
  assert.is(refund.status, 200, refund.text);
  const changed = await call(server, 'GET', '/CreditNotes?page=1', { acceptJson: true, headers: { 'if-modified-since': since } });
  assert.is(changed.status, 200, changed.text);
  assert.equal(changed.json.CreditNotes.map((note: Record<string, unknown>) => [note['CreditNoteID'], note['Status']]), [[refunded.id, 'PAID']]);
  assert.is(changed.json.CreditNotes[0].LineItems.length, 1, 'a page has the line items');
  const all = await call(server, 'GET', '/CreditNotes?page=1', { acceptJson: true });
  assert.ok(all.json.CreditNotes.some((note: { CreditNoteID: string }) => note.CreditNoteID === kept.id));
  const beyond = await call(server, 'GET', '/CreditNotes?page=2', { acceptJson: true });
  assert.equal([beyond.status, beyond.json.CreditNotes], [200, []], 'the page after the last is empty');
});

notes.run();
