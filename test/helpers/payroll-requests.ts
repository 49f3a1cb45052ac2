import { xeroItemName } from '../../src/domain/xero/xml-shape';
import { decodeElement, parseXml } from '../../src/lib/xml';
import { payrollDemoId } from '../../src/sandbox/payroll/demo-data';
import { PAYROLL_ORG, type PayrollOnlySandbox } from './payroll-sandbox';

/** Response bodies are inspected loosely. */
export type Json = any;

/** Demo ids of the first AU organisation: employees 1–2 and 5 (terminated) are weekly, 3–4 fortnightly. */
export const employee = (n: number, org = PAYROLL_ORG.id): string => payrollDemoId('employee', org, n);
/** Earnings rates: 1 ordinary, 2 overtime, 3 Saturday, 4 Sunday, 5 meal allowance, 6 bonus (fixed). */
export const rate = (n: number, org = PAYROLL_ORG.id): string => payrollDemoId('earningsRate', org, n);
export const calendar = (n: number, org = PAYROLL_ORG.id): string => payrollDemoId('calendar', org, n);

/** The first weekly period of the demo calendars, and the first fortnightly one. */
export const WEEK = { start: '2026-01-05', end: '2026-01-11' };
export const FORTNIGHT = { start: '2026-01-12', end: '2026-01-25' };

export interface TimesheetInput {
  EmployeeID?: string;
  StartDate?: string;
  EndDate?: string;
  Status?: string;
  TimesheetID?: string;
  TimesheetLines?: Array<{ EarningsRateID?: string; NumberOfUnits?: unknown[]; TrackingItemID?: string }>;
}

/** A week for Mia (employee 1) with 4 ordinary hours Monday to Friday, changed by `overrides`. */
export function week(overrides: Partial<TimesheetInput> = {}): TimesheetInput {
  return { EmployeeID: employee(1), StartDate: WEEK.start, EndDate: WEEK.end, TimesheetLines: [{ EarningsRateID: rate(1), NumberOfUnits: [4, 4, 4, 4, 4, 0, 0] }], ...overrides };
}

/** The same timesheets as Xero's XML: `<Timesheets><Timesheet>…<NumberOfUnits><NumberOfUnit>`. */
export function timesheetsXml(items: readonly TimesheetInput[]): string {
  const field = (name: string, value: unknown) => (value === undefined ? '' : `<${name}>${String(value)}</${name}>`);
  const lines = (input: TimesheetInput) =>
    input.TimesheetLines === undefined
      ? ''
      : `<TimesheetLines>${input.TimesheetLines.map(
          (line) =>
            `<TimesheetLine>${field('EarningsRateID', line.EarningsRateID)}${field('TrackingItemID', line.TrackingItemID)}` +
            `${line.NumberOfUnits ? `<NumberOfUnits>${line.NumberOfUnits.map((u) => `<NumberOfUnit>${String(u)}</NumberOfUnit>`).join('')}</NumberOfUnits>` : ''}</TimesheetLine>`,
        ).join('')}</TimesheetLines>`;
  return `<Timesheets>${items
    .map((t) => `<Timesheet>${field('TimesheetID', t.TimesheetID)}${field('EmployeeID', t.EmployeeID)}${field('StartDate', t.StartDate)}${field('EndDate', t.EndDate)}${field('Status', t.Status)}${lines(t)}</Timesheet>`)
    .join('')}</Timesheets>`;
}

/** POSTs JSON (a bare array unless `body` is given) and asks for JSON back. */
export async function postJson(sb: PayrollOnlySandbox, body: unknown, path = '/Timesheets'): Promise<{ status: number; json: Json }> {
  const response = await sb.call(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** POSTs raw XML and decodes the XML answer into Xero's JSON shape. */
export async function postXml(sb: PayrollOnlySandbox, xml: string, path = '/Timesheets'): Promise<{ status: number; root: string; data: Json }> {
  const response = await sb.call(path, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
  return { status: response.status, ...decodeXml(await response.text()) };
}

/** GETs in JSON. */
export async function getJson(sb: PayrollOnlySandbox, path: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> {
  const response = await sb.call(path, { headers: { accept: 'application/json', ...headers } });
  return { status: response.status, json: response.status === 200 || response.status === 400 ? await response.json() : await response.text() };
}

/** GETs in XML (Xero's default) and decodes it. */
export async function getXml(sb: PayrollOnlySandbox, path: string): Promise<{ status: number; contentType: string | null; root: string; data: Json }> {
  const response = await sb.call(path);
  return { status: response.status, contentType: response.headers.get('content-type'), ...decodeXml(await response.text()) };
}

export function decodeXml(text: string): { root: string; data: Json } {
  const root = parseXml(text);
  return { root: root.tagName, data: decodeElement(root, xeroItemName) };
}

/** The ValidationErrors messages of each refused timesheet in a Payroll AU 400. */
export function messages(json: Json): string[][] {
  return (json.Timesheets as Json[]).map((t) => (t.ValidationErrors as Json[]).map((e) => e.Message as string));
}
