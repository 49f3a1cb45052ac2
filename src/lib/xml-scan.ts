import { AppError } from './errors';
import { FORBIDDEN_NAMES, MAX_DEPTH } from './untrusted-input';

/** What an XML text may hold before any tree is built for it. */
export interface XmlLimits {
  /** Deepest element nesting (the root is depth 1). */
  maxDepth: number;
  /** Most elements and attributes together: the parser's cost and memory grow with them. */
  maxNodes: number;
}

/**
 * Limits for a body a device or browser sent. A request of 50 invoices of 10 lines each holds
 * about 6,000 elements; 20,000 leaves room and keeps a 1 MB body of tiny elements (250,000 of
 * them, over a second of parsing) from ever reaching the parser.
 */
export const REQUEST_XML_LIMITS: XmlLimits = { maxDepth: MAX_DEPTH, maxNodes: 20_000 };

/** Why the scan refused a text: callers that word their own errors (documents) tell them apart. */
export type XmlRefusalKind = 'declaration' | 'name' | 'depth' | 'size';

/** A refusal found by the scan: what is not allowed, as a sentence fragment, and its line. */
export class XmlRefusal extends AppError {
  readonly kind: XmlRefusalKind;
  readonly reason: string;
  readonly line: number;

  constructor(kind: XmlRefusalKind, reason: string, line: number) {
    super('invalid', `XML line ${line}: ${reason}.`, { field: `line ${line}` });
    this.kind = kind;
    this.reason = reason;
    this.line = line;
  }
}

/**
 * Reads an XML text once, left to right, without building anything and without recursion, and
 * refuses what would be refused later anyway or would cost too much to parse: any DOCTYPE or
 * other markup declaration (no DTD means no entity expansion and no external entities), nesting
 * deeper than `maxDepth`, more than `maxNodes` elements and attributes, and element names that
 * reach an object's prototype. Well-formedness is left to the parser.
 */
export function scanXml(text: string, limits: XmlLimits = REQUEST_XML_LIMITS): void {
  let depth = 0;
  let nodes = 0;
  let at = text.indexOf('<');
  while (at !== -1) {
    const next = text.charCodeAt(at + 1);
    if (next === 63 /* ? */) at = skipPast(text, at, '?>');
    else if (text.startsWith('<!--', at)) at = skipPast(text, at, '-->');
    else if (text.startsWith('<![CDATA[', at)) at = skipPast(text, at, ']]>');
    else if (next === 33 /* ! */) {
      const keyword = /^<!([A-Za-z]+)/.exec(text.slice(at, at + 12))?.[1]?.toUpperCase();
      const what = keyword === 'DOCTYPE' ? 'a DOCTYPE' : keyword ? `an ${keyword} declaration` : 'a markup declaration';
      throw new XmlRefusal('declaration', `${what} is not allowed`, lineAt(text, at));
    } else if (next === 47 /* / */) {
      depth--;
      at = text.indexOf('>', at);
    } else {
      const end = tagEnd(text, at);
      const name = /^[^\s/>]*/.exec(text.slice(at + 1, Math.min(end, at + 257)))![0];
      if (FORBIDDEN_NAMES.has(name)) throw new XmlRefusal('name', `the element name <${name}> is not allowed`, lineAt(text, at));
      nodes += 1 + attributesIn(text, at, end);
      if (nodes > limits.maxNodes) throw new XmlRefusal('size', `more than ${limits.maxNodes.toLocaleString('en')} elements and attributes are more than any request needs`, lineAt(text, at));
      if (text.charCodeAt(end - 1) !== 47 /* / */) {
        depth++;
        if (depth > limits.maxDepth) throw new XmlRefusal('depth', `elements nest more than ${limits.maxDepth} deep`, lineAt(text, at));
      }
      at = end;
    }
    if (at === -1) return;
    at = text.indexOf('<', at + 1);
  }
}

/** The index of the last character of `terminator` after `from`, or -1 when it never comes. */
function skipPast(text: string, from: number, terminator: string): number {
  const found = text.indexOf(terminator, from + 2);
  return found === -1 ? -1 : found + terminator.length - 1;
}

/** The index of the `>` closing the tag that starts at `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62 /* > */) return i;
  }
  return text.length;
}

function attributesIn(text: string, from: number, end: number): number {
  let count = 0;
  let quote = 0;
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 61 /* = */) count++;
  }
  return count;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
