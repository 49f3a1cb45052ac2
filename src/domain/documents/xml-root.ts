import type { TSchema } from '@sinclair/typebox';
import type { Element } from '@xmldom/xmldom';
import { lineOfElement } from '../../lib/xml';
import { bodyError, type Issue } from './issues';
import { decodeXmlValue, ElementLines, xmlListOf, type DecodedXml } from './xml-value';

/**
 * How a document is written in XML, read from its schema. A list document (`{"Invoices":[…]}`)
 * is rooted at the list element itself, as Xero's are (`<Invoices><Invoice>…`), and a single
 * item root (`<Invoice>`) is a list of one, as pyxero sends. Any other document is rooted at
 * the element its schema's `xml.name` gives (`<PosShift>`).
 */
export function xmlRootOf(schema: TSchema): { list: string; item: string } | { name: string } {
  const properties = (schema['properties'] ?? {}) as Record<string, TSchema>;
  const names = Object.keys(properties);
  const only = names.length === 1 ? properties[names[0]!] : undefined;
  if (only && only['type'] === 'array') return { list: names[0]!, item: xmlListOf(only) };
  return { name: (schema['xml'] as { name?: string } | undefined)?.name ?? 'Document' };
}

/** Decodes an XML document into the JSON shape of `schema`, with element lines; a wrong root is refused at once. */
export function decodeXmlDocument(root: Element, schema: TSchema): DecodedXml {
  const lines = new ElementLines();
  const issues: Issue[] = [];
  const context = { lines, issues };
  const shape = xmlRootOf(schema);
  const name = root.tagName;
  const line = lineOfElement(root);
  if (line !== undefined) lines.add([], line);
  if ('list' in shape) {
    const listSchema = (schema['properties'] as Record<string, TSchema>)[shape.list]!;
    if (name === shape.list) return { value: present(shape.list, decodeXmlValue(root, listSchema, [shape.list], context)), lines, issues };
    if (name === shape.item) {
      const item = decodeXmlValue(root, listSchema['items'] as TSchema, [shape.list, 0], context);
      return { value: { [shape.list]: [item ?? {}] }, lines, issues };
    }
    throw bodyError(`must have the root element <${shape.list}> (or a single <${shape.item}>), not <${name}>`, line);
  }
  if (name === shape.name) return { value: decodeXmlValue(root, schema, [], context) ?? {}, lines, issues };
  throw bodyError(`must have the root element <${shape.name}>, not <${name}>`, line);
}

function present(name: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [name]: value };
}
