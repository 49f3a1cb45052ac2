import type { DocumentKind, DocumentOf } from './kinds';

/**
 * One example of each document, in JSON and in XML, for the OpenAPI description. The tests
 * parse every one, so the published examples are always accepted and say the same in both.
 */
export const DOCUMENT_EXAMPLES: { readonly [K in DocumentKind]: { json: DocumentOf[K]; xml: string } } = {
  invoices: {
    json: {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { Name: 'Aroha Ngata' },
          Date: '2024-05-31',
          DueDate: '2024-06-14',
          LineAmountTypes: 'Exclusive',
          Reference: 'Consult 31 May',
          Status: 'AUTHORISED',
          LineItems: [{ Description: 'Standard consultation', Quantity: 1, UnitAmount: 85, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' }],
          DocumentId: 'PMS-INV-10442',
        },
      ],
    },
    xml: `<Invoices>
  <Invoice>
    <Type>ACCREC</Type>
    <Contact><Name>Aroha Ngata</Name></Contact>
    <Date>2024-05-31</Date>
    <DueDate>2024-06-14</DueDate>
    <LineAmountTypes>Exclusive</LineAmountTypes>
    <Reference>Consult 31 May</Reference>
    <Status>AUTHORISED</Status>
    <LineItems>
      <LineItem><Description>Standard consultation</Description><Quantity>1</Quantity><UnitAmount>85</UnitAmount><AccountCode>200</AccountCode><TaxType>EXEMPTOUTPUT</TaxType></LineItem>
    </LineItems>
    <DocumentId>PMS-INV-10442</DocumentId>
  </Invoice>
</Invoices>`,
  },
  'credit-notes': {
    json: {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Contact: { Name: 'Aroha Ngata' },
          Date: '2024-06-03',
          LineAmountTypes: 'Exclusive',
          Reference: 'Consult 31 May, rebate',
          Status: 'AUTHORISED',
          LineItems: [{ Description: 'Consultation rebate', Quantity: 1, UnitAmount: 20, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' }],
          Allocation: { Invoice: { DocumentId: 'PMS-INV-10442' }, Amount: 20 },
          DocumentId: 'PMS-CN-311',
        },
      ],
    },
    xml: `<CreditNotes>
  <CreditNote>
    <Type>ACCRECCREDIT</Type>
    <Contact><Name>Aroha Ngata</Name></Contact>
    <Date>2024-06-03</Date>
    <LineAmountTypes>Exclusive</LineAmountTypes>
    <Reference>Consult 31 May, rebate</Reference>
    <Status>AUTHORISED</Status>
    <LineItems>
      <LineItem><Description>Consultation rebate</Description><Quantity>1</Quantity><UnitAmount>20</UnitAmount><AccountCode>200</AccountCode><TaxType>EXEMPTOUTPUT</TaxType></LineItem>
    </LineItems>
    <Allocation><Invoice><DocumentId>PMS-INV-10442</DocumentId></Invoice><Amount>20</Amount></Allocation>
    <DocumentId>PMS-CN-311</DocumentId>
  </CreditNote>
</CreditNotes>`,
  },
  payments: {
    json: { Payments: [{ Invoice: { DocumentId: 'PMS-INV-10442' }, Account: { Code: '090' }, Date: '2024-06-03', Amount: 85, Reference: 'EFTPOS 3 June', DocumentId: 'PMS-PAY-7781' }] },
    xml: `<Payments>
  <Payment>
    <Invoice><DocumentId>PMS-INV-10442</DocumentId></Invoice>
    <Account><Code>090</Code></Account>
    <Date>2024-06-03</Date>
    <Amount>85.00</Amount>
    <Reference>EFTPOS 3 June</Reference>
    <DocumentId>PMS-PAY-7781</DocumentId>
  </Payment>
</Payments>`,
  },
  'pos-shift': {
    json: {
      shiftId: 'TILL-0042-2024-05-31-PM',
      closedAt: '2024-05-31T22:40:00+10:00',
      location: 'Harbourside',
      sales: [
        { category: 'Coffee', gross: 1247.5, tax: 113.41, quantity: 261 },
        { category: 'Food', gross: 2206.2, tax: 200.56 },
        { category: 'Bottled water', gross: 96, tax: 0 },
      ],
      tenders: [
        { type: 'cash', amount: 842.45 },
        { type: 'eftpos', amount: 2707.3 },
      ],
      tracking: { location: 'Harbourside' },
    },
    xml: `<PosShift>
  <shiftId>TILL-0042-2024-05-31-PM</shiftId>
  <closedAt>2024-05-31T22:40:00+10:00</closedAt>
  <location>Harbourside</location>
  <sales>
    <sale><category>Coffee</category><gross>1247.50</gross><tax>113.41</tax><quantity>261</quantity></sale>
    <sale><category>Food</category><gross>2206.20</gross><tax>200.56</tax></sale>
    <sale><category>Bottled water</category><gross>96.00</gross><tax>0</tax></sale>
  </sales>
  <tenders>
    <tender><type>cash</type><amount>842.45</amount></tender>
    <tender><type>eftpos</type><amount>2707.30</amount></tender>
  </tenders>
  <tracking><location>Harbourside</location></tracking>
</PosShift>`,
  },
  timesheets: {
    json: { Timesheets: [{ staffNumber: 'E-017', StartDate: '2024-05-27', EndDate: '2024-06-02', approve: true, TimesheetLines: [{ earningsType: 'Ordinary hours', NumberOfUnits: [7.6, 7.6, 7.6, 7.6, 7.6, 0, 0] }] }] },
    xml: `<Timesheets>
  <Timesheet>
    <staffNumber>E-017</staffNumber>
    <StartDate>2024-05-27</StartDate>
    <EndDate>2024-06-02</EndDate>
    <approve>true</approve>
    <TimesheetLines>
      <TimesheetLine>
        <earningsType>Ordinary hours</earningsType>
        <NumberOfUnits><NumberOfUnit>7.60</NumberOfUnit><NumberOfUnit>7.60</NumberOfUnit><NumberOfUnit>7.60</NumberOfUnit><NumberOfUnit>7.60</NumberOfUnit><NumberOfUnit>7.60</NumberOfUnit><NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0</NumberOfUnit></NumberOfUnits>
      </TimesheetLine>
    </TimesheetLines>
  </Timesheet>
</Timesheets>`,
  },
  'wage-bill': {
    json: {
      periodStart: '2024-05-27',
      periodEnd: '2024-06-02',
      contact: 'Wages payable',
      lines: [
        { description: 'Net wages', amount: 18240.55, earningsType: 'Ordinary hours' },
        { description: 'PAYG withholding', amount: 4310, accountCode: '825' },
      ],
      reference: 'Pay run 2024-22',
      dueDate: '2024-06-04',
    },
    xml: `<WageBill>
  <periodStart>2024-05-27</periodStart>
  <periodEnd>2024-06-02</periodEnd>
  <contact>Wages payable</contact>
  <lines>
    <line><description>Net wages</description><amount>18240.55</amount><earningsType>Ordinary hours</earningsType></line>
    <line><description>PAYG withholding</description><amount>4310.00</amount><accountCode>825</accountCode></line>
  </lines>
  <reference>Pay run 2024-22</reference>
  <dueDate>2024-06-04</dueDate>
</WageBill>`,
  },
};
