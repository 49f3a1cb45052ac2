import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_ORGANISATIONS } from '../../src/sandbox/organisations';
import { linkApp, oauthEncode, registerApp, signRequest, withToken, type ClientCredentials } from '../helpers/oauth1-client';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox';
import { assertValidXml } from '../helpers/xsd';

const PRACTICE = DEMO_ORGANISATIONS[1]!;
const e2e = suite<{ sb: TestSandbox; credentials: ClientCredentials }>('sandbox.end-to-end');

e2e.before(async (context) => {
  context.sb = await startTestSandbox();
  const app = await registerApp(context.sb.url, 'partner');
  const linked = await linkApp(context.sb.url, app, { organisationId: PRACTICE.id });
  context.credentials = withToken(app, linked);
});
e2e.after(async ({ sb }) => sb.stop());

/** A signed call; a form body (the classic xml= field) is part of the signature, raw bodies are not. */
async function send(sb: TestSandbox, credentials: ClientCredentials, method: string, path: string, body?: { form?: string; xml?: string; json?: unknown }, accept = 'application/json') {
  const url = `${sb.url}${path}`;
  const signed = signRequest({ method, url, credentials, ...(body?.form ? { form: body.form } : {}) });
  const headers: Record<string, string> = { Authorization: signed.authorization, Accept: accept };
  let payload: string | undefined;
  if (body?.form) [headers['Content-Type'], payload] = ['application/x-www-form-urlencoded', body.form];
  if (body?.xml) [headers['Content-Type'], payload] = ['application/xml', body.xml];
  if (body?.json) [headers['Content-Type'], payload] = ['application/json', JSON.stringify(body.json)];
  return fetch(url, { method, headers, ...(payload ? { body: payload } : {}) });
}

const PATIENT_INVOICE = `<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Ms Jane Citizen</Name></Contact><Date>2026-03-02T00:00:00</Date><DueDate>2026-03-16T00:00:00</DueDate><LineAmountTypes>Inclusive</LineAmountTypes><Reference>VISIT-8812</Reference><Status>AUTHORISED</Status><LineItems><LineItem><Description>Standard consultation</Description><Quantity>1.0000</Quantity><UnitAmount>88.00</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT</TaxType></LineItem></LineItems></Invoice></Invoices>`;

e2e('a partner app posts an invoice as xml=, pays it, and reads both back in JSON and XML', async ({ sb, credentials }) => {
  await assertValidXml(PATIENT_INVOICE, 'Invoice.xsd');
  const created = await send(sb, credentials, 'PUT', '/api.xro/2.0/Invoices?summarizeErrors=false', { form: `xml=${oauthEncode(PATIENT_INVOICE)}` }, 'application/xml');
  const createdXml = await created.text();
  assert.is(created.status, 200, createdXml);
  await assertValidXml(createdXml);
  assert.match(createdXml, '<Invoice status="OK">');
  assert.match(createdXml, '<Total>88.00</Total>');
  assert.match(createdXml, '<TotalTax>8.00</TotalTax>');

  const payment = `<Payments><Payment><Invoice><InvoiceNumber>${/<InvoiceNumber>([^<]+)</.exec(createdXml)![1]}</InvoiceNumber></Invoice><Account><Code>090</Code></Account><Date>2026-03-03T00:00:00</Date><Amount>88.00</Amount><Reference>EFTPOS 4471</Reference></Payment></Payments>`;
  await assertValidXml(payment, 'Payment.xsd');
  const paid = await send(sb, credentials, 'PUT', '/api.xro/2.0/Payments', { xml: payment });
  assert.is(paid.status, 200, await paid.clone().text());

  const read = await send(sb, credentials, 'GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent('Reference=="VISIT-8812"')}&page=1`);
  assert.is(read.status, 200);
  const body = (await read.json()) as { Invoices: Array<{ Status: string; AmountDue: number; AmountPaid: number; Payments: Array<{ Reference: string }> }> };
  assert.is(body.Invoices.length, 1);
  assert.equal([body.Invoices[0]!.Status, body.Invoices[0]!.AmountDue, body.Invoices[0]!.AmountPaid], ['PAID', 0, 88]);
  assert.is(body.Invoices[0]!.Payments[0]!.Reference, 'EFTPOS 4471');

  const ledger = (await (await fetch(`${sb.url}/sandbox/ledger?organisationId=${PRACTICE.id}&type=Invoice`)).json()) as { documents: Array<{ reference: string }> };
  assert.equal(ledger.documents.map((d) => d.reference), ['VISIT-8812']);
});

e2e('a validation failure comes back as Xero words it, and nothing is stored', async ({ sb, credentials }) => {
  const bad = { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Mr Bad Code' }, Reference: 'VISIT-BAD', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 10, AccountCode: '999' }] }] };
  const response = await send(sb, credentials, 'PUT', '/api.xro/2.0/Invoices', { json: bad });
  assert.is(response.status, 400);
  const body = (await response.json()) as { ErrorNumber: number; Type: string; Elements: Array<{ ValidationErrors: Array<{ Message: string }> }> };
  assert.equal([body.ErrorNumber, body.Type], [10, 'ValidationException']);
  assert.match(body.Elements[0]!.ValidationErrors[0]!.Message, "Account code '999' is not a valid code for this document.");
  const ledger = (await (await fetch(`${sb.url}/sandbox/ledger?type=Invoice`)).json()) as { documents: Array<{ reference: string }> };
  assert.not.ok(ledger.documents.some((d) => d.reference === 'VISIT-BAD'));
});

e2e("a timesheet for an employee's pay period goes in as XML and reads back as JSON", async ({ sb, credentials }) => {
  const employees = (await (await send(sb, credentials, 'GET', '/payroll.xro/1.0/Employees')).json()) as {
    Employees: Array<{ EmployeeID: string; Status: string; PayrollCalendarID: string; OrdinaryEarningsRateID: string }>;
  };
  const employee = employees.Employees.find((e) => e.Status === 'ACTIVE')!;
  const calendars = (await (await send(sb, credentials, 'GET', '/payroll.xro/1.0/PayrollCalendars')).json()) as {
    PayrollCalendars: Array<{ PayrollCalendarID: string; CalendarType: string; StartDate: string }>;
  };
  const calendar = calendars.PayrollCalendars.find((c) => c.PayrollCalendarID === employee.PayrollCalendarID)!;
  const start = new Date(Number(/\/Date\((\d+)/.exec(calendar.StartDate)![1]));
  const days = calendar.CalendarType === 'WEEKLY' ? 7 : 14;
  const end = new Date(start.getTime() + (days - 1) * 86_400_000);
  const units = Array.from({ length: days }, (_, i) => `<NumberOfUnit>${i % 7 < 5 ? '7.60' : '0.00'}</NumberOfUnit>`).join('');
  const xml = `<Timesheets><Timesheet><EmployeeID>${employee.EmployeeID}</EmployeeID><StartDate>${start.toISOString().slice(0, 10)}</StartDate><EndDate>${end.toISOString().slice(0, 10)}</EndDate><Status>DRAFT</Status><TimesheetLines><TimesheetLine><EarningsRateID>${employee.OrdinaryEarningsRateID}</EarningsRateID><NumberOfUnits>${units}</NumberOfUnits></TimesheetLine></TimesheetLines></Timesheet></Timesheets>`;
  const created = await send(sb, credentials, 'POST', '/payroll.xro/1.0/Timesheets', { xml });
  assert.is(created.status, 200, await created.clone().text());
  const timesheet = ((await created.json()) as { Timesheets: Array<{ TimesheetID: string; Hours: number; Status: string }> }).Timesheets[0]!;
  assert.equal([timesheet.Status, timesheet.Hours], ['DRAFT', (days / 7) * 5 * 7.6]);
  const again = await send(sb, credentials, 'POST', '/payroll.xro/1.0/Timesheets', { xml });
  assert.is(again.status, 400, 'the same period twice is refused');
  assert.match(await again.text(), 'This timesheet already exists, please provide the timesheet ID');
});

e2e.run();
