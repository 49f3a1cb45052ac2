import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allocationToXero, creditNoteToXero, refundToXero } from '../../src/domain/documents';
import { buildAllocationWrite, processAllocationLookup } from '../../src/domain/xero/allocation-write';
import { oauth2Auth } from '../../src/domain/xero/auth';
import { batchBody, encodeBatchElement } from '../../src/domain/xero/batch-write';
import { referenceFilter } from '../../src/domain/xero/reference-lookup';
import { Secret } from '../../src/lib/secret';
import { assertValidXml } from '../helpers/xsd';

const credit = suite('domain.xero-credit-notes');

const note = {
  Type: 'ACCRECCREDIT' as const,
  Contact: { Name: 'Aroha Ngata' },
  Date: '2026-11-29',
  LineAmountTypes: 'Inclusive' as const,
  Status: 'AUTHORISED' as const,
  Reference: 'Rebate [XP-7K3M9Q2WZ4AB]',
  LineItems: [{ Description: 'Rebate', Quantity: 1, UnitAmount: 20, AccountCode: '200', TaxType: 'OUTPUT' }],
  Allocation: { Invoice: { DocumentId: 'V-1' }, Amount: 20 },
  DocumentId: 'CN-1',
};

credit('a credit note, its allocation and its refund encode as XML that CreditNote.xsd, Allocation.xsd and Payment.xsd accept', async () => {
  const xml = batchBody('CreditNotes', [encodeBatchElement('CreditNotes', creditNoteToXero(note) as unknown as Record<string, unknown>)]);
  await assertValidXml(xml, 'CreditNote.xsd');
  assert.not.match(xml, 'Allocation', 'allocations go as their own call');
  assert.not.match(xml, 'DocumentId');
  const allocation = { ...allocationToXero(note.Allocation, note.Date), Invoice: { InvoiceID: 'c45720a1-ade3-4a38-a064-d15489be6841' } };
  assert.equal(allocationToXero({ Invoice: { InvoiceNumber: 'INV-0042' }, Amount: 5, Date: '2026-12-01' }, note.Date), { Invoice: { InvoiceNumber: 'INV-0042' }, AppliedAmount: 5, Date: '2026-12-01T00:00:00' });
  const request = buildAllocationWrite({ apiUrl: 'https://api.xero.com', auth: oauth2Auth(new Secret('token'), 'tenant'), creditNoteId: '7be578f5-63af-45c8-9b00-dcc4732baf0b', allocation });
  assert.is(request.method, 'PUT');
  assert.is(request.url, 'https://api.xero.com/api.xro/2.0/CreditNotes/7be578f5-63af-45c8-9b00-dcc4732baf0b/Allocations?summarizeErrors=false');
  await assertValidXml(String(request.body), 'Allocation.xsd');
  assert.match(String(request.body), '<AppliedAmount>20</AppliedAmount>');
  const refund = { ...refundToXero({ Account: { Code: '090' }, Date: '2026-11-29', Amount: 20 }), CreditNote: { CreditNoteID: '7be578f5-63af-45c8-9b00-dcc4732baf0b' } };
  await assertValidXml(batchBody('Payments', [encodeBatchElement('Payments', refund as unknown as Record<string, unknown>)]), 'Payment.xsd');
});

credit('a supplier credit note is looked up by its CreditNoteNumber, a sales one by its Reference', () => {
  assert.is(
    referenceFilter([{ key: 'XP-A', field: 'Reference' }, { key: 'XP-B', field: 'CreditNoteNumber' }]),
    '(Reference != null AND (Reference.Contains("XP-A"))) OR (CreditNoteNumber != null AND (CreditNoteNumber.Contains("XP-B")))',
  );
});

credit('an allocation is found on the credit note by its invoice and amount, never by a near one', () => {
  const answer = (allocations: unknown[]) => ({ status: 200, headers: {}, body: JSON.stringify({ CreditNotes: [{ CreditNoteID: 'x', Allocations: allocations }] }) });
  const invoiceId = 'C45720A1-ADE3-4A38-A064-D15489BE6841';
  const found = processAllocationLookup(answer([{ Amount: 19.99, Invoice: { InvoiceID: invoiceId.toLowerCase() } }, { Amount: 20, Invoice: { InvoiceID: invoiceId.toLowerCase() } }]), { invoiceId, amount: 20 });
  assert.is(found?.['Amount'], 20);
  assert.is(processAllocationLookup(answer([{ Amount: 20, Invoice: { InvoiceID: 'another' } }]), { invoiceId, amount: 20 }), undefined);
  assert.ok(processAllocationLookup(answer([{ Amount: 5, Invoice: { InvoiceID: 'i', InvoiceNumber: 'INV-0042' } }]), { invoiceNumber: 'INV-0042', amount: 5 }));
});

credit.run();
