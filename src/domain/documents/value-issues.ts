import type { TSchema } from '@sinclair/typebox';
import { isCalendarDate } from './dates';
import { DATE_PATTERN, DATE_TIME_PATTERN, DECIMALS } from './fields';
import { MAX_ISSUES, type Issue, type Path } from './issues';

// Characters XML 1.0 cannot carry (controls other than tab and newlines, lone surrogates,
// U+FFFE/U+FFFF): in a description they would make the XML the proxy sends to Xero unreadable.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What JSON Schema cannot say the way Xero needs it, checked over the parts of `value` that
 * have the right type: decimal places (`multipleOf: 0.01` misjudges binary fractions such as
 * 0.07), real calendar dates (2024-02-30 matches the pattern), and text XML can carry.
 */
export function valueIssues(schema: TSchema, value: unknown): Issue[] {
  const issues: Issue[] = [];
  walk(schema, value, [], issues);
  return issues;
}

function walk(schema: TSchema, value: unknown, path: Path, issues: Issue[]): void {
  if (issues.length > MAX_ISSUES) return;
  if (typeof value === 'number') {
    const places = schema[DECIMALS] as number | undefined;
    if (places !== undefined && Number.isFinite(value) && decimalPlaces(value) > places) issues.push({ path, message: `must have at most ${places} decimal places` });
  } else if (typeof value === 'string') {
    const invalid = NOT_XML.exec(value);
    if (invalid) issues.push({ path, message: `contains a character that cannot be sent to Xero (U+${invalid[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` });
    const pattern = schema['pattern'];
    if ((pattern === DATE_PATTERN || pattern === DATE_TIME_PATTERN) && new RegExp(pattern).test(value) && !isCalendarDate(value)) issues.push({ path, message: 'is not a date in the calendar' });
  } else if (Array.isArray(value)) {
    const items = schema['items'] as TSchema | undefined;
    if (items) value.forEach((entry, index) => walk(items, entry, [...path, index], issues));
  } else if (value !== null && typeof value === 'object') {
    const properties = (schema['properties'] ?? {}) as Record<string, TSchema>;
    for (const [name, entry] of Object.entries(value)) {
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (property) walk(property, entry, [...path, name], issues);
    }
  }
}

/** Decimal places of a number as JavaScript prints it (shortest round-trip form). */
export function decimalPlaces(value: number): number {
  const [digits = '', exponent = '0'] = Math.abs(value).toString().split('e');
  const fraction = digits.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}
