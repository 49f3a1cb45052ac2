import { DEVICE_SCAN_LIMITS } from './body-scan/limits';
import { endXmlScan, scanXmlChunk, startXmlScan, type XmlScanLimits } from './body-scan/xml-scan';

export { XmlRefusal, type RefusalKind as XmlRefusalKind } from './body-scan/refusal';

/** What an XML text may hold before any tree is built for it. */
export type XmlLimits = XmlScanLimits;

/** Limits for a body a device or browser sent (the numbers and why are in `body-scan/limits`). */
export const REQUEST_XML_LIMITS: XmlLimits = DEVICE_SCAN_LIMITS;

/**
 * Scans a whole XML text as the server scans a body while it arrives (`scanXmlChunk`), for XML
 * that did not come through a request body: Xero's answers, an `xml=` form field. Throws an
 * XmlRefusal for a DOCTYPE or other declaration, nesting or size beyond `limits`, and
 * prototype-reaching element names.
 */
export function scanXml(text: string, limits: XmlLimits = REQUEST_XML_LIMITS): void {
  const state = startXmlScan(limits);
  scanXmlChunk(state, Buffer.from(text, 'utf8'));
  endXmlScan(state);
}
