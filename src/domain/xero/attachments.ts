import { createHash } from 'node:crypto';
import type { AttachmentEndpoint } from '../documents/attachment';
import { authHeaders, buildJsonGet, type XeroAuth } from './auth';
import { xeroEndpoints } from './endpoints';
import type { XeroRequest, XeroResponse } from './http';
import { parseXeroProblem } from './problem';
import { unreadableAnswer, xeroProblemError } from './xero-error';

/** An attachment as Xero lists it. */
export interface XeroAttachment {
  AttachmentID: string;
  FileName: string;
  MimeType?: string;
  ContentLength?: number;
  IncludeOnline?: boolean;
  Url?: string;
}

/** Where a document's attachments live at Xero. */
export interface AttachmentPlace {
  apiUrl: string;
  auth: XeroAuth;
  endpoint: AttachmentEndpoint;
  /** The document's id at Xero (InvoiceID, CreditNoteID, ContactID…). */
  id: string;
}

const listUrl = (place: Omit<AttachmentPlace, 'auth'>) => `${xeroEndpoints(place.apiUrl).accounting}/${place.endpoint}/${encodeURIComponent(place.id)}/Attachments`;

/**
 * Builds `PUT /{Endpoint}/{id}/Attachments/{FileName}[?IncludeOnline=true]` with the file's raw
 * bytes as the body and its type as Content-Type, asking for JSON. PUT creates; the
 * Idempotency-Key derives from the URL and the bytes, so the very same upload sent again carries
 * the same key (a second guard: the first is the look-up by file name before any resend).
 * @see xero_accounting.yaml createInvoiceAttachmentByFileName; MARKET-2026.md §3.4
 */
export function buildAttachmentUpload(place: AttachmentPlace, file: { fileName: string; mimeType: string; includeOnline: boolean; content: Uint8Array }): XeroRequest {
  const url = `${listUrl(place)}/${encodeURIComponent(file.fileName)}${file.includeOnline ? '?IncludeOnline=true' : ''}`;
  const digest = createHash('sha256').update(`PUT ${url}\n`).update(file.content).digest('base64url');
  return {
    method: 'PUT',
    url,
    headers: { ...authHeaders(place.auth, { method: 'PUT', url }), Accept: 'application/json', 'Content-Type': file.mimeType, 'Idempotency-Key': `xp-${digest}` },
    body: file.content,
  };
}

/** Reads an upload's answer: the attachment Xero made; any other answer is thrown as its problem. */
export function processAttachmentUpload(response: XeroResponse): XeroAttachment {
  if (response.status !== 200 && response.status !== 201) throw xeroProblemError(parseXeroProblem(response), response);
  const [attachment] = attachmentList(response) ?? [];
  if (!attachment) throw unreadableAnswer('Xero answered the upload without the attachment it made.', response);
  return attachment;
}

/** Builds `GET /{Endpoint}/{id}/Attachments`, asking for JSON: what a document holds, by file name. */
export function buildAttachmentList(place: AttachmentPlace): XeroRequest {
  return buildJsonGet(place.auth, listUrl(place));
}

/** Reads a document's attachments; a document Xero does not know is thrown as its problem (404). */
export function processAttachmentList(response: XeroResponse): XeroAttachment[] {
  if (response.status !== 200) throw xeroProblemError(parseXeroProblem(response), response);
  const list = attachmentList(response);
  if (!list) throw unreadableAnswer('Xero listed the attachments in an answer the proxy cannot read.', response);
  return list;
}

/** The attachment a lost answer may have made: the same file name (Xero compares names without case) and size. */
export function sameAttachment(list: readonly XeroAttachment[], fileName: string, byteLength: number): XeroAttachment | undefined {
  return list.find((item) => item.FileName.toLowerCase() === fileName.toLowerCase() && (item.ContentLength === undefined || item.ContentLength === byteLength));
}

function attachmentList(response: XeroResponse): XeroAttachment[] | undefined {
  try {
    const list = (JSON.parse(response.body) as Record<string, unknown>)['Attachments'];
    if (!Array.isArray(list)) return undefined;
    return list.filter((item): item is XeroAttachment => item !== null && typeof item === 'object' && typeof (item as XeroAttachment).AttachmentID === 'string' && typeof (item as XeroAttachment).FileName === 'string');
  } catch {
    return undefined;
  }
}
