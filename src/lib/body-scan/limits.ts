import { MAX_DEPTH } from '../untrusted-input';

/**
 * What a JSON or XML body may hold before anything is built from it. The byte limits stay with
 * each endpoint (`apiBodyLimit`, the sandbox's 3.5 MB); these bound what bytes cannot: nesting
 * and the number of things a parser would allocate.
 */
export interface ScanLimits {
  /** Deepest nesting of XML elements, or of JSON arrays and objects (the root is depth 1). */
  maxDepth: number;
  /** Most XML elements and attributes together. */
  maxNodes: number;
  /** Most JSON values (every string, number, literal, array and object; keys are not values). */
  maxValues: number;
  /** Most parts of a `multipart/form-data` body. */
  maxParts: number;
  /**
   * Longest JSON string, or XML run of text, CDATA, comment or attribute value, in bytes.
   * Infinity where a body carries a file (an attachment's base64 Content).
   */
  maxTextBytes: number;
}

/**
 * Bodies a device sends (documents, pairing, attachments as JSON), at most 1 MB of documents.
 *
 * The largest batch a till should send is 50 invoices (Xero's batch) of 100 lines each. Measured:
 * in XML that batch is 868 KB and 30,501 elements; in JSON 534 KB and about 30,600 values. A
 * line with two more fields (an item code, a tracking option) takes that to about 40,000, which
 * is the limit for both. A body of tiny elements (`<x/>` 250,000 times in 1 MB) would cost the
 * XML parser seconds; it is refused after its first 40,000, some 160 KB in. No document nests
 * deeper than 8; 32 is the depth every reader of the project shares.
 *
 * The longest field of any document is a line's Description, 4,000 characters: at most 16,000
 * bytes of UTF-8, 24,000 written as JSON escapes, 40,000 as XML character references. Text
 * longer than 64 KiB is in no document; refused while it arrives, it never reaches a parser.
 *
 * The one form a device sends, an attachment, has 7 parts (the file and six fields); 32 leaves
 * room, where 100,000 tiny parts in 6 MB would cost the form's reader half a second.
 */
export const DEVICE_SCAN_LIMITS: ScanLimits = { maxDepth: MAX_DEPTH, maxNodes: 40_000, maxValues: 40_000, maxParts: 32, maxTextBytes: 65_536 };

/** An attachment sent as JSON: a document's limits, but its Content is the whole file in base64. */
export const ATTACHMENT_SCAN_LIMITS: ScanLimits = { ...DEVICE_SCAN_LIMITS, maxTextBytes: Infinity };

/**
 * Bodies sent to the sandbox as to Xero: up to Xero's 3.5 MB a call. Xero's own XML runs at 25
 * bytes or more an element, so 3.5 MB is at most about 140,000 elements; 200,000 leaves room.
 */
export const XERO_REQUEST_SCAN_LIMITS: ScanLimits = { maxDepth: MAX_DEPTH, maxNodes: 200_000, maxValues: 200_000, maxParts: 32, maxTextBytes: Infinity };

/**
 * Answers from Xero, which the proxy reads whole (not streamed): Xero wrote them and a page of
 * documents with their lines may be several MB, so only declarations and depth really bind.
 */
export const XERO_ANSWER_SCAN_LIMITS: ScanLimits = { maxDepth: MAX_DEPTH, maxNodes: 1_000_000, maxValues: 1_000_000, maxParts: 0, maxTextBytes: Infinity };
