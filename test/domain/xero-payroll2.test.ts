import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { oauth2Auth } from '../../src/domain/xero/auth';
import { invalidFieldMessages } from '../../src/domain/xero/payroll2-problem';
import { buildTimesheet2Approve, buildTimesheet2Lookup, processTimesheet2Lookup, processTimesheet2Write } from '../../src/domain/xero/payroll2-timesheets';
import { XeroError } from '../../src/domain/xero/xero-error';
import { Secret } from '../../src/lib/secret';

const EMPLOYEE = 'aad6b292-7b94-408b-93f6-e489867e3fb0';
const TARGET = { apiUrl: 'https://api.xero.com', auth: oauth2Auth(new Secret('token'), 'tenant-1') };
const answer = (status: number, body: unknown) => ({ status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });

const payroll2 = suite('xero.payroll2-timesheets');

payroll2('the look-up asks for the employee by filter and the period start, with the tenant and no body', () => {
  const request = buildTimesheet2Lookup(TARGET, { employeeId: EMPLOYEE, startDate: '2026-11-16' });
  assert.is(request.method, 'GET');
  assert.is(request.url, `https://api.xero.com/payroll.xro/2.0/Timesheets?filter=employeeId%3D%3D${EMPLOYEE}&startDate=2026-11-16`);
  assert.is(request.headers['xero-tenant-id'], 'tenant-1');
  assert.throws(() => buildTimesheet2Lookup(TARGET, { employeeId: 'not-a-guid', startDate: '2026-11-16' }), /as a GUID/);
});

payroll2('of the timesheets starting on or after the day, only the one starting on it is the key\'s', () => {
  const list = { timesheets: [{ timesheetID: 't-later', employeeID: EMPLOYEE, startDate: '2026-11-23T00:00:00' }, { timesheetID: 't-this', employeeID: EMPLOYEE.toUpperCase(), startDate: '2026-11-16T00:00:00' }] };
  assert.is(processTimesheet2Lookup(answer(200, list), { employeeId: EMPLOYEE, startDate: '2026-11-16' })?.['timesheetID'], 't-this');
  assert.is(processTimesheet2Lookup(answer(200, list), { employeeId: EMPLOYEE, startDate: '2026-11-09' }), undefined);
  assert.throws(() => processTimesheet2Lookup(answer(200, { pagination: null }), { employeeId: EMPLOYEE, startDate: '2026-11-16' }), /no timesheets list/);
});

payroll2('a 400 problem is a refusal naming its fields; a 400 without them, or a 500, is thrown as the problem', () => {
  const problem = { type: 'application/problem+json', title: 'BadRequest', status: 400, detail: 'Validation error occurred.', invalidFields: [{ name: 'employeeID', reason: 'The employee could not be found.' }, { reason: 'Hours exceed 24.' }] };
  assert.equal(processTimesheet2Write(answer(400, problem)), { status: 'refused', messages: ['employeeID: The employee could not be found.', 'Hours exceed 24.'] });
  assert.equal(invalidFieldMessages(JSON.stringify({ title: 'BadRequest', detail: 'Only a draft can be approved.' })), ['Only a draft can be approved.']);
  assert.equal(invalidFieldMessages('<html>oops</html>'), []);
  assert.throws(() => processTimesheet2Write(answer(400, '')), (error: unknown) => error instanceof XeroError);
  assert.throws(() => processTimesheet2Write(answer(500, 'An unhandled error')), (error: unknown) => error instanceof XeroError && error.retryable === true);
  assert.throws(() => processTimesheet2Write(answer(200, { timesheet: null })), /no timesheet with a timesheetID/);
});

payroll2('approving sends the same Idempotency-Key for the same timesheet, and refuses an id that is not a GUID', () => {
  const id = '62bd8b5f-8e90-4868-a0e6-62f994f7d659';
  assert.is(buildTimesheet2Approve(TARGET, id).url, `https://api.xero.com/payroll.xro/2.0/Timesheets/${id}/Approve`);
  assert.is(buildTimesheet2Approve(TARGET, id).headers['Idempotency-Key'], buildTimesheet2Approve(TARGET, id).headers['Idempotency-Key']);
  assert.throws(() => buildTimesheet2Approve(TARGET, '../Employees'), /as a GUID/);
});

payroll2.run();
