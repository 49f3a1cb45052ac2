import { xeroJsonDate } from '../http/format';

/**
 * The two views of a stored document: Xero's JSON (`/Date(…)/` dates plus `DateString`
 * helpers, JSON-only flags such as `HasErrors`) and Xero's XML (amounts written with their
 * fixed decimals, JSON-only fields left out so the element validates against the XSD).
 */
export interface ViewOptions {
  /** Decimal places for UnitAmount: 2 unless the request asked for `unitdp=4`. */
  unitdp: 2 | 4;
}

const DATE_KEYS = new Set(['Date', 'DueDate', 'UpdatedDateUTC', 'FullyPaidOnDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'CreatedDateUTC', 'PeriodLockDate', 'EndOfYearLockDate']);
const STRING_HELPER: Record<string, string> = { Date: 'DateString', DueDate: 'DueDateString' };
const JSON_ONLY = new Set(['HasErrors', 'IsDiscounted', 'HasAccount', 'IsReconciled', 'BankAmount', 'HasValidationErrors']);
const TWO_DP = new Set(['AppliedAmount', 'RemainingCredit', 'TaxAmount', 'LineAmount', 'SubTotal', 'TotalTax', 'Total', 'TotalDiscount', 'AmountDue', 'AmountPaid', 'AmountCredited', 'Amount', 'DiscountRate', 'UnitPrice']);
const FOUR_DP = new Set(['Quantity', 'Rate', 'EffectiveRate', 'DisplayTaxRate']);

/** Decimal places Xero writes a numeric field with in XML, or undefined for plain numbers. */
function placesFor(key: string, options: ViewOptions): number | undefined {
  if (key === 'UnitAmount') return options.unitdp;
  if (key === 'CurrencyRate') return 6;
  if (TWO_DP.has(key)) return 2;
  if (FOUR_DP.has(key)) return 4;
  return undefined;
}

const roundTo = (value: number, places: number) => Number(value.toFixed(places));

/** The JSON view of a document (or of a list of them). */
export function jsonView(value: unknown, options: ViewOptions, key = ''): unknown {
  if (Array.isArray(value)) return value.map((entry) => jsonView(entry, options, key));
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && key === 'UnitAmount') return roundTo(value, options.unitdp);
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    if (DATE_KEYS.has(name) && typeof child === 'string') {
      const helper = STRING_HELPER[name];
      if (helper) out[helper] = child.slice(0, 19);
      out[name] = xeroJsonDate(child);
      continue;
    }
    out[name] = jsonView(child, options, name);
  }
  return out;
}

/**
 * Where Xero's XSDs name things otherwise than its JSON: an allocation's `Amount` is
 * `AppliedAmount` (Allocation.xsd, which has no AllocationID), and a credit note lists no
 * Payments (CreditNote.xsd). Objects are recognised by their id fields.
 */
function xsdShape(value: Record<string, unknown>): Record<string, unknown> {
  if ('AllocationID' in value) {
    const { AllocationID: _id, Amount, ...rest } = value;
    return { ...rest, AppliedAmount: Amount };
  }
  if ('CreditNoteID' in value && 'RemainingCredit' in value) {
    const { Payments: _payments, ...rest } = value;
    return rest;
  }
  return value;
}

/** The XML view of a document: the same keys, amounts as fixed-decimal text, JSON-only keys dropped. */
export function xmlView(value: unknown, options: ViewOptions, key = ''): unknown {
  if (Array.isArray(value)) return value.map((entry) => xmlView(entry, options, key));
  if (value === null || typeof value !== 'object') {
    const places = typeof value === 'number' ? placesFor(key, options) : undefined;
    return places === undefined ? value : (value as number).toFixed(places);
  }
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(xsdShape(value as Record<string, unknown>))) {
    if (child === undefined || JSON_ONLY.has(name)) continue;
    out[name] = xmlView(child, options, name);
  }
  return out;
}
