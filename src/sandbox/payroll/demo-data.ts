import type { Clock } from '../../lib/clock';
import type { Db } from '../../store/db';
import type { SandboxOrganisation } from '../organisations';
import { replaceDocument } from '../store/documents';
import { storedTimestamp } from '../store/stored-dates';
import { PAYROLL_TYPES, type EarningsRate, type PayrollCalendar, type PayrollEmployee } from './model';

/**
 * A deterministic id for a demo payroll object: a fixed prefix per kind, the organisation id's
 * last four digits and a sequence number, e.g. employee 3 of the first org is
 * `e3910fee-0000-4000-8000-000100000003`.
 */
export function payrollDemoId(kind: 'calendar' | 'earningsRate' | 'employee', organisationId: string, n: number): string {
  const prefix = { calendar: 'ca1e4da0', earningsRate: 'ea7e5000', employee: 'e3910fee' }[kind];
  return `${prefix}-0000-4000-8000-${organisationId.slice(-4)}${String(n).padStart(8, '0')}`;
}

interface DemoPerson {
  first: string;
  last: string;
  job: string;
  /** None for an employee Xero has on no pay calendar yet (Payroll UK leaves it empty until a salary and wage is set). */
  calendar?: 1 | 2;
  born: string;
  started: string;
  gender: 'F' | 'M';
  terminated?: string;
}

const PEOPLE: Record<string, { domain: string; ordinaryRate: number; people: DemoPerson[] }> = {
  '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0001': {
    domain: 'harbourside.example',
    ordinaryRate: 28.5,
    people: [
      { first: 'Mia', last: 'Nguyen', job: 'Barista', calendar: 1, born: '1996-03-14', started: '2023-02-06', gender: 'F' },
      { first: 'Liam', last: "O'Connor", job: 'Chef', calendar: 1, born: '1988-11-02', started: '2021-07-19', gender: 'M' },
      { first: 'Ava', last: 'Patel', job: 'Front of House', calendar: 2, born: '1999-06-25', started: '2024-03-04', gender: 'F' },
      { first: 'Noah', last: 'Williams', job: 'Kitchen Hand', calendar: 2, born: '2003-01-30', started: '2025-01-13', gender: 'M' },
      { first: 'Chloe', last: 'Martin', job: 'Barista', calendar: 1, born: '1994-09-09', started: '2022-05-02', gender: 'F', terminated: '2025-11-30' },
    ],
  },
  '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0002': {
    domain: 'riverbend.example',
    ordinaryRate: 34.2,
    people: [
      { first: 'Grace', last: 'Thompson', job: 'Practice Nurse', calendar: 2, born: '1985-04-18', started: '2019-08-12', gender: 'F' },
      { first: 'Ethan', last: 'Brown', job: 'Receptionist', calendar: 1, born: '1998-12-05', started: '2023-10-02', gender: 'M' },
      { first: 'Zoe', last: 'Robinson', job: 'Practice Manager', calendar: 2, born: '1979-07-21', started: '2016-02-01', gender: 'F' },
      { first: 'Jack', last: 'Wilson', job: 'Medical Receptionist', calendar: 1, born: '2001-10-11', started: '2024-06-17', gender: 'M' },
      { first: 'Ruby', last: 'Clarke', job: 'Practice Nurse', calendar: 2, born: '1990-02-27', started: '2020-01-20', gender: 'F', terminated: '2025-10-31' },
    ],
  },
  // Kauri Hardware (NZ) and Thames Bakery (GB) are paid through Payroll NZ and UK (payroll.xro/2.0).
  '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0003': {
    domain: 'kauri.example',
    ordinaryRate: 26.5,
    people: [
      { first: 'Aroha', last: 'Ngata', job: 'Counter Sales', calendar: 1, born: '1992-08-03', started: '2022-09-05', gender: 'F' },
      { first: 'Tane', last: 'Walker', job: 'Yard Hand', calendar: 1, born: '1997-05-19', started: '2024-02-12', gender: 'M' },
      { first: 'Hannah', last: 'Reid', job: 'Store Manager', calendar: 2, born: '1983-12-01', started: '2018-04-09', gender: 'F' },
    ],
  },
  '7d5e1c52-4f0b-4b7e-9a61-3c1f1a2b0004': {
    domain: 'thamesbakery.example',
    ordinaryRate: 12.6,
    people: [
      { first: 'Oliver', last: 'Hughes', job: 'Baker', calendar: 1, born: '1990-07-07', started: '2021-03-01', gender: 'M' },
      { first: 'Amelia', last: 'Evans', job: 'Shop Assistant', calendar: 1, born: '2000-02-14', started: '2024-08-19', gender: 'F' },
      { first: 'Harry', last: 'Price', job: 'Pastry Chef', calendar: 2, born: '1986-10-23', started: '2019-11-04', gender: 'M' },
      { first: 'Isla', last: 'Morgan', job: 'Shop Assistant', calendar: 1, born: '1998-04-30', started: '2023-01-09', gender: 'F', terminated: '2025-09-30' },
      { first: 'George', last: 'Ward', job: 'Delivery Driver', born: '1995-06-12', started: '2026-11-02', gender: 'M' },
    ],
  },
};

/** The countries whose payroll the sandbox seeds: Payroll AU (1.0 and 2.0), NZ and UK (2.0). */
const PAYROLL_COUNTRIES = new Set(['AU', 'NZ', 'GB']);

/**
 * Seeds an organisation's payroll: a weekly and a fortnightly calendar, earnings rates
 * (ordinary, overtime ×1.5, Saturday and Sunday penalties, a meal allowance and a fixed-amount
 * bonus that timesheets must refuse) and its employees, one of them terminated. Australian,
 * New Zealand and British organisations have Xero Payroll; any other country gets nothing. The
 * documents are kept in Payroll AU's shape; payroll.xro/2.0 renders them in its own.
 */
export function seedPayrollDemo(db: Db, org: SandboxOrganisation, clock: Clock): void {
  if (!PAYROLL_COUNTRIES.has(org.countryCode)) return;
  const now = clock.now().toISOString();
  const updated = storedTimestamp(clock.now());
  const id = (kind: Parameters<typeof payrollDemoId>[0], n: number) => payrollDemoId(kind, org.id, n);
  const data = PEOPLE[org.id] ?? Object.values(PEOPLE)[0]!;

  const calendars: PayrollCalendar[] = [
    { PayrollCalendarID: id('calendar', 1), Name: 'Weekly', CalendarType: 'WEEKLY', StartDate: '2026-01-05T00:00:00', PaymentDate: '2026-01-14T00:00:00', ReferenceDate: '2026-01-05T00:00:00', UpdatedDateUTC: updated },
    { PayrollCalendarID: id('calendar', 2), Name: 'Fortnightly', CalendarType: 'FORTNIGHTLY', StartDate: '2026-01-12T00:00:00', PaymentDate: '2026-01-28T00:00:00', ReferenceDate: '2026-01-12T00:00:00', UpdatedDateUTC: updated },
  ];
  const common = { AccountCode: '477', IsExemptFromTax: false, IsExemptFromSuper: false, IsReportableAsW1: true };
  const rates: EarningsRate[] = [
    { EarningsRateID: id('earningsRate', 1), Name: 'Ordinary Hours', EarningsType: 'ORDINARYTIMEEARNINGS', RateType: 'RATEPERUNIT', TypeOfUnits: 'Hours', RatePerUnit: data.ordinaryRate, ...common, IsQualifyingEarnings: true },
    { EarningsRateID: id('earningsRate', 2), Name: 'Overtime Hours (x1.5)', EarningsType: 'OVERTIMEEARNINGS', RateType: 'MULTIPLE', TypeOfUnits: 'Hours', Multiplier: 1.5, AccrueLeave: false, ...common, IsExemptFromSuper: true, IsQualifyingEarnings: false },
    { EarningsRateID: id('earningsRate', 3), Name: 'Saturday Penalty (x1.25)', EarningsType: 'ORDINARYTIMEEARNINGS', RateType: 'MULTIPLE', TypeOfUnits: 'Hours', Multiplier: 1.25, AccrueLeave: true, ...common, IsQualifyingEarnings: true },
    { EarningsRateID: id('earningsRate', 4), Name: 'Sunday Penalty (x1.5)', EarningsType: 'ORDINARYTIMEEARNINGS', RateType: 'MULTIPLE', TypeOfUnits: 'Hours', Multiplier: 1.5, AccrueLeave: true, ...common, IsQualifyingEarnings: true },
    { EarningsRateID: id('earningsRate', 5), Name: 'Meal Allowance', EarningsType: 'ALLOWANCE', RateType: 'RATEPERUNIT', TypeOfUnits: 'Meals', RatePerUnit: 16.5, AllowanceType: 'MEALS', ...common, IsQualifyingEarnings: false },
    { EarningsRateID: id('earningsRate', 6), Name: 'Bonus', EarningsType: 'BONUSESANDCOMMISSIONS', RateType: 'FIXEDAMOUNT', Amount: 0, ...common, IsQualifyingEarnings: true },
  ].map((rate) => ({ ...rate, UpdatedDateUTC: updated, CurrentRecord: true }) as EarningsRate);

  const employees: PayrollEmployee[] = data.people.map((person, index) => ({
    EmployeeID: id('employee', index + 1),
    FirstName: person.first,
    LastName: person.last,
    Status: person.terminated ? 'TERMINATED' : 'ACTIVE',
    Email: `${person.first}.${person.last.replace(/[^A-Za-z]/g, '')}@${data.domain}`.toLowerCase(),
    DateOfBirth: `${person.born}T00:00:00`,
    Gender: person.gender,
    StartDate: `${person.started}T00:00:00`,
    ...(person.terminated ? { TerminationDate: `${person.terminated}T00:00:00`, TerminationReason: 'V' } : {}),
    JobTitle: person.job,
    OrdinaryEarningsRateID: id('earningsRate', 1),
    ...(person.calendar ? { PayrollCalendarID: id('calendar', person.calendar) } : {}),
    IsAuthorisedToApproveTimesheets: false,
    UpdatedDateUTC: updated,
  }));

  for (const calendar of calendars) replaceDocument(db, org.id, PAYROLL_TYPES.calendar, calendar.PayrollCalendarID, calendar, now);
  for (const rate of rates) replaceDocument(db, org.id, PAYROLL_TYPES.earningsRate, rate.EarningsRateID, rate, now);
  for (const employee of employees) replaceDocument(db, org.id, PAYROLL_TYPES.employee, employee.EmployeeID, employee, now);
}
