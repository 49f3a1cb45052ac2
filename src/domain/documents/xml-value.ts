import type { TSchema } from '@sinclair/typebox';
import type { Element } from '@xmldom/xmldom';
import { childElements, lineOfElement } from '../../lib/xml';
import { MAX_ISSUES, pointerOf, type Issue, type Path } from './issues';
import { FORBIDDEN_NAMES, MAX_DEPTH } from '../../lib/untrusted-input';

/** A document decoded from XML, with the line of every element it came from. */
export interface DecodedXml {
  value: unknown;
  /** JSON Pointer of each decoded value → the line of its element. */
  lines: ElementLines;
  issues: Issue[];
}

/**
 * The line of each decoded value's element, by the value's JSON Pointer. Lines are only read
 * when a document has problems, so the pointers (a string per element, 30,000 of them in a
 * 50-invoice batch) are made then, on the first look-up, not while decoding.
 */
export class ElementLines {
  readonly #found: Array<{ path: Path; line: number }> = [];
  #byPointer: Map<string, number> | undefined;

  add(path: Path, line: number): void {
    this.#found.push({ path, line });
    this.#byPointer = undefined;
  }

  get(pointer: string): number | undefined {
    // Later entries win, as a Map's later sets would.
    this.#byPointer ??= new Map(this.#found.map(({ path, line }) => [pointerOf(path), line]));
    return this.#byPointer.get(pointer);
  }
}

/** The item element name of a list schema (its items' `xml.name`). */
export function xmlListOf(schema: TSchema): string {
  const items = schema['items'] as TSchema | undefined;
  return (items?.['xml'] as { name?: string } | undefined)?.name ?? 'item';
}

const TEXT_NODE = 3;
const CDATA_NODE = 4;
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

interface Context {
  lines: ElementLines;
  issues: Issue[];
}

/**
 * Decodes an XML element into the JSON shape of `schema`, so JSON and XML share one validator:
 * child elements become fields, lists are wrapper elements holding one item element each (the
 * schema's `xml.name`), and text becomes a number or boolean where the schema says so (text that
 * is not one is kept, and the validator names it). An element with no content counts as absent.
 * Attributes are ignored. Elements the schema does not define are kept as text for the validator
 * to refuse by name; nothing is descended beyond what the schema describes.
 */
export function decodeXmlValue(element: Element, schema: TSchema, path: Path, context: Context): unknown {
  const line = lineOfElement(element);
  if (line !== undefined) context.lines.add(path, line);
  const children = childElements(element);
  const text = textOf(element);
  if (children.length === 0 && text === '') return undefined;
  const type = schema['type'] as string | undefined;
  if (type === 'object') {
    if (children.length === 0) return text;
    if (text !== '') note(context, path, 'must hold only elements, not text beside them');
    return decodeObject(children, schema, path, context);
  }
  if (type === 'array') {
    if (children.length === 0) return text;
    return decodeList(children, schema, path, context);
  }
  // A scalar with child elements: an object the validator refuses as "must be a number" etc.
  if (children.length > 0) return {};
  if (type === 'number' || type === 'integer') return DECIMAL.test(text) ? Number(text) : text;
  if (type === 'boolean') return /^(true|1)$/i.test(text) ? true : /^(false|0)$/i.test(text) ? false : text;
  return text;
}

function decodeObject(children: Element[], schema: TSchema, path: Path, context: Context): Record<string, unknown> {
  const properties = (schema['properties'] ?? {}) as Record<string, TSchema>;
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const child of children) {
    const name = child.tagName;
    const at = [...path, name];
    if (FORBIDDEN_NAMES.has(name)) {
      record(context, at, child, 'is not an allowed element name');
      continue;
    }
    if (seen.has(name)) {
      record(context, at, child, 'appears more than once');
      continue;
    }
    seen.add(name);
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!property) {
      // Kept so the validator refuses it by name, with a suggestion; not decoded any deeper.
      record(context, at, child);
      out[name] = textOf(child);
      continue;
    }
    if (path.length + 1 >= MAX_DEPTH) {
      record(context, at, child, `is nested more than ${MAX_DEPTH} levels deep`);
      continue;
    }
    const value = decodeXmlValue(child, property, at, context);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function decodeList(children: Element[], schema: TSchema, path: Path, context: Context): unknown[] {
  const items = schema['items'] as TSchema;
  const itemName = xmlListOf(schema);
  const out: unknown[] = [];
  for (const child of children) {
    if (child.tagName !== itemName) {
      record(context, [...path, child.tagName], child, `is not allowed here (${displayName(path)} holds only <${itemName}> elements)`);
      continue;
    }
    const value = decodeXmlValue(child, items, [...path, out.length], context);
    // An empty item stays in the list, so the indexes in messages match the element's position.
    out.push(value ?? (items['type'] === 'object' ? {} : ''));
  }
  return out;
}

function record(context: Context, path: Path, element: Element, message?: string): void {
  const line = lineOfElement(element);
  if (line !== undefined) context.lines.add(path, line);
  if (message) note(context, path, message);
}

/** Keeps an issue, up to a few more than are ever shown: 200,000 stray elements need not be 200,000 issues. */
function note(context: Context, path: Path, message: string): void {
  if (context.issues.length <= MAX_ISSUES) context.issues.push({ path, message });
}

function displayName(path: Path): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `<${last}>` : 'the list';
}

/** The element's own text (text and CDATA children), trimmed; comments are not text. */
export function textOf(element: Element): string {
  let text = '';
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_NODE) text += child.nodeValue ?? '';
  }
  return text.trim();
}
