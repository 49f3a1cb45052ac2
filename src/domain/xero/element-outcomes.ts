import type { Element } from '@xmldom/xmldom';
import { childElements, decodeElement, parseXml, XERO_XML_LIMITS, type XmlObject } from '../../lib/xml';
import type { XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { jsonMessages, xmlMessages } from './validation-messages';
import { unreadableAnswer, XeroError, xeroProblemError } from './xero-error';
import { xeroItemName } from './xml-shape';

/** What happened to one element of a batch, by its position in the request. */
export interface ElementOutcome {
  index: number;
  /** ERROR: not saved. OK or WARNING: saved (its id is in `item`). */
  status: 'OK' | 'WARNING' | 'ERROR';
  validationErrors: string[];
  warnings: string[];
  /** The element as Xero echoed it, in Xero's JSON shape (XML is decoded to the same shape). */
  item: Record<string, unknown>;
}

/**
 * Reads a `summarizeErrors=false` answer: always HTTP 200, each element of `collection` (e.g.
 * "Invoices") carrying its own status (`status="ERROR"` in XML, `StatusAttributeString` or
 * `HasErrors` in JSON) and its ValidationErrors. Elements come back in request order, so the
 * index maps each outcome to what was sent. A non-200 answer is thrown as its problem.
 * @see PROTOCOL.md §4.3; https://developer.xero.com/documentation/api/http-response-codes
 */
export function elementOutcomes(response: XeroResponse, collection: string): ElementOutcome[] {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const body = response.body.trim();
  try {
    if (body.startsWith('{')) return fromJson(JSON.parse(body) as Record<string, unknown>, collection, response);
    if (body.startsWith('<')) return fromXml(parseXml(body, XERO_XML_LIMITS), collection, response);
  } catch (error) {
    if (error instanceof XeroError) throw error;
    throw unreadableAnswer(`Xero's answer listing ${collection} is neither valid JSON nor valid XML.`, response);
  }
  throw unreadableAnswer(`Xero's answer listing ${collection} is empty or not JSON or XML.`, response);
}

function fromJson(envelope: Record<string, unknown>, collection: string, response: XeroResponse): ElementOutcome[] {
  const list = envelope[collection];
  if (!Array.isArray(list)) throw unreadableAnswer(`Xero's answer has no ${collection} list.`, response);
  return list.map((entry, index) => {
    const item = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const validationErrors = jsonMessages(item, 'ValidationErrors');
    const declared = typeof item['StatusAttributeString'] === 'string' ? item['StatusAttributeString'] : item['HasErrors'] === true ? 'ERROR' : undefined;
    return { index, status: statusOf(declared, validationErrors), validationErrors, warnings: jsonMessages(item, 'Warnings'), item };
  });
}

function fromXml(root: Element, collection: string, response: XeroResponse): ElementOutcome[] {
  const container = childElements(root).find((child) => child.tagName === collection);
  if (root.tagName !== 'Response' || !container) throw unreadableAnswer(`Xero's answer has no <${collection}> list.`, response);
  return childElements(container).map((element, index) => {
    const validationErrors = xmlMessages(element, 'ValidationError');
    return {
      index,
      status: statusOf(element.getAttribute('status') ?? undefined, validationErrors),
      validationErrors,
      warnings: xmlMessages(element, 'Warning'),
      item: decodeElement(element, xeroItemName) as XmlObject,
    };
  });
}

// Xero's declared status decides: calling a saved element failed would invite a resend and a
// duplicate. Only when the status is missing do validation errors mean it was not saved.
function statusOf(declared: string | undefined, validationErrors: readonly string[]): ElementOutcome['status'] {
  const upper = declared?.toUpperCase();
  if (upper === 'ERROR' || upper === 'WARNING' || upper === 'OK') return upper;
  return validationErrors.length > 0 ? 'ERROR' : 'OK';
}
