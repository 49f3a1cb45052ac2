/**
 * Reading loosely typed request values (XML gives strings, JSON gives numbers, booleans or
 * strings) and the decimal rounding Xero applies.
 */

/** Rounds half away from zero to `dp` places, free of binary artefacts such as 1.005 → 1.00. */
export function round(value: number, dp = 2): number {
  const sign = value < 0 ? -1 : 1;
  const scaled = Number(`${Math.abs(value).toPrecision(15)}e${dp}`);
  return sign * Number(`${Math.round(scaled)}e-${dp}`) || 0;
}

/** A trimmed non-empty string, or undefined for absent, empty or non-text values. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A finite number from a number or numeric string; `null` when present but not a number. */
export function decimal(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** true/false from a boolean or "true"/"false" text; undefined otherwise. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return undefined;
}

/** A plain object from a decoded body value, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A list of objects: XML lists decode to arrays already; a lone object is a list of one. */
export function records(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.map((entry) => record(entry) ?? {});
  const single = record(value);
  return single ? [single] : [];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` looks like a Xero GUID. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
