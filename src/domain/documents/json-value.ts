import { FORBIDDEN_NAMES, MAX_DEPTH } from '../../lib/untrusted-input';
import { bodyError, issuesError, type Path } from './issues';


/**
 * Parses a JSON body into a fresh value: nesting deeper than MAX_DEPTH and prototype-reaching
 * keys are refused, and fields that are `null` or `""` are dropped, so they mean "absent"
 * exactly as an empty XML element does (many serialisers write every unset field that way).
 */
export function readJson(text: string, title: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw bodyError(`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return clean(parsed, [], title);
}

function clean(value: unknown, path: Path, title: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (path.length >= MAX_DEPTH) throw issuesError(title, [{ path, message: `is nested more than ${MAX_DEPTH} levels deep` }]);
  if (Array.isArray(value)) return value.map((entry, index) => clean(entry, [...path, index], title));
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (FORBIDDEN_NAMES.has(key)) throw issuesError(title, [{ path: [...path, key], message: 'is not an allowed field name' }]);
    if (entry === null || entry === '') continue;
    out[key] = clean(entry, [...path, key], title);
  }
  return out;
}
