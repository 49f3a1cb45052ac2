import { AppError, type ErrorDetail } from '../../lib/errors';

/** A path into a document: property names and list indexes, from the root. */
export type Path = readonly (string | number)[];

/** One problem with a document, before it is given its XML line. */
export interface Issue {
  path: Path;
  message: string;
}

/** The most problems one answer lists; an app fixing its encoder wants them all, within reason. */
export const MAX_ISSUES = 20;

/** The JSON Pointer (RFC 6901) of a path; it keys the XML line map. */
export function pointerOf(path: Path): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** A path as an app developer reads it: `Invoices[2].LineItems[0].UnitAmount`, or `body` for the whole. */
export function displayPath(path: Path): string {
  if (path.length === 0) return 'body';
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

/**
 * Issues in the order their fields appear in `value` (JSON key order, list order); a missing
 * field sorts first within its object. The sort is stable, so one field's issues keep their order.
 */
export function inDocumentOrder(issues: readonly Issue[], value: unknown): Issue[] {
  const compare = (a: Path, b: Path): number => {
    let parent: unknown = value;
    for (let depth = 0; depth < Math.min(a.length, b.length); depth++) {
      const [x, y] = [a[depth]!, b[depth]!];
      if (x !== y) return position(parent, x) - position(parent, y);
      parent = parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[x] : undefined;
    }
    return a.length - b.length;
  };
  return [...issues].sort((a, b) => compare(a.path, b.path));
}

function position(parent: unknown, segment: string | number): number {
  if (typeof segment === 'number') return segment;
  return parent !== null && typeof parent === 'object' ? Object.keys(parent).indexOf(segment) : -1;
}

/** The XML line of a value by its JSON Pointer, where the body was XML. */
export interface LineLookup {
  get(pointer: string): number | undefined;
}

/** The line of the element at `path`, else of its nearest ancestor (a missing field's parent). */
function lineFor(path: Path, lines: LineLookup | undefined): number | undefined {
  if (!lines) return undefined;
  for (let length = path.length; length >= 0; length--) {
    const line = lines.get(pointerOf(path.slice(0, length)));
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Renders one detail as a line of the error message. */
export function renderDetail(detail: ErrorDetail): string {
  return `${detail.field}: ${detail.message}${detail.line === undefined ? '' : ` (XML line ${detail.line})`}`;
}

/**
 * The AppError('invalid') for a document's problems: one problem is the whole message; several
 * are listed in it, and every one rides along in `details` with its path and XML line.
 * @example Invoices[2].LineItems[0].UnitAmount: must be a number (XML line 14).
 */
export function issuesError(title: string, issues: readonly Issue[], lines?: LineLookup): AppError {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  let more = false;
  for (const issue of issues) {
    const field = displayPath(issue.path);
    // One problem per field: a missing field is also "not a number", which helps nobody.
    if (seen.has(field)) continue;
    if (details.length === MAX_ISSUES) {
      more = true;
      break;
    }
    seen.add(field);
    const line = lineFor(issue.path, lines);
    details.push(line === undefined ? { field, message: issue.message } : { field, message: issue.message, line });
  }
  // XML problems read best in the order of the body's lines; the sort is stable for the rest.
  if (lines) details.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const listed = details.map(renderDetail).join('; ');
  const message =
    details.length === 1 && !more
      ? `${listed}.`
      : `The ${title} document has ${more ? `more than ${MAX_ISSUES} problems; the first ${MAX_ISSUES}` : `${details.length} problems`}: ${listed}.`;
  return new AppError('invalid', message, { field: details[0]?.field ?? 'body', details });
}

/** An AppError('invalid') about the body as a whole (size, encoding, syntax). */
export function bodyError(message: string, line?: number): AppError {
  const detail: ErrorDetail = line === undefined ? { field: 'body', message } : { field: 'body', message, line };
  return new AppError('invalid', `The request body ${message}${line === undefined ? '' : ` (XML line ${line})`}.`, { field: 'body', details: [detail] });
}
