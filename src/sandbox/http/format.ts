import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { xeroItemName, xeroItemNameForEncoding } from '../../domain/xero/xml-shape';
import { AppError } from '../../lib/errors';
import { XERO_REQUEST_SCAN_LIMITS } from '../../lib/body-scan/limits';
import { decodeElement, encodeElement, escapeXml, parseXml, type EncodeOptions } from '../../lib/xml';
import type { SandboxEnv } from '../deps';
import { storedMs } from '../store/stored-dates';

/** Xero's documented body limit for the Accounting and Payroll APIs. */
export const MAX_BODY_BYTES = 3_500_000;

export type Format = 'xml' | 'json';

/** A request body decoded into Xero's JSON shape, whichever way it was sent. */
export interface XeroBody {
  format: Format;
  /** The XML root element name (e.g. "Invoices" or a bare "Invoice"); undefined for JSON. */
  root: string | undefined;
  data: unknown;
}

/**
 * Reads a body as Xero accepts it: raw `application/xml` / `text/xml`, the classic form field
 * `xml=` (`application/x-www-form-urlencoded`), or `application/json`.
 */
export async function readXeroBody(c: Context<SandboxEnv>): Promise<XeroBody> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new AppError('invalid', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('invalid', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  if (type === 'application/json') {
    try {
      return { format: 'json', root: undefined, data: JSON.parse(text) };
    } catch (error) {
      throw new AppError('invalid', `The JSON body is not valid: ${(error as Error).message}.`);
    }
  }
  let xml = text;
  if (type === 'application/x-www-form-urlencoded') {
    const field = new URLSearchParams(text).get('xml');
    if (field === null) throw new AppError('invalid', 'The form body has no "xml" field.');
    xml = field;
  } else if (type !== 'application/xml' && type !== 'text/xml' && type !== '') {
    throw new AppError('invalid', `The content type "${type}" is not supported; send application/xml, application/json or an xml= form field.`);
  }
  if (xml.trim() === '') return { format: 'xml', root: undefined, data: undefined };
  // A raw XML body was scanned as it arrived; an xml= form field is scanned here, whole.
  const root = parseXml(xml, XERO_REQUEST_SCAN_LIMITS);
  return { format: 'xml', root: root.tagName, data: decodeElement(root, xeroItemName) };
}

/**
 * The items of a collection body: `{"Invoices":[…]}`, a bare JSON array, `<Invoices>…`,
 * or a bare singular `<Invoice>` as pyxero sends for one object.
 */
export function collectionItems(body: XeroBody, collection: string, item: string): Record<string, unknown>[] {
  const { data } = body;
  if (data === undefined || data === null) return [];
  if (body.format === 'xml') {
    if (body.root === collection && Array.isArray(data)) return data as Record<string, unknown>[];
    if (body.root === item && typeof data === 'object') return [data as Record<string, unknown>];
    throw new AppError('invalid', `The XML root element must be <${collection}> or <${item}>, not <${body.root}>.`);
  }
  if (Array.isArray(data)) return data as Record<string, unknown>[];
  if (typeof data === 'object') {
    const list = (data as Record<string, unknown>)[collection];
    if (Array.isArray(list)) return list as Record<string, unknown>[];
    if (list === undefined) return [data as Record<string, unknown>];
  }
  throw new AppError('invalid', `The JSON body must be {"${collection}": [...]}.`);
}

/** Xero answers XML unless the client asks for JSON. */
export function responseFormat(c: Context<SandboxEnv>): Format {
  return /application\/json/i.test(c.req.header('accept') ?? '') ? 'json' : 'xml';
}

/** XML encoding as Xero writes it: the per-element `status` attribute of summarizeErrors=false. */
export const XERO_XML: EncodeOptions = {
  itemName: xeroItemNameForEncoding,
  attributes: (_name, value) => (typeof value['StatusAttributeString'] === 'string' ? { status: value['StatusAttributeString'] } : undefined),
  skip: (key) => key === 'StatusAttributeString' || key === 'HasErrors' || key === 'HasValidationErrors',
};

/** The .NET JSON date Xero writes for a stored date or an ISO time, e.g. `/Date(1419937200000+0000)/`. */
export function xeroJsonDate(stored: string): string {
  return `/Date(${storedMs(stored)}+0000)/`;
}

/**
 * Sends Xero's success envelope: `<Response>` with Id, Status, ProviderName, DateTimeUTC and
 * the collection, or the same keys in JSON. `items` may also be one object, for the payloads
 * Xero sends unlisted (Payroll AU's `PayItems` and a single `Timesheet`).
 */
export function sendEnvelope(c: Context<SandboxEnv>, now: Date, collection: string, items: readonly unknown[] | Record<string, unknown>, status: 200 | 201 = 200): Response {
  const id = randomUUID();
  if (responseFormat(c) === 'json') {
    return c.json({ Id: id, Status: 'OK', ProviderName: 'Xero Comms Proxy Sandbox', DateTimeUTC: xeroJsonDate(now.toISOString()), [collection]: items }, status);
  }
  const body =
    `<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<Id>${id}</Id><Status>OK</Status><ProviderName>Xero Comms Proxy Sandbox</ProviderName><DateTimeUTC>${now.toISOString().slice(0, 19)}</DateTimeUTC>` +
    encodeElement(collection, items, XERO_XML) +
    `</Response>`;
  return c.body(body, status, { 'Content-Type': 'text/xml; charset=utf-8' });
}

/** One element of an ApiException: the submitted object echoed back with its errors. */
export interface ExceptionElement {
  type: string;
  value: Record<string, unknown>;
}

/**
 * Xero's 400 `ApiException` (ErrorNumber 10, ValidationException) in XML or JSON.
 * @see PROTOCOL.md §4.5
 */
export function sendValidationException(c: Context<SandboxEnv>, elements: readonly ExceptionElement[]): Response {
  const message = 'A validation exception occurred';
  if (responseFormat(c) === 'json') {
    return c.json({ ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: elements.map((e) => e.value) }, 400);
  }
  const inner = elements
    .map((e) => encodeElement('DataContractBase', e.value, XERO_XML).replace(/^<DataContractBase/, `<DataContractBase xsi:type="${e.type}"`))
    .join('');
  const body =
    `<ApiException xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<ErrorNumber>10</ErrorNumber><Type>ValidationException</Type><Message>${message}</Message><Elements>${inner}</Elements></ApiException>`;
  return c.body(body, 400, { 'Content-Type': 'text/xml; charset=utf-8' });
}

/**
 * Payroll AU's 400 ValidationException: the rejected objects come back under their collection
 * (`"Timesheets": [{…, "ValidationErrors": [{"Message": "…"}]}]`) instead of Accounting's
 * `Elements`. XML mirrors it (`<Timesheets><Timesheet>…`), which is **UNCONFIRMED**.
 * @see PROTOCOL.md §5.1
 */
export function sendCollectionValidationException(c: Context<SandboxEnv>, collection: string, values: readonly Record<string, unknown>[]): Response {
  const message = 'A validation exception occurred';
  if (responseFormat(c) === 'json') return c.json({ ErrorNumber: 10, Type: 'ValidationException', Message: message, [collection]: values }, 400);
  const body =
    `<ApiException xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<ErrorNumber>10</ErrorNumber><Type>ValidationException</Type><Message>${message}</Message>${encodeElement(collection, values, XERO_XML)}</ApiException>`;
  return c.body(body, 400, { 'Content-Type': 'text/xml; charset=utf-8' });
}

/** An `ApiException` other than validation, e.g. 501 ApiMethodNotImplementedException (ErrorNumber 20). */
export function sendApiException(c: Context<SandboxEnv>, status: 400 | 404 | 501, errorNumber: number, type: string, message: string): Response {
  if (responseFormat(c) === 'json') return c.json({ ErrorNumber: errorNumber, Type: type, Message: message }, status);
  return c.body(`<ApiException><ErrorNumber>${errorNumber}</ErrorNumber><Type>${type}</Type><Message>${escapeXml(message)}</Message></ApiException>`, status, {
    'Content-Type': 'text/xml; charset=utf-8',
  });
}

/** Xero's plain-text 404. */
export function sendNotFound(c: Context<SandboxEnv>): Response {
  return c.text("The resource you're looking for cannot be found", 404);
}
