import type { ScanLimits } from './limits';
import { XmlRefusal } from './refusal';
import { ANY_FORBIDDEN, forbiddenName, matchName } from './xml-names';

// Where the scan stands between two bytes. Bytes, not characters: every byte of a multi-byte
// UTF-8 character is 0x80 or above, so none of them is ever taken for `<`, a quote or `>`.
const TEXT = 0;
const OPEN = 1; // just after `<`
const BANG = 2; // after `<!`, telling a comment, a CDATA section and a declaration apart
const DECLARATION = 3; // reading the keyword of `<!DOCTYPE`, `<!ENTITY`, …
const COMMENT = 4;
const CDATA = 5;
const PI = 6; // `<?…?>`, the XML declaration among them
const END_TAG = 7;
const NAME = 8; // a start tag's element name
const TAG = 9; // the rest of a start tag: attributes, quoted values
const QUOTED = 10;

const BANG_COMMENT = '--';
const BANG_CDATA = '[CDATA[';

/** The scan's memory between chunks: a few numbers and two short strings. */
export interface XmlScanState {
  readonly limits: XmlScanLimits;
  state: number;
  depth: number;
  nodes: number;
  line: number;
  /** The line of the `<` of the markup being read, for the refusal. */
  tagLine: number;
  /** Bytes of the current run of text, CDATA, comment, processing instruction or attribute value. */
  textBytes: number;
  readonly maxTextBytes: number;
  /** `-` or `]` (or `?`) seen in a row, to find `-->`, `]]>` and `?>`. */
  run: number;
  quote: number;
  /** The last byte of a start tag outside quotes was `/`: the tag closes itself. */
  slash: boolean;
  /** The bytes after `<!` so far, or the declaration's keyword. */
  bang: string;
  /** Which forbidden names the element name read so far still matches, one bit each. */
  nameMatches: number;
  nameLength: number;
}


/** The limits an XML scan applies. */
export type XmlScanLimits = Pick<ScanLimits, 'maxDepth' | 'maxNodes'> & { maxTextBytes?: number };

export function startXmlScan(limits: XmlScanLimits): XmlScanState {
  return { limits, state: TEXT, depth: 0, nodes: 0, line: 1, tagLine: 1, textBytes: 0, maxTextBytes: limits.maxTextBytes ?? Infinity, run: 0, quote: 0, slash: false, bang: '', nameMatches: 0, nameLength: 0 };
}

/**
 * Reads the next bytes of an XML body without building anything, and throws an XmlRefusal for
 * what would be refused later anyway or would cost too much to parse: any DOCTYPE or other
 * markup declaration (no DTD means no entity expansion and no external entities), nesting deeper
 * than `maxDepth`, more than `maxNodes` elements and attributes, a run of text longer than
 * `maxTextBytes`, and element names that reach an object's prototype. Comments, CDATA sections
 * and quoted attribute values are skipped as such, so a `<` inside them counts for nothing.
 * Well-formedness is left to the parser.
 */
export function scanXmlChunk(s: XmlScanState, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 10 /* \n */) s.line++;
    // Comments, CDATA and processing instructions are runs of text too; their closing mark
    // (at most 3 bytes) is counted with them, so it is allowed for.
    if (s.state >= COMMENT && s.state <= PI) {
      if (++s.textBytes > s.maxTextBytes + 3) refuseLongText(s);
    }
    switch (s.state) {
      case TEXT:
        if (c === 60 /* < */) {
          s.state = OPEN;
          s.tagLine = s.line;
          s.textBytes = 0;
        } else if (++s.textBytes > s.maxTextBytes) refuseLongText(s);
        break;
      case OPEN:
        if (c === 63 /* ? */) {
          s.state = PI;
          s.run = 0;
          s.textBytes = 0;
        } else if (c === 33 /* ! */) {
          s.state = BANG;
          s.bang = '';
        } else if (c === 47 /* / */) s.state = END_TAG;
        else startElement(s, c);
        break;
      case BANG:
        readBang(s, c);
        break;
      case DECLARATION:
        if (isLetter(c) && s.bang.length < 16) s.bang += String.fromCharCode(c);
        else refuseDeclaration(s);
        break;
      case COMMENT:
        if (c === 62 /* > */ && s.run >= 2) toText(s);
        s.run = c === 45 /* - */ ? s.run + 1 : 0;
        break;
      case CDATA:
        if (c === 62 /* > */ && s.run >= 2) toText(s);
        s.run = c === 93 /* ] */ ? s.run + 1 : 0;
        break;
      case PI:
        if (c === 62 /* > */ && s.run >= 1) toText(s);
        s.run = c === 63 /* ? */ ? 1 : 0;
        break;
      case END_TAG:
        if (c === 62 /* > */) {
          // Never below 0: stray end tags first must not buy a body deeper nesting later.
          if (s.depth > 0) s.depth--;
          toText(s);
        }
        break;
      case NAME:
        if (c === 62 || c === 47 || c === 32 || c === 9 || c === 10 || c === 13) {
          checkName(s);
          s.state = TAG;
          readTag(s, c);
        } else {
          matchName(s, c);
        }
        break;
      case TAG:
        readTag(s, c);
        break;
      case QUOTED:
        if (c === s.quote) s.state = TAG;
        else if (++s.textBytes > s.maxTextBytes) refuseLongText(s);
        break;
    }
  }
}

/** After the last chunk: a body that ends inside a declaration's keyword is refused as one. */
export function endXmlScan(s: XmlScanState): void {
  if (s.state === DECLARATION) refuseDeclaration(s);
}

function startElement(s: XmlScanState, c: number): void {
  s.state = NAME;
  s.nameMatches = ANY_FORBIDDEN;
  s.nameLength = 0;
  matchName(s, c);
  s.slash = false;
  count(s);
  // `<a>` at once: the name ends with the byte after it.
  if (c === 62 || c === 47) {
    s.nameMatches = 0;
    s.nameLength = 0;
    s.state = TAG;
    readTag(s, c);
  }
}

function readTag(s: XmlScanState, c: number): void {
  if (c === 62 /* > */) {
    toText(s);
    if (s.slash) return;
    s.depth++;
    if (s.depth > s.limits.maxDepth) throw new XmlRefusal('depth', `elements nest more than ${s.limits.maxDepth} deep`, s.tagLine);
    return;
  }
  if (c === 34 || c === 39) {
    s.state = QUOTED;
    s.quote = c;
    s.textBytes = 0;
  } else if (c === 61 /* = */) count(s);
  if (c !== 32 && c !== 9 && c !== 10 && c !== 13) s.slash = c === 47;
}

function readBang(s: XmlScanState, c: number): void {
  s.bang += String.fromCharCode(c);
  if (BANG_COMMENT.startsWith(s.bang)) {
    if (s.bang === BANG_COMMENT) {
      s.state = COMMENT;
      s.run = 0;
      s.textBytes = 0;
    }
  } else if (BANG_CDATA.startsWith(s.bang)) {
    if (s.bang === BANG_CDATA) {
      s.state = CDATA;
      s.run = 0;
      s.textBytes = 0;
    }
  } else if (s.bang.length === 1 && isLetter(c)) s.state = DECLARATION;
  else {
    s.bang = '';
    refuseDeclaration(s);
  }
}

function toText(s: XmlScanState): void {
  s.state = TEXT;
  s.textBytes = 0;
}

function refuseLongText(s: XmlScanState): never {
  throw new XmlRefusal('size', `a text longer than ${s.maxTextBytes.toLocaleString('en')} bytes is more than any field takes`, s.line);
}

function refuseDeclaration(s: XmlScanState): never {
  const keyword = s.bang.toUpperCase();
  const what = keyword === 'DOCTYPE' ? 'a DOCTYPE' : keyword ? `an ${keyword} declaration` : 'a markup declaration';
  throw new XmlRefusal('declaration', `${what} is not allowed`, s.tagLine);
}

function checkName(s: XmlScanState): void {
  const name = forbiddenName(s);
  if (name !== undefined) throw new XmlRefusal('name', `the element name <${name}> is not allowed`, s.tagLine);
}

function count(s: XmlScanState): void {
  s.nodes++;
  if (s.nodes > s.limits.maxNodes) throw new XmlRefusal('size', `more than ${s.limits.maxNodes.toLocaleString('en')} elements and attributes are more than any request needs`, s.tagLine);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
