import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { AppError } from './errors';
import { REQUEST_XML_LIMITS, scanXml, type XmlLimits } from './xml-scan';
import { XERO_ANSWER_SCAN_LIMITS } from './body-scan/limits';
import { rememberXmldomPatterns } from './xmldom-patterns';

export { REQUEST_XML_LIMITS, XmlRefusal, type XmlLimits } from './xml-scan';

/** A JSON-shaped value decoded from XML: text, an object of children, or a list. */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** Tells which element names hold a list, and the element name of each item. */
export type CollectionRule = (name: string) => string | undefined;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** Limits for XML from Xero's answers: bounded by size; the scan still refuses declarations and depth. */
export const XERO_XML_LIMITS: XmlLimits = XERO_ANSWER_SCAN_LIMITS;

/**
 * Parses untrusted XML. `scanXml` reads it first and refuses, before any tree is built, any
 * DOCTYPE (no DTDs means no entity expansion and no external entities), nesting or size beyond
 * `limits`, and prototype-reaching names. Every parser error is then fatal rather than printed
 * and skipped, which @xmldom/xmldom does by default.
 */
export function parseXml(text: string, limits: XmlLimits = REQUEST_XML_LIMITS): Element {
  scanXml(text, limits);
  rememberXmldomPatterns();
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level === 'warning') return;
      throw new XmlSyntaxError(String(message));
    },
  });
  let root: Element | null;
  try {
    root = parser.parseFromString(text, 'text/xml').documentElement;
  } catch (error) {
    const message = (error instanceof XmlSyntaxError ? error.message : (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message) ?? 'unreadable XML';
    const clean = message.replace(/^Reporting \w+ "(.*)" caused .*$/s, '$1').replace(/\s+/g, ' ').trim();
    const where = /\[line:(\d+),col:(\d+)\]/.exec(message);
    const line = where ? where[1] : undefined;
    throw new AppError('invalid', `The XML is not well-formed${line ? ` (line ${line})` : ''}: ${clean.replace(/\s*@#?\[line:.*$/, '')}.`, line ? { field: `line ${line}` } : {});
  }
  if (!root) throw new AppError('invalid', 'The XML has no root element.');
  return root;
}

class XmlSyntaxError extends Error {}

/** The line an element starts on, for error messages that point into the body. */
export function lineOfElement(element: Element): number | undefined {
  return (element as unknown as { lineNumber?: number }).lineNumber;
}

/** The element children of a node. */
export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) out.push(child as Element);
  }
  return out;
}

/**
 * Decodes an element into the JSON shape Xero uses for the same data: leaf elements become
 * strings, collection elements (per `isCollection`) become arrays of their items, others objects.
 * Its recursion is as deep as the element, which `parseXml`'s scan bounded, and the names it
 * assigns passed the same scan, so none of them reaches a prototype.
 */
export function decodeElement(element: Element, collection: CollectionRule): XmlValue {
  const name = element.tagName;
  const children = childElements(element);
  const itemName = collection(name);
  if (itemName !== undefined) return children.filter((child) => child.tagName === itemName).map((child) => decodeElement(child, collection));
  if (children.length === 0) return textOf(element);
  const out: XmlObject = {};
  for (const child of children) out[child.tagName] = decodeElement(child, collection);
  return out;
}

function textOf(element: Element): string {
  let text = '';
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_NODE) text += child.nodeValue ?? '';
  }
  return text.trim();
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Options for encoding: how list items are named, and attributes per element. */
export interface EncodeOptions {
  /** The item element name for a list held under `name` (e.g. LineItems → LineItem). */
  itemName: (name: string) => string;
  /** Attributes to put on an object's element, taken out of its fields (e.g. `status`). */
  attributes?: (name: string, value: Record<string, unknown>) => Record<string, string> | undefined;
  /** Keys of an object that are not written as child elements. */
  skip?: (key: string) => boolean;
}

/** Encodes a JSON-shaped value as an element named `name`; null and undefined fields are left out. */
export function encodeElement(name: string, value: unknown, options: EncodeOptions): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const item = options.itemName(name);
    return `<${name}>${value.map((entry) => encodeElement(item, entry, options)).join('')}</${name}>`;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    const attributes = options.attributes?.(name, record) ?? {};
    const attributeText = Object.entries(attributes).map(([key, text]) => ` ${key}="${escapeXml(text)}"`).join('');
    const body = Object.entries(record)
      .filter(([key]) => !(options.skip?.(key) ?? false))
      .map(([key, child]) => encodeElement(key, child, options))
      .join('');
    return body === '' ? `<${name}${attributeText} />` : `<${name}${attributeText}>${body}</${name}>`;
  }
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}
