import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { invoiceToXero } from '../../src/domain/documents/invoice-to-xero';
import type { Invoice } from '../../src/domain/documents/invoices';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { xeroXml } from '../../src/domain/documents/xero-xml';
import { assertValidXml } from '../helpers/xsd';
import { json, xml, invalid } from '../helpers/documents';

const consult = (overrides: Partial<Invoice> = {}): Invoice => ({
  Type: 'ACCREC',
  Contact: { Name: 'Aroha Ngata' },
  Date: '2024-05-31',
  LineItems: [{ Description: 'Standard consultation', Quantity: 1, UnitAmount: 85, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' }],
  ...overrides,
});

const parse = suite('documents.parseDocument invoices');

parse('a JSON invoice comes back as sent, typed', () => {
  const body = { Invoices: [consult({ DocumentId: 'PMS-INV-1', Reference: 'Consult 31 May' })] };
  assert.equal(parseDocument('invoices', json(body)), body);
});

parse('an XML invoice decodes to the same value as its JSON, numbers and booleans converted by the schema', () => {
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<Invoices>
  <Invoice>
    <Type>ACCPAY</Type>
    <Contact><ContactNumber>SUP-9</ContactNumber></Contact>
    <Date>2024-05-31T00:00:00</Date>
    <DueDate>2024-06-30</DueDate>
    <LineAmountTypes>Inclusive</LineAmountTypes>
    <InvoiceNumber>BILL 77</InvoiceNumber>
    <CurrencyCode>AUD</CurrencyCode>
    <Status>DRAFT</Status>
    <SentToContact>false</SentToContact>
    <LineItems>
      <LineItem>
        <Description><![CDATA[Gloves & masks]]></Description>
        <Quantity>2.5000</Quantity>
        <UnitAmount>-12.40</UnitAmount>
        <AccountCode>429</AccountCode>
        <TaxType>INPUT</TaxType>
        <TaxAmount>1.13</TaxAmount>
        <DiscountRate>10</DiscountRate>
        <Tracking>
          <TrackingCategory><Name>Location</Name><Option>Main Street</Option></TrackingCategory>
          <TrackingCategory><Name>Department</Name><Option>Kitchen</Option></TrackingCategory>
        </Tracking>
      </LineItem>
    </LineItems>
    <Reference />
  </Invoice>
</Invoices>`;
  assert.equal(parseDocument('invoices', xml(text)), {
    Invoices: [
      {
        Type: 'ACCPAY',
        Contact: { ContactNumber: 'SUP-9' },
        Date: '2024-05-31T00:00:00',
        DueDate: '2024-06-30',
        LineAmountTypes: 'Inclusive',
        InvoiceNumber: 'BILL 77',
        CurrencyCode: 'AUD',
        Status: 'DRAFT',
        SentToContact: false,
        LineItems: [
          {
            Description: 'Gloves & masks',
            Quantity: 2.5,
            UnitAmount: -12.4,
            AccountCode: '429',
            TaxType: 'INPUT',
            TaxAmount: 1.13,
            DiscountRate: 10,
            Tracking: [
              { Name: 'Location', Option: 'Main Street' },
              { Name: 'Department', Option: 'Kitchen' },
            ],
          },
        ],
      },
    ],
  });
});

parse('a single <Invoice> root is a batch of one, as pyxero sends it', () => {
  const text = '<Invoice><Type>ACCREC</Type><Contact><Name>Bob</Name></Contact><LineItems><LineItem><Description>Visit</Description></LineItem></LineItems></Invoice>';
  assert.equal(parseDocument('invoices', xml(text)), { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Bob' }, LineItems: [{ Description: 'Visit' }] }] });
});

parse('a bare JSON array is taken as the list, as Xero\'s own payroll JSON is', () => {
  assert.equal(parseDocument('invoices', json([consult()])), { Invoices: [consult()] });
});

parse('null and "" fields mean absent, as an empty XML element does', () => {
  const body = { Invoices: [{ ...consult(), DueDate: null, Reference: '', Status: null }] };
  assert.equal(parseDocument('invoices', json(body)), { Invoices: [consult()] });
});

parse('every problem of a JSON body is reported at once, each with its path, in the order of the body', () => {
  const error = invalid(() =>
    parseDocument('invoices', json({ Invoices: [consult(), { Type: 'accrec', Contact: {}, Referance: 'x', Date: '2024-02-30', LineItems: [{ Description: 'x', UnitAmount: '12.50', Quantity: 1.23456 }] }] })),
  );
  assert.is(
    error.message,
    'The Invoices document has 6 problems: Invoices[1].Type: must be ACCREC or ACCPAY; Invoices[1].Contact: must give at least one of ContactID, ContactNumber, EmailAddress or Name; ' +
      'Invoices[1].Referance: is not a known field (did you mean Reference?); Invoices[1].Date: is not a date in the calendar; ' +
      'Invoices[1].LineItems[0].UnitAmount: must be a number; Invoices[1].LineItems[0].Quantity: must have at most 4 decimal places.',
  );
  assert.is(error.field, 'Invoices[1].Type');
  assert.equal(error.details?.[4], { field: 'Invoices[1].LineItems[0].UnitAmount', message: 'must be a number' });
  assert.is(error.details?.length, 6);
});

parse('an XML problem names the field path and the line of its element', () => {
  const lines = [
    '<Invoices>', // 1
    '  <Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>a</Description></LineItem></LineItems></Invoice>',
    '  <Invoice><Type>ACCREC</Type><Contact><Name>B</Name></Contact><LineItems><LineItem><Description>b</Description></LineItem></LineItems></Invoice>',
    '  <Invoice>', // 4
    '    <Type>ACCREC</Type>',
    '    <Contact>',
    '      <Name>C</Name>',
    '    </Contact>',
    '    <Date>2024-05-31</Date>',
    '    <LineItems>', // 10
    '      <LineItem>',
    '        <Description>Consultation</Description>',
    '        <Quantity>1</Quantity>',
    '        <UnitAmount>eighty</UnitAmount>', // 14
    '      </LineItem>',
    '    </LineItems>',
    '  </Invoice>',
    '</Invoices>',
  ];
  const error = invalid(() => parseDocument('invoices', xml(lines.join('\n'))));
  assert.is(error.message, 'Invoices[2].LineItems[0].UnitAmount: must be a number (XML line 14).');
  assert.equal(error.details, [{ field: 'Invoices[2].LineItems[0].UnitAmount', message: 'must be a number', line: 14 }]);
});

parse('XML problems are listed in the order of their lines: unknown, repeated and misplaced elements, missing fields', () => {
  const text = `<Invoices>
  <Invoice>
    <Type>ACCREC</Type>
    <Date>2024-05-31</Date>
    <LineItems>
      <LineItem><Description>a</Description><Quantity>-1</Quantity></LineItem>
      <Item><Description>b</Description></Item>
    </LineItems>
    <Date>2024-06-01</Date>
    <Referense>x</Referense>
  </Invoice>
</Invoices>`;
  const error = invalid(() => parseDocument('invoices', xml(text)));
  assert.is(
    error.message,
    'The Invoices document has 5 problems: Invoices[0].Contact: is required (XML line 2); Invoices[0].LineItems[0].Quantity: must be at least 0 (XML line 6); ' +
      'Invoices[0].LineItems.Item: is not allowed here (<LineItems> holds only <LineItem> elements) (XML line 7); Invoices[0].Date: appears more than once (XML line 9); ' +
      'Invoices[0].Referense: is not a known field (did you mean Reference?) (XML line 10).',
  );
});

parse('Reference leaves room for the proxy\'s own key: 200 characters, not Xero\'s 255', () => {
  assert.ok(parseDocument('invoices', json({ Invoices: [consult({ Reference: 'r'.repeat(200) })] })));
  const error = invalid(() => parseDocument('invoices', json({ Invoices: [consult({ Reference: 'r'.repeat(201) })] })));
  assert.is(error.message, 'Invoices[0].Reference: must be at most 200 characters long.');
});

parse('rules between fields: repeated DocumentId, DueDate before Date, a line with neither Description nor ItemCode, one tracking category twice', () => {
  const error = invalid(() =>
    parseDocument(
      'invoices',
      json({
        Invoices: [
          consult({ DocumentId: 'A-1' }),
          consult({ DocumentId: 'A-1', DueDate: '2024-05-30', LineItems: [{ UnitAmount: 5, Tracking: [{ Name: 'Location', Option: 'X' }, { Name: 'location', Option: 'Y' }] }] }),
        ],
      }),
    ),
  );
  assert.is(
    error.message,
    'The Invoices document has 4 problems: Invoices[1].LineItems[0]: must give a Description or an ItemCode; ' +
      'Invoices[1].LineItems[0].Tracking[1].Name: repeats the tracking category "Location"; Invoices[1].DocumentId: repeats the DocumentId of Invoices[0]; ' +
      'Invoices[1].DueDate: must not be before Date (2024-05-31).',
  );
});

parse('limits: 500 invoices a request, two tracking categories a line, a Xero id for ContactID', () => {
  assert.is(parseDocument('invoices', json({ Invoices: Array.from({ length: 500 }, () => consult()) })).Invoices.length, 500);
  assert.is(invalid(() => parseDocument('invoices', json({ Invoices: Array.from({ length: 501 }, () => consult()) }))).message, 'Invoices: must have at most 500 entries.');
  const three = [1, 2, 3].map((n) => ({ Name: `C${n}`, Option: 'o' }));
  assert.is(invalid(() => parseDocument('invoices', json({ Invoices: [consult({ LineItems: [{ Description: 'x', Tracking: three }] })] }))).message, 'Invoices[0].LineItems[0].Tracking: must have at most 2 entries.');
  assert.is(
    invalid(() => parseDocument('invoices', json({ Invoices: [consult({ Contact: { ContactID: 'bob' } })] }))).message,
    'Invoices[0].Contact.ContactID: must be a Xero id such as 0f5a7c3e-2b1d-4e8f-9a6b-1c2d3e4f5a6b.',
  );
  assert.is(invalid(() => parseDocument('invoices', json({ Invoices: [] }))).message, 'Invoices: must have at least 1 entry.');
  assert.is(invalid(() => parseDocument('invoices', json({}))).message, 'Invoices: is required.');
});

const toXero = suite('documents.invoiceToXero');

toXero('drops the DocumentId, writes dates as xs:dateTime and keeps every other field', () => {
  const [invoice] = parseDocument('invoices', json({ Invoices: [consult({ DocumentId: 'PMS-1', DueDate: '2024-06-14T17:00:00', Reference: 'R' })] })).Invoices;
  assert.equal(invoiceToXero(invoice!), {
    Type: 'ACCREC',
    Contact: { Name: 'Aroha Ngata' },
    Date: '2024-05-31T00:00:00',
    DueDate: '2024-06-14T17:00:00',
    Reference: 'R',
    LineItems: [{ Description: 'Standard consultation', Quantity: 1, UnitAmount: 85, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' }],
  });
});

toXero('the XML of a parsed invoice validates against Xero\'s Invoice.xsd', async () => {
  const { Invoices } = parseDocument('invoices', xml(`<Invoices><Invoice><Type>ACCREC</Type><Contact><ContactID>0f5a7c3e-2b1d-4e8f-9a6b-1c2d3e4f5a6b</ContactID><Name>Bob &amp; Sons</Name></Contact>
    <Date>2024-05-31</Date><Status>AUTHORISED</Status><SentToContact>true</SentToContact><CurrencyCode>NZD</CurrencyCode><LineAmountTypes>NoTax</LineAmountTypes>
    <LineItems><LineItem><ItemCode>GLOVES</ItemCode><Quantity>0.0001</Quantity><UnitAmount>0.01</UnitAmount><DiscountRate>12.5</DiscountRate>
    <Tracking><TrackingCategory><Name>Location</Name><Option>Online</Option></TrackingCategory></Tracking></LineItem></LineItems></Invoice></Invoices>`));
  await assertValidXml(xeroXml('Invoices', Invoices.map(invoiceToXero)), 'Invoice.xsd');
});

/** Invoices the schema accepts, with amounts of every size and sign the schema allows. */
const anyInvoice = (): fc.Arbitrary<Invoice> => {
  const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: 'binary' }).filter((s) => s.trim() !== '' && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/.test(s)).map((s) => s.trim());
  const money = fc.integer({ min: -1e12, max: 1e12 }).map((cents) => cents / 100);
  const line = fc.record(
    {
      Description: text(40),
      Quantity: fc.integer({ min: 0, max: 1e8 }).map((n) => n / 10_000),
      UnitAmount: money,
      AccountCode: fc.stringMatching(/^[0-9A-Z]{1,10}$/),
      TaxType: fc.constantFrom('OUTPUT', 'INPUT', 'NONE', 'BASEXCLUDED', 'TAX002'),
      TaxAmount: money,
      DiscountRate: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
      Tracking: fc.constantFrom<Array<{ Name: string; Option: string }>>([{ Name: 'Location', Option: 'Main Street' }], [{ Name: 'Region', Option: 'North' }, { Name: 'Dept', Option: 'A & B' }]),
    },
    { requiredKeys: ['Description'] },
  );
  return fc.record(
    {
      Type: fc.constantFrom('ACCREC' as const, 'ACCPAY' as const),
      Contact: fc.oneof(fc.record({ Name: text(255) }), fc.record({ ContactID: fc.uuid() }), fc.record({ ContactNumber: text(50) })),
      Date: fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      LineAmountTypes: fc.constantFrom('Exclusive' as const, 'Inclusive' as const, 'NoTax' as const),
      InvoiceNumber: text(255),
      Reference: text(200),
      CurrencyCode: fc.constantFrom('AUD', 'NZD', 'USD', 'GBP'),
      Status: fc.constantFrom('DRAFT' as const, 'SUBMITTED' as const, 'AUTHORISED' as const),
      SentToContact: fc.boolean(),
      LineItems: fc.array(line, { minLength: 1, maxLength: 3 }),
      DocumentId: fc.stringMatching(/^[!#-[\]-~]{1,100}$/),
    },
    { requiredKeys: ['Type', 'Contact', 'LineItems'] },
  );
};

toXero('any invoice the schema accepts becomes XML that Invoice.xsd accepts', async () => {
  const samples = fc.sample(anyInvoice(), { numRuns: 40, seed: 20240531 });
  for (const sample of samples) parseDocument('invoices', json({ Invoices: [sample] }));
  await assertValidXml(xeroXml('Invoices', samples.map(invoiceToXero)), 'Invoice.xsd');
});

parse.run();
toXero.run();
