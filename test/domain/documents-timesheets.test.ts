import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from '../../src/domain/documents/parse-document';
import { timesheetToXero, type PayrollMappings } from '../../src/domain/documents/timesheet-to-xero';
import type { Timesheet } from '../../src/domain/documents/timesheets';
import { xeroXml } from '../../src/domain/documents/xero-xml';
import { invalid, json, xml } from '../helpers/documents';

const EMPLOYEE = 'a1b2c3d4-0000-4000-8000-000000000017';
const ORDINARY = 'e0e0e0e0-1111-4111-8111-000000000001';
const OVERTIME = 'e0e0e0e0-1111-4111-8111-000000000002';

/** A week of ordinary hours for staff member E-017, and two hours of overtime on Thursday. */
const week = (overrides: Partial<Timesheet> = {}): Timesheet => ({
  staffNumber: 'E-017',
  StartDate: '2024-05-27',
  EndDate: '2024-06-02',
  TimesheetLines: [
    { earningsType: 'Ordinary hours', NumberOfUnits: [7.6, 7.6, 7.6, 7.6, 7.6, 0, 0] },
    { EarningsRateID: OVERTIME, NumberOfUnits: [0, 0, 0, 2, 0, 0, 0] },
  ],
  ...overrides,
});

const parse = suite('documents.parseDocument timesheets');

parse('JSON, a bare JSON array and XML give the same timesheets; NumberOfUnit texts become numbers', () => {
  const body = { Timesheets: [week()] };
  assert.equal(parseDocument('timesheets', json(body)), body);
  assert.equal(parseDocument('timesheets', json([week()])), body);
  const units = (values: string[]) => `<NumberOfUnits>${values.map((value) => `<NumberOfUnit>${value}</NumberOfUnit>`).join('')}</NumberOfUnits>`;
  const text = `<Timesheets><Timesheet>
    <staffNumber>E-017</staffNumber><StartDate>2024-05-27</StartDate><EndDate>2024-06-02</EndDate>
    <TimesheetLines>
      <TimesheetLine><earningsType>Ordinary hours</earningsType>${units(['7.60', '7.60', '7.60', '7.60', '7.60', '0.00', '0'])}</TimesheetLine>
      <TimesheetLine><EarningsRateID>${OVERTIME}</EarningsRateID>${units(['0', '0', '0', '2.00', '0', '0', '0'])}</TimesheetLine>
    </TimesheetLines>
  </Timesheet></Timesheets>`;
  assert.equal(parseDocument('timesheets', xml(text)), body);
});

parse('who and which earnings are each given exactly one way; the period runs forwards and is at most 31 days', () => {
  const error = invalid(() =>
    parseDocument(
      'timesheets',
      json({
        Timesheets: [
          week({ EmployeeID: EMPLOYEE }),
          { ...week(), staffNumber: undefined, TimesheetLines: [{ NumberOfUnits: [1, 1, 1, 1, 1, 1, 1] }] },
          week({ StartDate: '2024-06-03' }),
          week({ EndDate: '2024-07-05' }),
        ],
      }),
    ),
  );
  assert.is(
    error.message,
    'The Timesheets document has 5 problems: Timesheets[0]: must give only one of EmployeeID or staffNumber; Timesheets[1]: must give one of EmployeeID or staffNumber; ' +
      'Timesheets[1].TimesheetLines[0]: must give one of EarningsRateID or earningsType; Timesheets[2].EndDate: must not be before StartDate (2024-06-03); ' +
      'Timesheets[3].EndDate: makes a period of 40 days, longer than any pay period (31 days at most).',
  );
});

parse('one number of units per day of the period, each a non-negative number; XML problems name their lines', () => {
  const text = `<Timesheets>
  <Timesheet>
    <staffNumber>E-017</staffNumber><StartDate>2024-05-27</StartDate><EndDate>2024-05-29</EndDate>
    <Status>PROCESSED</Status>
    <TimesheetLines>
      <TimesheetLine><earningsType>Ordinary hours</earningsType><NumberOfUnits><NumberOfUnit>7.6</NumberOfUnit><NumberOfUnit>-1</NumberOfUnit>
        <NumberOfUnit>eight</NumberOfUnit></NumberOfUnits></TimesheetLine>
    </TimesheetLines>
  </Timesheet>
</Timesheets>`;
  assert.is(
    invalid(() => parseDocument('timesheets', xml(text))).message,
    'The Timesheets document has 3 problems: Timesheets[0].Status: must be DRAFT or APPROVED (XML line 4); ' +
      'Timesheets[0].TimesheetLines[0].NumberOfUnits[1]: must be at least 0 (XML line 6); Timesheets[0].TimesheetLines[0].NumberOfUnits[2]: must be a number (XML line 7).',
  );
  assert.is(
    invalid(() => parseDocument('timesheets', json({ Timesheets: [week({ TimesheetLines: [{ earningsType: 'Ordinary hours', NumberOfUnits: [7.6, 7.6] }] })] }))).message,
    'Timesheets[0].TimesheetLines[0].NumberOfUnits: must have 7 numbers, one for each day from 2024-05-27 to 2024-06-02, but has 2.',
  );
});

const transform = suite('documents.timesheetToXero');
const MAPPINGS: PayrollMappings = { staff: { 'E-017': EMPLOYEE }, earnings: { 'ORDINARY HOURS': ORDINARY } };

transform('staff numbers and earnings types become Xero ids; dates become xs:dateTime; DRAFT by default', () => {
  assert.equal(timesheetToXero(week(), MAPPINGS), {
    EmployeeID: EMPLOYEE,
    StartDate: '2024-05-27T00:00:00',
    EndDate: '2024-06-02T00:00:00',
    Status: 'DRAFT',
    TimesheetLines: [
      { EarningsRateID: ORDINARY, NumberOfUnits: [7.6, 7.6, 7.6, 7.6, 7.6, 0, 0] },
      { EarningsRateID: OVERTIME, NumberOfUnits: [0, 0, 0, 2, 0, 0, 0] },
    ],
  });
  const approved = timesheetToXero(week({ staffNumber: undefined, EmployeeID: EMPLOYEE, Status: 'APPROVED' }), { staff: {}, earnings: MAPPINGS.earnings });
  assert.is(approved.Status, 'APPROVED');
});

transform('the Xero XML has Payroll AU\'s element names', () => {
  const timesheet = timesheetToXero(week({ TimesheetLines: [{ EarningsRateID: ORDINARY, TrackingItemID: OVERTIME, NumberOfUnits: [8, 0, 0, 0, 0, 0, 0.5] }] }), MAPPINGS);
  assert.is(
    xeroXml('Timesheets', [timesheet]),
    `<Timesheets><Timesheet><EmployeeID>${EMPLOYEE}</EmployeeID><StartDate>2024-05-27T00:00:00</StartDate><EndDate>2024-06-02T00:00:00</EndDate><Status>DRAFT</Status>` +
      `<TimesheetLines><TimesheetLine><EarningsRateID>${ORDINARY}</EarningsRateID><TrackingItemID>${OVERTIME}</TrackingItemID><NumberOfUnits><NumberOfUnit>8</NumberOfUnit>` +
      '<NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0</NumberOfUnit><NumberOfUnit>0.5</NumberOfUnit>' +
      '</NumberOfUnits></TimesheetLine></TimesheetLines></Timesheet></Timesheets>',
  );
});

transform('missing staff and earnings mappings are listed with the commands that make them', () => {
  const error = invalid(() => timesheetToXero(week({ staffNumber: 'E-099', TimesheetLines: [{ earningsType: 'Saturday penalty', NumberOfUnits: [0, 0, 0, 0, 0, 6, 0] }] }), MAPPINGS));
  assert.is(
    error.message,
    '2 mappings are missing: staffNumber: has no Xero employee mapped for staff number "E-099" (run: xero-proxy map set staff "E-099" --employee <EmployeeID>); ' +
      'TimesheetLines[0].earningsType: has no earnings rate mapped for "Saturday penalty" (run: xero-proxy map set earnings "Saturday penalty" --rate <EarningsRateID>).',
  );
  assert.is(error.hint, 'xero-proxy map set staff "E-099" --employee <EmployeeID>\nxero-proxy map set earnings "Saturday penalty" --rate <EarningsRateID>');
});

parse.run();
transform.run();
