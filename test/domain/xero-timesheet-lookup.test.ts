import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { oauth2Auth } from '../../src/domain/xero/auth';
import { buildTimesheetLookup, MAX_TIMESHEETS_PER_LOOKUP, timesheetFilter } from '../../src/domain/xero/timesheet-lookup';
import { Secret } from '../../src/lib/secret';

const lookup = suite('domain.xero.timesheet-lookup');

const key = (n: number) => ({ employeeId: `e3910fee-0000-4000-8000-${String(n).padStart(12, '0')}`, startDate: '2026-11-16' });

lookup('finds timesheets by employee and period start, one term per timesheet', () => {
  assert.is(timesheetFilter([key(1)]), '(EmployeeID==Guid("e3910fee-0000-4000-8000-000000000001") AND StartDate==DateTime(2026,11,16))');
});

lookup('a full look-up stays under the 2,048 characters IIS takes in a URL; one more timesheet is refused', () => {
  const keys = Array.from({ length: MAX_TIMESHEETS_PER_LOOKUP }, (_, i) => key(i + 1));
  const request = buildTimesheetLookup({ apiUrl: 'https://api.xero.com', auth: oauth2Auth(new Secret('token'), 'tenant'), keys });
  assert.ok(request.url.length < 2048, `${request.url.length} characters`);
  assert.throws(() => timesheetFilter([...keys, key(99)]), /1 to 10 timesheets/);
});

lookup('refuses a key that is not an EmployeeID and a day, rather than build a filter from it', () => {
  assert.throws(() => timesheetFilter([{ employeeId: 'x") OR (1==1', startDate: '2026-11-16' }]), /EmployeeID/);
});

lookup.run();
