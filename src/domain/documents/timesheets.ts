import { Type, type Static } from '@sinclair/typebox';
import { xeroItemName } from '../xero/xml-shape';
import { DateText, Decimal, MAX_BATCH, OneOf, Strict, Text, Uuid, XmlList } from './fields';

/** The longest pay period of any Xero payroll calendar (monthly). */
export const MAX_PERIOD_DAYS = 31;

const item = (list: string) => xeroItemName(list) ?? list;

/** Units of one earnings rate, one number per day. */
export const TimesheetLineSchema = Strict(
  {
    EarningsRateID: Type.Optional(Uuid({ description: 'Xero\'s earnings rate; or give earningsType.' })),
    earningsType: Type.Optional(Text(100, { description: 'The app\'s own name for the earnings, mapped to an EarningsRateID (`xero-proxy map set earnings`).' })),
    TrackingItemID: Type.Optional(Uuid()),
    NumberOfUnits: XmlList(item('NumberOfUnits'), Decimal(2, 0, 9999), {
      minItems: 1,
      maxItems: MAX_PERIOD_DAYS,
      description: 'One number per day of the period, from StartDate to EndDate (7 for a week).',
    }),
  },
  { description: 'Units of one earnings rate per day. Exactly one of EarningsRateID or earningsType.' },
);

/** One Payroll AU timesheet, with the app's own names allowed for staff and earnings. */
export const TimesheetSchema = Strict(
  {
    EmployeeID: Type.Optional(Uuid({ description: 'Xero\'s employee; or give staffNumber.' })),
    staffNumber: Type.Optional(Text(50, { description: 'The app\'s own staff number, mapped to an EmployeeID (`xero-proxy map set staff`).' })),
    StartDate: DateText(),
    EndDate: DateText({ description: 'Inclusive; the period must be exactly one pay period of the employee\'s payroll calendar.' }),
    Status: Type.Optional(OneOf(['DRAFT', 'APPROVED'] as const, { description: 'Defaults to DRAFT. PROCESSED is set by pay runs, not by apps.' })),
    approve: Type.Optional(
      Type.Boolean({
        description: 'Approve the timesheet in Xero once it is created (the same as Status APPROVED). Payroll AU 1.0 takes it as Status APPROVED; Payroll UK, NZ and AU 2.0 create it as a draft, then approve it with their own call.',
      }),
    ),
    TimesheetLines: XmlList(item('TimesheetLines'), TimesheetLineSchema, { minItems: 1, maxItems: 100 }),
  },
  { description: 'A timesheet for Xero Payroll: Payroll AU 1.0, or Payroll UK, NZ and AU 2.0, whichever the organisation uses (PROTOCOL.md §5.1, §5.2). Exactly one of EmployeeID or staffNumber.' },
);

/** The timesheets document: `{"Timesheets":[…]}`, a bare array, or `<Timesheets>` in XML. */
export const TimesheetsSchema = Strict(
  { Timesheets: XmlList(item('Timesheets'), TimesheetSchema, { minItems: 1, maxItems: MAX_BATCH }) },
  { title: 'Timesheets', description: 'Payroll AU timesheets. XML: <Timesheets><Timesheet>…<NumberOfUnits><NumberOfUnit>7.60</NumberOfUnit>…' },
);

/** A validated timesheet line. */
export type TimesheetLine = Static<typeof TimesheetLineSchema>;
export type Timesheet = Static<typeof TimesheetSchema>;
/** A validated timesheets document. */
export type TimesheetsDocument = Static<typeof TimesheetsSchema>;
