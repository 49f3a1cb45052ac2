import { RECONCILE_SPECS } from './kinds';

/** A document the proxy delivered, as reconciliation compares it with Xero. */
export interface DeliveredDocument {
  jobId: string;
  kind: string;
  documentKey: string;
  /** The app's DocumentId, or the shift's shiftId. */
  documentId: string | null;
  /** The endpoint the app sent it to (`pos-shift` for a till's shift), where known. */
  endpoint: string | null;
  deviceName: string;
  xeroId: string | null;
  xeroNumber: string | null;
  /** When the proxy accepted it: Xero cannot have created it before. */
  createdAt: string;
  deliveredAt: string;
  /** The element sent; `{}` (or an invoice's Type) once erased under storage.retention_days. */
  payload: Record<string, unknown>;
  /** Xero's answer on delivery; null once erased. */
  result: Record<string, unknown> | null;
}

/** What reconciliation found about one delivered document. */
export type FindingCode = 'missing' | 'voided' | 'deleted' | 'total_changed';

export interface Finding {
  jobId: string;
  kind: string;
  finding: FindingCode;
  xeroId: string | null;
  xeroNumber: string | null;
  /** What the proxy sent (an invoice's total, a payment's amount), where known. */
  expected: number | null;
  /** What Xero holds now. */
  actual: number | null;
  /** When Xero last changed the document (its UpdatedDateUTC), where it said. */
  xeroUpdatedAt: string | null;
}

const amount = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null);

/**
 * What the proxy sent as the document's amount: Xero's own total in its answer on delivery (it
 * computes an invoice's total from the lines sent), else the payload's; null once erased.
 */
export function sentAmount(document: DeliveredDocument, field: string): number | null {
  return amount(document.result?.[field]) ?? amount(document.payload[field]);
}

/** A Xero JSON date (`/Date(1763251200000+0000)/`) or ISO text as an ISO instant. */
export function xeroInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString();
  const parsed = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

/**
 * Compares a day's delivered documents of one kind with the documents Xero listed as changed
 * since that day began (each delivered document was created at Xero that day, so it is listed
 * unless Xero no longer has it). Pure: the findings, in delivery order, for documents that are
 * missing, were voided or deleted after delivery, or whose amount changed (to the cent).
 */
export function compareKind(kind: string, delivered: readonly DeliveredDocument[], atXero: readonly Record<string, unknown>[]): Finding[] {
  const spec = RECONCILE_SPECS[kind];
  if (!spec) return [];
  const byId = new Map<string, Record<string, unknown>>();
  for (const document of atXero) {
    const id = document[spec.idField];
    if (typeof id === 'string') byId.set(id.toLowerCase(), document);
  }
  const findings: Finding[] = [];
  for (const document of delivered) {
    if (document.kind !== kind || document.xeroId === null) continue;
    const expected = sentAmount(document, spec.amountField);
    const base = { jobId: document.jobId, kind, xeroId: document.xeroId, xeroNumber: document.xeroNumber, expected };
    const held = byId.get(document.xeroId.toLowerCase());
    if (!held) {
      findings.push({ ...base, finding: 'missing', actual: null, xeroUpdatedAt: null });
      continue;
    }
    const actual = amount(held[spec.amountField]);
    const xeroUpdatedAt = xeroInstant(held['UpdatedDateUTC']);
    const status = typeof held['Status'] === 'string' ? held['Status'].toUpperCase() : '';
    const undone = spec.undone[status];
    if (undone) findings.push({ ...base, finding: undone, actual, xeroUpdatedAt });
    else if (expected !== null && actual !== null && Math.round(expected * 100) !== Math.round(actual * 100)) findings.push({ ...base, finding: 'total_changed', actual, xeroUpdatedAt });
  }
  return findings;
}
