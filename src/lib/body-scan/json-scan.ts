import type { ScanLimits } from './limits';
import { JsonRefusal } from './refusal';

// What each open container is; index 0 is outside any.
const OBJECT = 1;
const ARRAY = 2;

/** The scan's memory between chunks: a few numbers and the kinds of the open containers. */
export interface JsonScanState {
  readonly limits: ScanLimits;
  depth: number;
  values: number;
  /** OBJECT or ARRAY for each open container, 1-based; never deeper than the limit. */
  readonly open: Uint8Array;
  inString: boolean;
  /** Bytes of the string being read so far. */
  stringBytes: number;
  /** The previous byte in a string was an unescaped backslash. */
  escaped: boolean;
  /** Inside a number or a literal (true, false, null). */
  inLiteral: boolean;
  /** The next string is an object's key, not a value. */
  expectKey: boolean;
}

export function startJsonScan(limits: ScanLimits): JsonScanState {
  return { limits, depth: 0, values: 0, open: new Uint8Array(limits.maxDepth + 2), inString: false, stringBytes: 0, escaped: false, inLiteral: false, expectKey: false };
}

/**
 * Reads the next bytes of a JSON body without building anything, and throws a JsonRefusal for
 * arrays and objects nested deeper than `maxDepth`, more than `maxValues` values, or a string
 * longer than `maxTextBytes`. It follows
 * strings and their escapes, so a bracket or a quote inside a string counts for nothing, and
 * keys are told from values. Bytes, not characters: no byte of a multi-byte UTF-8 character is
 * below 0x80. Whether the JSON is well-formed is left to the parser.
 */
export function scanJsonChunk(s: JsonScanState, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (s.inString) {
      if (s.escaped) s.escaped = false;
      else if (c === 92 /* \ */) s.escaped = true;
      else if (c === 34 /* " */) {
        s.inString = false;
        continue;
      }
      if (++s.stringBytes > s.limits.maxTextBytes) throw new JsonRefusal('size', `holds a string longer than ${s.limits.maxTextBytes.toLocaleString('en')} bytes, more than any field takes`);
      continue;
    }
    switch (c) {
      case 34 /* " */:
        s.inString = true;
        s.stringBytes = 0;
        s.inLiteral = false;
        if (s.expectKey) s.expectKey = false;
        else value(s);
        break;
      case 123 /* { */:
      case 91 /* [ */:
        s.inLiteral = false;
        value(s);
        s.depth++;
        if (s.depth > s.limits.maxDepth) throw new JsonRefusal('depth', `nests JSON arrays and objects more than ${s.limits.maxDepth} deep`);
        s.open[s.depth] = c === 123 ? OBJECT : ARRAY;
        s.expectKey = c === 123;
        break;
      case 125 /* } */:
      case 93 /* ] */:
        if (s.depth > 0) s.depth--;
        s.inLiteral = false;
        s.expectKey = false;
        break;
      case 44 /* , */:
        s.inLiteral = false;
        s.expectKey = s.open[s.depth] === OBJECT;
        break;
      case 58 /* : */:
      case 32:
      case 9:
      case 10:
      case 13:
        s.inLiteral = false;
        if (c === 58) s.expectKey = false;
        break;
      default:
        // A number, true, false or null starts here (or junk the parser will refuse).
        if (!s.inLiteral) {
          s.inLiteral = true;
          value(s);
        }
    }
  }
}

function value(s: JsonScanState): void {
  s.values++;
  if (s.values > s.limits.maxValues) throw new JsonRefusal('size', `holds more than ${s.limits.maxValues.toLocaleString('en')} JSON values, more than any request needs`);
}
