import { scanJsonChunk, startJsonScan } from './json-scan';
import type { ScanLimits } from './limits';
import { boundaryOf, scanMultipartChunk, startMultipartScan } from './multipart-scan';
import { endXmlScan, scanXmlChunk, startXmlScan } from './xml-scan';

/** A scan over one body's chunks as they arrive; each call throws the body's refusal, if any. */
export interface BodyScanner {
  chunk(bytes: Uint8Array): void;
  end(): void;
}

/** The formats a body is scanned as, by media type (lower case, without parameters). */
export const SCANNED_FORMATS: Readonly<Record<string, 'json' | 'xml'>> = {
  'application/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * A scanner for a body of `format` under `limits`, or undefined for a format that is not
 * scanned (forms and files: their readers bound them by size).
 * @example const scan = bodyScanner('xml', DEVICE_SCAN_LIMITS); scan?.chunk(bytes); scan?.end();
 */
export function bodyScanner(format: 'json' | 'xml' | undefined, limits: ScanLimits): BodyScanner | undefined {
  if (format === 'json') {
    const state = startJsonScan(limits);
    return { chunk: (bytes) => scanJsonChunk(state, bytes), end: () => undefined };
  }
  if (format === 'xml') {
    const state = startXmlScan(limits);
    return { chunk: (bytes) => scanXmlChunk(state, bytes), end: () => endXmlScan(state) };
  }
  return undefined;
}

/**
 * A scanner counting the parts of a `multipart/form-data` body, from its whole Content-Type
 * header; undefined without a boundary (the form's reader refuses that body).
 */
export function multipartScanner(contentType: string, limits: ScanLimits): BodyScanner | undefined {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) return undefined;
  const state = startMultipartScan(boundary, limits.maxParts);
  return { chunk: (bytes) => scanMultipartChunk(state, bytes), end: () => undefined };
}
