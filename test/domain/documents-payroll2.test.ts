import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { payrollApiFor } from '../../src/domain/documents/payroll-api';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { isPayroll2Payload, toPayroll2 } from '../../src/domain/documents/timesheet-to-payroll2';
import { timesheetToXero } from '../../src/domain/documents/timesheet-to-xero';
import type { Timesheet } from '../../src/domain/documents/timesheets';
import { invalid, json, xml } from '../helpers/documents';

const EMPLOYEE = 'a1b2c3d4-0000-4000-8000-000000000017';
const CALENDAR = 'ca1e4da0-0000-4000-8000-000000000001';
const ORDINARY = 'e0e0e0e0-1111-4111-8111-000000000001';
const OVERTIME = 'e0e0e0e0-1111-4111-8111-000000000002';
const TRACKING = 'f0f0f0f0-2222-4222-8222-000000000003';

const week = (overrides: Partial<Timesheet> = {}): Timesheet => ({
  EmployeeID: EMPLOYEE,
  StartDate: '2026-11-16',
  EndDate: '2026-11-22',
  TimesheetLines: [
    { EarningsRateID: ORDINARY, NumberOfUnits: [7.6, 7.6, 0, 7.6, 7.6, 0, 0] },
    { EarningsRateID: OVERTIME, TrackingItemID: TRACKING, NumberOfUnits: [0, 0, 0, 2, 0, 0, 0] },
  ],
  ...overrides,
});
const NO_MAPPINGS = { staff: {}, earnings: {} };

const convert = suite('documents.toPayroll2');

convert('a day-by-day timesheet becomes dated lines, one per day and rate with units, in date order, on the given calendar', () => {
  const payload = toPayroll2(timesheetToXero(week(), NO_MAPPINGS), CALENDAR);
  assert.equal(payload, {
    payrollApi: '2.0',
    approve: false,
    timesheet: {
      payrollCalendarID: CALENDAR,
      employeeID: EMPLOYEE,
      startDate: '2026-11-16',
      endDate: '2026-11-22',
      timesheetLines: [
        { date: '2026-11-16', earningsRateID: ORDINARY, numberOfUnits: 7.6 },
        { date: '2026-11-17', earningsRateID: ORDINARY, numberOfUnits: 7.6 },
        { date: '2026-11-19', earningsRateID: ORDINARY, numberOfUnits: 7.6 },
        { date: '2026-11-19', earningsRateID: OVERTIME, numberOfUnits: 2, trackingItemID: TRACKING },
        { date: '2026-11-20', earningsRateID: ORDINARY, numberOfUnits: 7.6 },
      ],
    },
  });
  assert.ok(isPayroll2Payload(payload as unknown as Record<string, unknown>));
  assert.not.ok(isPayroll2Payload(timesheetToXero(week(), NO_MAPPINGS) as unknown as Record<string, unknown>));
});

convert('approve: true or Status APPROVED asks for approval; on Payroll AU 1.0 approve: true is Status APPROVED; an unknown calendar is left empty to be read at delivery', () => {
  assert.is(toPayroll2(timesheetToXero(week({ approve: true }), NO_MAPPINGS), CALENDAR).approve, true);
  assert.is(toPayroll2(timesheetToXero(week({ Status: 'APPROVED' }), NO_MAPPINGS), CALENDAR).approve, true);
  assert.is(timesheetToXero(week({ approve: true }), NO_MAPPINGS).Status, 'APPROVED');
  assert.is(timesheetToXero(week(), NO_MAPPINGS).Status, 'DRAFT');
  assert.is(toPayroll2(timesheetToXero(week(), NO_MAPPINGS), undefined).timesheet.payrollCalendarID, '');
});

convert('approve is read from JSON and XML; with Status DRAFT, or not a boolean, it is refused naming its field', () => {
  assert.is(parseDocument('timesheets', json({ Timesheets: [week({ approve: true })] })).Timesheets[0]!.approve, true);
  const text = `<Timesheets><Timesheet><EmployeeID>${EMPLOYEE}</EmployeeID><StartDate>2026-11-16</StartDate><EndDate>2026-11-22</EndDate><approve>true</approve>
    <TimesheetLines><TimesheetLine><EarningsRateID>${ORDINARY}</EarningsRateID><NumberOfUnits>${'<NumberOfUnit>1</NumberOfUnit>'.repeat(7)}</NumberOfUnits></TimesheetLine></TimesheetLines></Timesheet></Timesheets>`;
  assert.is(parseDocument('timesheets', xml(text)).Timesheets[0]!.approve, true);
  assert.match(invalid(() => parseDocument('timesheets', json({ Timesheets: [week({ approve: true, Status: 'DRAFT' })] }))).message, 'Timesheets[0].approve: must not be true for a timesheet whose Status is DRAFT');
  assert.match(invalid(() => parseDocument('timesheets', json({ Timesheets: [{ ...week(), approve: 'yes' }] }))).message, 'Timesheets[0].approve');
});

convert('the payroll API follows the country: GB and NZ on 2.0, AU on 1.0 unless set to 2.0, other countries none', () => {
  assert.equal(
    [payrollApiFor('GB', undefined), payrollApiFor('NZ', '1.0'), payrollApiFor('AU', undefined), payrollApiFor('AU', '2.0'), payrollApiFor('US', undefined)],
    ['2.0', '2.0', '1.0', '2.0', undefined],
  );
});

convert.run();
