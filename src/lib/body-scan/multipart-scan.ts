import { FormRefusal } from './refusal';

/** The scan's memory between chunks: the delimiter sought, the bytes that may begin one, a count. */
export interface MultipartScanState {
  readonly maxParts: number;
  /** `--` and the boundary: every part starts with it, and the closing delimiter too. */
  readonly delimiter: Buffer;
  /** The last bytes of the previous chunk, too few to be a whole delimiter. */
  tail: Buffer;
  delimiters: number;
}

/**
 * The boundary of a `multipart/form-data` Content-Type header, or undefined when it has none
 * (the form's reader refuses that body).
 * @example boundaryOf('multipart/form-data; boundary="x-1"') // 'x-1'
 */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export function startMultipartScan(boundary: string, maxParts: number): MultipartScanState {
  return { maxParts, delimiter: Buffer.from(`--${boundary}`, 'latin1'), tail: Buffer.alloc(0), delimiters: 0 };
}

/**
 * Counts the parts of a form as its bytes arrive, and throws a FormRefusal past `maxParts`: a
 * form's reader builds an object per part, and 100,000 tiny parts in 6 MB hold the event loop
 * for half a second. The boundary may not occur inside a part (RFC 7578), so each occurrence of
 * the delimiter is a part's start, or the form's end; one split across chunks is found too.
 */
export function scanMultipartChunk(s: MultipartScanState, bytes: Uint8Array): void {
  const joined = s.tail.length === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.concat([s.tail, bytes]);
  const length = s.delimiter.length;
  let from = 0;
  for (let at = joined.indexOf(s.delimiter, from); at !== -1; at = joined.indexOf(s.delimiter, from)) {
    s.delimiters++;
    // The closing delimiter is one more than the parts.
    if (s.delimiters > s.maxParts + 1) throw new FormRefusal('size', `is a form of more than ${s.maxParts} parts, more than any request needs`);
    from = at + length;
  }
  // Keep what could be the start of a delimiter cut by the chunk's end, never a found one's bytes.
  s.tail = Buffer.from(joined.subarray(Math.max(from, joined.length - (length - 1))));
}
