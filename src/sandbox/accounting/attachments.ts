import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { immediate } from '../../store/db';
import type { SandboxDeps, SandboxEnv } from '../deps';
import { responseFormat, sendApiException, sendEnvelope, sendNotFound } from '../http/format';
import { findDocument } from '../store/documents';
import { listAttachments, readAttachment, saveAttachment, type StoredAttachment } from '../store/attachments';
import { currentOrganisation } from './context';

/** Xero's limit on one file: above it Xero answers 413. @see MARKET-2026.md §3.4 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Xero's limit on files per document. @see MARKET-2026.md §3.4 */
export const MAX_ATTACHMENTS = 10;

/** The endpoints with attachments whose documents the sandbox keeps, and their document type. */
const ENDPOINTS: Record<string, string> = { Invoices: 'Invoice', CreditNotes: 'CreditNote', Contacts: 'Contact', Accounts: 'Account' };
/** Where IncludeOnline shows the file to the customer: sales invoices and sales credit notes. */
const ONLINE_TYPES: Record<string, string> = { Invoices: 'ACCREC', CreditNotes: 'ACCRECCREDIT' };
const PLAIN_500 = 'An unhandled error with the Xero API occurred. Contact the Xero API team if problems persist.';

/**
 * `/{Endpoint}/{id}/Attachments` (GET the list), and `/{Endpoint}/{id}/Attachments/{FileName}`:
 * GET the bytes (by file name or AttachmentID), PUT to add a file, POST to add or replace the one
 * of that name; `?IncludeOnline=true` for sales invoices and credit notes. Xero's limits: 413
 * above 10 MB, ten files a document, 500 to a file name ending in a space, 404 for a document it
 * does not have. Whether PUT of a name already there adds a second file (as here) or replaces
 * it, and Xero's words for the eleventh file and for IncludeOnline elsewhere, are UNCONFIRMED.
 * @see xero_accounting.yaml createInvoiceAttachmentByFileName; MARKET-2026.md §3.4
 */
export function attachmentRoutes(deps: SandboxDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  for (const [endpoint, type] of Object.entries(ENDPOINTS)) {
    const idOf = (c: Context<SandboxEnv>) => c.req.param('id') ?? '';
    const documentOf = (c: Context<SandboxEnv>) => findDocument<Record<string, unknown>>(deps.db, currentOrganisation(c, deps).id, type, idOf(c));
    const base = `/${endpoint}/:id/Attachments`;

    app.get(base, (c) => {
      if (!documentOf(c)) return sendNotFound(c);
      const org = currentOrganisation(c, deps);
      return sendEnvelope(c, deps.clock.now(), 'Attachments', listAttachments(deps.db, org.id, endpoint, idOf(c)).map((file) => view(c, endpoint, idOf(c), file)));
    });

    app.get(`${base}/:name`, (c) => {
      if (!documentOf(c)) return sendNotFound(c);
      const file = readAttachment(deps.db, currentOrganisation(c, deps).id, endpoint, idOf(c), c.req.param('name') ?? '');
      return file ? c.body(new Uint8Array(file.content), 200, { 'Content-Type': file.mimeType }) : sendNotFound(c);
    });

    const write = (replace: boolean) => async (c: Context<SandboxEnv>) => {
      const document = documentOf(c);
      if (!document) return sendNotFound(c);
      const name = c.req.param('name') ?? '';
      // Xero fails on a name ending in a space, with its unhandled-error answer (xero-node #763).
      if (name.endsWith(' ')) {
        c.set('problem', 'file name ends in a space');
        return c.text(PLAIN_500, 500);
      }
      const content = new Uint8Array(await c.req.arrayBuffer());
      if (content.byteLength > MAX_ATTACHMENT_BYTES) return c.text('Request Entity Too Large', 413);
      if (content.byteLength === 0 || name.trim() === '') return refuse(c, content.byteLength === 0 ? 'The attachment has no content.' : 'The file name is empty.');
      const includeOnline = (c.req.query('IncludeOnline') ?? c.req.query('includeOnline') ?? '').toLowerCase() === 'true';
      if (includeOnline && (ONLINE_TYPES[endpoint] === undefined || document['Type'] !== ONLINE_TYPES[endpoint])) {
        return refuse(c, 'IncludeOnline can only be set for attachments on sales invoices and sales credit notes.');
      }
      const org = currentOrganisation(c, deps);
      const id = idOf(c);
      const saved = immediate(deps.db, (): StoredAttachment | string => {
        const existing = listAttachments(deps.db, org.id, endpoint, id);
        const replacing = replace && existing.some((file) => file.fileName.toLowerCase() === name.toLowerCase());
        if (!replacing && existing.length >= MAX_ATTACHMENTS) return `A document can have at most ${MAX_ATTACHMENTS} attachments; this one already has ${existing.length}.`;
        const mimeType = (c.req.header('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
        return saveAttachment(deps.db, org.id, { endpoint, documentId: id }, { id: randomUUID(), fileName: name, mimeType, content, includeOnline }, deps.clock.now().toISOString(), replace);
      });
      if (typeof saved === 'string') return refuse(c, saved);
      c.set('committedWrite', true);
      return sendEnvelope(c, deps.clock.now(), 'Attachments', [view(c, endpoint, id, saved)]);
    };
    app.put(`${base}/:name`, write(false));
    app.post(`${base}/:name`, write(true));
  }
  return app;
}

/** An attachment as Xero lists it; IncludeOnline in JSON only, as Xero's Attachment.xsd predates it. */
function view(c: Context<SandboxEnv>, endpoint: string, documentId: string, file: StoredAttachment): Record<string, unknown> {
  const url = `${new URL(c.req.url).origin}/api.xro/2.0/${endpoint}/${documentId.toLowerCase()}/Attachments/${encodeURIComponent(file.fileName)}`;
  const online = file.includeOnline && responseFormat(c) === 'json' ? { IncludeOnline: true } : {};
  return { AttachmentID: file.id, FileName: file.fileName, Url: url, MimeType: file.mimeType, ContentLength: file.contentLength, ...online };
}

function refuse(c: Context<SandboxEnv>, message: string): Response {
  c.set('problem', message);
  return sendApiException(c, 400, 10, 'ValidationException', message);
}
